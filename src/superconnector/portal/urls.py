"""Delegate portal routes, mounted under events/<slug>/ (the event page itself is in core)."""

from django.urls import path

from superconnector.portal.views import (
    agenda,
    availability,
    directory,
    meetings,
    organisations,
    profile,
    recommendations,
)

app_name = "portal"
urlpatterns = [
    path("profile/", profile.profile, name="profile"),
    path("profile/opportunities/new/", profile.opportunity_edit, name="opportunity-create"),
    path("profile/opportunities/<int:pk>/", profile.opportunity_edit, name="opportunity-edit"),
    path(
        "profile/opportunities/<int:pk>/delete/",
        profile.opportunity_delete,
        name="opportunity-delete",
    ),
    path("profile/proposals/<int:pk>/", profile.proposal_decide, name="proposal-decide"),
    path("directory/", directory.directory, name="directory"),
    path("organisations/<str:key>/", organisations.organisation, name="organisation"),
    path("recommendations/", recommendations.recommendations, name="recommendations"),
    path("recommendations/feedback/", recommendations.feedback, name="recommendation-feedback"),
    path("recommendations/request/", recommendations.quick_request, name="recommendation-request"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.request_create, name="request-create"),
    path("meetings/<int:pk>/accept/", meetings.request_accept, name="request-accept"),
    path("meetings/<int:pk>/decline/", meetings.request_decline, name="request-decline"),
    path("meetings/<int:pk>/cancel/", meetings.request_cancel, name="request-cancel"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/availability/", availability.availability, name="availability"),
    path("agenda/meetings/<int:pk>/outcome/", agenda.outcome, name="outcome"),
    path("agenda/calendar/<str:token>.ics", agenda.calendar_feed, name="calendar"),
]
