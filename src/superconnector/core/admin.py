from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from superconnector.core.models import OutgoingMail, RecoveryCode, TotpDevice, User


class AccountChangeForm(UserChangeForm):
    """Staff may change an address, but not to one another account or person has."""

    def clean_email(self):
        from superconnector.directory.domain.accounts import AccountRefused, refuse_taken_address
        from superconnector.directory.domain.identity import normalise_email
        from superconnector.directory.models import Person

        email = normalise_email(self.cleaned_data["email"])
        if self.instance.pk and email != normalise_email(self.instance.email):
            person = Person.objects.filter(user=self.instance).first()
            try:
                refuse_taken_address(email, user=self.instance, person=person)
            except AccountRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "can_create_events", "is_active", "last_login"]
    list_filter = ["is_staff", "can_create_events", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "locale"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "can_create_events",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "can_create_events", "password1", "password2"],
            },
        )
    ]

    def save_model(self, request, obj: User, form, change: bool) -> None:
        """The address and the right to create events change through their domain
        functions, so that the person's record follows, the old address is told and the
        audit log has it."""
        from superconnector.backoffice.domain.access import set_event_creation_right
        from superconnector.directory.domain.accounts import change_email

        new_email, may_create = obj.email, obj.can_create_events
        if change:
            stored = User.objects.get(pk=obj.pk)
            obj.email, obj.can_create_events = stored.email, stored.can_create_events
        else:
            obj.can_create_events = False
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            change_email(new_email, user=obj, actor=request.user, via="staff")
            obj.email = new_email
        set_event_creation_right(obj, may_create, actor=request.user)


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
