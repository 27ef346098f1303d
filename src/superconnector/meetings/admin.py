"""The admin of meetings' records, and of events (events.Event): saving an event's request
deadline re-plans the expiry of its pending requests (meetings/deadlines.py)."""

from django.contrib import admin

from superconnector.events.models import Event
from superconnector.meetings.deadlines import schedule_request_expiry
from superconnector.meetings.models import Block, Meeting, MeetingRequest, MeetingRequestChange


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
            schedule_request_expiry(obj)


class MeetingRequestChangeInline(admin.TabularInline):
    model = MeetingRequestChange
    readonly_fields = ("at", "from_status", "to_status", "actor", "source", "note")
    fields = readonly_fields
    extra = 0
    can_delete = False


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["key", "sender", "recipient", "status", "priority", "event", "updated_at"]
    list_filter = ["event", "status", "priority"]
    list_select_related = [
        "event",
        "sender__person",
        "sender__event_organisation__organisation",
        "recipient__person",
        "recipient__event_organisation__organisation",
    ]
    search_fields = ["key", "sender__person__name", "recipient__person__name", "message"]
    raw_id_fields = ["sender", "recipient", "sender_organisation", "recipient_organisation"]
    inlines = [MeetingRequestChangeInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "table", "locked", "event"]
    list_filter = ["event", "locked", "slot__session"]
    list_select_related = ["request", "slot__session", "event"]
    search_fields = ["request__key", "table"]
    raw_id_fields = ["request", "slot"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "event", "created_at"]
    list_filter = ["event"]
    list_select_related = [
        "blocker__person",
        "blocked__person",
        "event",
        "blocker__event_organisation__organisation",
        "blocked__event_organisation__organisation",
    ]
    raw_id_fields = ["blocker", "blocked"]
