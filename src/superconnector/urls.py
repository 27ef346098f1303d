from django.contrib import admin
from django.urls import include, path

from superconnector.core import views as core_views
from superconnector.portal.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("accounts/two-factor/", include("superconnector.core.two_factor_urls")),
    path("accounts/my-data/", include("superconnector.privacy.urls")),
    path("accounts/", include("superconnector.portal.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("superconnector.api.urls")),
    path("orga/", include("superconnector.backoffice.urls")),
    path("events/<str:slug>/", public.event_detail, name="event-detail"),
    path("events/<str:slug>/", include("superconnector.portal.urls")),
]

handler400 = core_views.bad_request
handler500 = core_views.server_error
