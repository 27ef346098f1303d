"""The API object: version 1, its authentication, error shape and routers."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from superconnector.api.auth import AUTH
from superconnector.api.docs import LocalSwagger
from superconnector.api.errors import install_error_handlers
from superconnector.api.routers import (
    directory,
    events,
    meetings,
    recommendations,
    requests,
    search,
)

api = NinjaAPI(
    title="Superconnector API",
    version="1",
    # Lazy: translated when the schema is rendered (ninja's annotation says str).
    description=_(  # type: ignore[arg-type]
        "Events, organisations, participants, opportunities, recommendations, meeting "
        "requests, meetings and the schedule. Authenticate with an API token "
        "(Authorization: Bearer …) or a signed-in browser session."
    ),
    auth=AUTH,
    urls_namespace="api-v1",
    docs=LocalSwagger(),
)
install_error_handlers(api)
for module in (events, directory, search, recommendations, requests, meetings):
    api.add_router("", module.router)
