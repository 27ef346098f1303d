"""The admin of events' sessions and teams. The event admin is in meetings/admin.py: saving
an event there re-plans its request deadline, which the meetings app acts on."""

from django.contrib import admin

from superconnector.events.models import MeetingSession, Slot, Team


class SlotInline(admin.TabularInline):
    model = Slot
    readonly_fields = ("index", "starts_at", "ends_at")
    fields = readonly_fields
    extra = 0
    can_delete = False


@admin.register(MeetingSession)
class MeetingSessionAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "event",
        "date",
        "start",
        "end",
        "slot_minutes",
        "gap_minutes",
        "tables",
        "location",
    ]
    list_filter = ["event", "date"]
    list_select_related = ["event"]
    search_fields = ["key", "location"]
    inlines = [SlotInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "can_view", "can_edit", "can_export", "can_schedule"]
    list_display += ["can_check_in", "can_teams"]
    list_filter = ["event"]
    list_select_related = ["event"]
    filter_horizontal = ["members"]
    search_fields = ["name", "event__slug", "members__email"]
