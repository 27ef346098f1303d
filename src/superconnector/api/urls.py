"""The versioned REST API, mounted under api/v1/."""

from django.urls import path

from superconnector.api.api import api
from superconnector.api.docs import docs_asset

urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", api.urls),
]
