from django.contrib import admin

from superconnector.events.models import Event, MeetingSession, Slot, Team


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "starts_on", "ends_on", "venue"]
    list_filter = ["kind", "starts_on"]
    search_fields = ["slug", "name", "name_zh", "venue"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"request_deadline", "timezone"} & set(form.changed_data):
            # As the back office does: pending requests expire at the (new) deadline.
            from superconnector.meetings.domain.expiry import schedule_request_expiry

            schedule_request_expiry(obj)


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
