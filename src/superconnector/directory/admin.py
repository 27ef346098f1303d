"""The admin of the directory's records, and of accounts (core.User): an account's address
is its person's, so changing it goes through directory/domain/accounts.py."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from superconnector.core.models import User
from superconnector.directory.domain.accounts import change_email, record_account_change
from superconnector.directory.domain.ownership import (
    FIELDS,
    change_record,
    decide_proposal,
    record_owner_mark,
)
from superconnector.directory.forms import AccountChangeForm, PersonAdminForm
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    OrganisationOwner,
    Participant,
    Person,
    ProposalStatus,
    ProposedChange,
)
from superconnector.events.domain.creation import set_event_creation_right


class _SharedRecordAdmin(admin.ModelAdmin):
    """Staff edits of shared records go through the ownership rule too: staff apply
    directly, and every event that shows the record gets the change in its audit log."""

    record_type = ""

    def save_model(self, request, obj, form, change) -> None:
        if change and obj.pk:
            stored = type(obj).objects.get(pk=obj.pk)
            values = {name: getattr(obj, name) for name in FIELDS[self.record_type]}
            change_record(stored, values, event=None, actor=request.user, source="backoffice")
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(_SharedRecordAdmin):
    record_type = "organisation"
    list_display = ["name", "name_zh", "kind", "region", "language", "updated_at"]
    list_filter = ["kind", "language", "region"]
    search_fields = ["name", "name_zh", "description", "website"]


@admin.register(EventOrganisation)
class EventOrganisationAdmin(admin.ModelAdmin):
    list_display = ["key", "organisation", "event"]
    list_filter = ["event", "organisation__kind"]
    list_select_related = ["organisation", "event"]
    search_fields = ["key", "organisation__name", "organisation__name_zh"]
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(_SharedRecordAdmin):
    record_type = "person"
    list_display = ["name", "email", "title", "phone", "user"]
    search_fields = ["name", "email", "title"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", PersonAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj: Person, form, change: bool) -> None:
        """An address change goes through `change_email` (the account follows, the old
        address is told, every event showing the person logs it); a new account link is
        logged too."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Person.objects.get(pk=obj.pk)
        new_email = obj.email
        obj.email = stored.email
        super().save_model(request, obj, form, change)
        if "user" in form.changed_data:
            record_account_change(
                request.user,
                obj,
                obj.user,
                field="user",
                old=stored.user.email if stored.user is not None else "",
                new=obj.user.email if obj.user is not None else "",
                via="staff",
            )
        if "email" in form.changed_data:
            change_email(new_email, person=obj, actor=request.user, via="staff")
            obj.email = new_email


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["key", "person_name", "organisation_name", "role", "event"]
    list_filter = ["event", "role", "event_organisation__organisation__kind"]
    list_select_related = ["person", "event_organisation__organisation", "event"]
    search_fields = [
        "key",
        "person__name",
        "person__email",
        "event_organisation__organisation__name",
    ]
    raw_id_fields = ["person", "event_organisation"]

    @admin.display(description="name", ordering="person__name")
    def person_name(self, obj: Participant) -> str:
        return obj.person.name

    @admin.display(description="organisation", ordering="event_organisation__organisation__name")
    def organisation_name(self, obj: Participant) -> str:
        return obj.event_organisation.organisation.name


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "title",
        "direction",
        "category",
        "language",
        "organisation_name",
        "event",
    ]
    list_filter = ["event", "direction", "category", "language"]
    list_select_related = ["event_organisation__organisation", "event"]
    search_fields = ["key", "title", "description", "event_organisation__organisation__name"]
    raw_id_fields = ["event_organisation"]

    @admin.display(description="organisation", ordering="event_organisation__organisation__name")
    def organisation_name(self, obj: Opportunity) -> str:
        return obj.event_organisation.organisation.name


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """Platform staff decide proposals as the records' owners do in the portal: through
    directory/domain/ownership.decide_proposal, which re-checks the value and audits."""

    list_display = [
        "record_name",
        "field",
        "old_value",
        "proposed_value",
        "event",
        "source",
        "status",
        "created_at",
    ]
    list_filter = ["status", "source", "event"]
    list_select_related = ["organisation", "person", "event"]
    search_fields = ["organisation__name", "person__name", "person__email", "field"]
    actions = ["accept", "reject"]
    readonly_fields = [
        "organisation",
        "person",
        "field",
        "old_value",
        "proposed_value",
        "event",
        "actor",
        "source",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("record"))
    def record_name(self, obj: ProposedChange) -> str:
        return f"{obj.record_type}: {obj.record.name}"

    def _decide(self, request, queryset, *, accept: bool) -> None:
        outcomes: dict[str, int] = {}
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            status = decide_proposal(proposal, request.user, accept=accept)
            outcomes[status] = outcomes.get(status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(outcomes.items()))
        self.message_user(request, summary or _("Nothing was pending."), messages.INFO)

    @admin.action(description=_("Accept the selected proposed changes"))
    def accept(self, request, queryset) -> None:
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Reject the selected proposed changes"))
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, accept=False)


@admin.register(OrganisationOwner)
class OrganisationOwnerAdmin(admin.ModelAdmin):
    """Staff mark an organisation's owners here when neither its website nor its first
    event vouches for them (directory/domain/ownership.py). Every mark and its removal is
    written to the audit log of every event that shows the organisation."""

    list_display = ["organisation", "person", "note", "granted_by", "granted_at"]
    list_select_related = ["organisation", "person", "granted_by"]
    search_fields = ["organisation__name", "person__name", "person__email"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["person"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj: OrganisationOwner, form, change: bool) -> None:
        if not change:
            obj.granted_by = request.user
        if change and {"organisation", "person"} & set(form.changed_data):
            before = OrganisationOwner.objects.get(pk=obj.pk)
            record_owner_mark(before, actor=request.user, granted=False)
        super().save_model(request, obj, form, change)
        if not change or {"organisation", "person"} & set(form.changed_data):
            record_owner_mark(obj, actor=request.user, granted=True)

    def delete_model(self, request, obj: OrganisationOwner) -> None:
        record_owner_mark(obj, actor=request.user, granted=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset.select_related("organisation", "person"):
            record_owner_mark(obj, actor=request.user, granted=False)
        super().delete_queryset(request, queryset)


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
