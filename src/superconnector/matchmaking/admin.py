from django.contrib import admin

from superconnector.matchmaking.models import (
    Feedback,
    MatchingRun,
    MeetingSuggestion,
    OpportunityMatch,
    OrganisationMatch,
)


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "stage", "progress", "created_at", "finished_at"]
    list_filter = ["status", "event"]
    readonly_fields = [
        "event",
        "status",
        "stage",
        "progress",
        "stats",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]


@admin.register(OpportunityMatch)
class OpportunityMatchAdmin(admin.ModelAdmin):
    list_display = ["need", "offer", "score", "rank_for_need", "rank_for_offer"]
    list_filter = ["event"]
    list_select_related = ["need", "offer"]
    search_fields = ["need__key", "offer__key", "need__title", "offer__title"]
    raw_id_fields = ["need", "offer"]


@admin.register(OrganisationMatch)
class OrganisationMatchAdmin(admin.ModelAdmin):
    list_display = ["organisation", "partner", "rank", "score"]
    list_filter = ["event"]
    list_select_related = [
        "organisation__organisation",
        "partner__organisation",
        "organisation__event",
        "partner__event",
    ]
    raw_id_fields = ["organisation", "partner"]


@admin.register(MeetingSuggestion)
class MeetingSuggestionAdmin(admin.ModelAdmin):
    list_display = ["participant", "suggested", "rank", "score"]
    list_filter = ["event"]
    list_select_related = [
        "participant__person",
        "participant__event_organisation__organisation",
        "suggested__person",
        "suggested__event_organisation__organisation",
    ]
    raw_id_fields = ["participant", "suggested"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["participant", "verdict", "opportunity", "organisation", "created_at"]
    list_filter = ["event", "verdict"]
    list_select_related = [
        "participant__person",
        "participant__event_organisation__organisation",
        "opportunity",
        "organisation__organisation",
    ]
    raw_id_fields = ["participant", "opportunity", "organisation"]
