"""The admin of core's own records. The user admin is in directory/admin.py: changing an
account's address or rights goes through the directory's and the events' domain functions."""

from django.contrib import admin

from superconnector.core.models import OutgoingMail, RecoveryCode, TotpDevice


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind", "event"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Read-only but deletable: deleting a user's authenticator app (a lost phone, no
    recovery codes left) makes them set up a new one at their next visit to the back
    office. The secret is never shown."""

    list_display = ["user", "created_at", "confirmed_at"]
    search_fields = ["user__email", "user__name"]
    readonly_fields = ("user", "created_at", "confirmed_at")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: TotpDevice) -> None:
        # The old recovery codes go with the app; setting up the new one makes new codes.
        RecoveryCode.objects.filter(user=obj.user).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        RecoveryCode.objects.filter(user__totp_device__in=queryset).delete()
        super().delete_queryset(request, queryset)
