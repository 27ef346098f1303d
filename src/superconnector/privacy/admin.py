from django.contrib import admin

from superconnector.events.models import AuditEntry
from superconnector.privacy.models import ConsentRecord, EventPurge


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledgers are evidence: nobody edits or deletes them through the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "purpose", "granted", "version", "channel", "recorded_at"]
    list_filter = ["purpose", "granted", "channel"]
    list_select_related = ["person"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "event", "subject"]
    list_filter = ["action"]
    search_fields = ["actor_label", "subject"]
    list_select_related = ["event"]


@admin.register(EventPurge)
class EventPurgeAdmin(ReadOnlyAdmin):
    list_display = ["event", "purged_at"]
    list_select_related = ["event"]
    readonly_fields = ["event", "purged_at", "counts"]
