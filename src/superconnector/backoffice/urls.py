"""Organiser back-office routes, mounted under orga/."""

from django.urls import path

from superconnector.backoffice.views import (
    checkin,
    dashboard,
    events,
    exports,
    imports,
    invitations,
    mailings,
    publish,
    runs,
    teams,
    vetting,
)

app_name = "backoffice"
urlpatterns = [
    path("", events.event_list, name="events"),
    # "+" is not allowed in a slug, so no event can shadow this page.
    path("+new/", events.event_create, name="event-create"),
    path("<str:slug>/", dashboard.dashboard, name="dashboard"),
    path("<str:slug>/settings/", events.event_edit, name="event-edit"),
    path("<str:slug>/sessions/", events.sessions, name="sessions"),
    path("<str:slug>/sessions/<int:pk>/", events.session_edit, name="session-edit"),
    path("<str:slug>/sessions/<int:pk>/delete/", events.session_delete, name="session-delete"),
    path("<str:slug>/import/", imports.import_upload, name="import"),
    path("<str:slug>/import/<int:pk>/", imports.import_detail, name="import-detail"),
    path("<str:slug>/import/<int:pk>/apply/", imports.import_apply, name="import-apply"),
    path("<str:slug>/import/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("<str:slug>/profiles/", vetting.profiles, name="profiles"),
    path("<str:slug>/profiles/<str:key>/", vetting.profile_detail, name="profile-detail"),
    path("<str:slug>/invitations/", invitations.invitations, name="invitations"),
    path(
        "<str:slug>/mailings/<int:pk>/progress/",
        mailings.mailing_progress,
        name="mailing-progress",
    ),
    path("<str:slug>/runs/", runs.runs, name="runs"),
    path("<str:slug>/runs/matching/", runs.matching_start, name="matching-start"),
    path("<str:slug>/runs/matching/<int:pk>/", runs.matching_progress, name="matching-progress"),
    path("<str:slug>/runs/scheduling/", runs.scheduling_start, name="scheduling-start"),
    path(
        "<str:slug>/runs/scheduling/<int:pk>/",
        runs.scheduling_progress,
        name="scheduling-progress",
    ),
    path(
        "<str:slug>/runs/scheduling/draft/<int:pk>/",
        runs.scheduling_draft,
        name="scheduling-draft",
    ),
    path(
        "<str:slug>/runs/scheduling/draft/<int:pk>/decide/",
        runs.scheduling_draft_decide,
        name="scheduling-draft-decide",
    ),
    path("<str:slug>/publish/", publish.publish, name="publish"),
    path("<str:slug>/checkin/", checkin.checkin, name="checkin"),
    path("<str:slug>/checkin/<int:pk>/", checkin.checkin_action, name="checkin-action"),
    path("<str:slug>/badges.pdf", checkin.badges, name="badges"),
    path("<str:slug>/teams/", teams.teams, name="teams"),
    path("<str:slug>/teams/<int:pk>/", teams.teams, name="team-edit"),
    path("<str:slug>/teams/<int:pk>/delete/", teams.team_delete, name="team-delete"),
    path("<str:slug>/audit/", teams.audit_log, name="audit"),
    path("<str:slug>/exports/", exports.exports, name="exports"),
    path("<str:slug>/exports/<str:name>.<str:fmt>", exports.export_download, name="export"),
]
