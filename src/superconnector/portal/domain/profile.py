"""A delegate keeps their organisation's profile and its opportunities."""

from __future__ import annotations

import uuid

from django.db import transaction

from superconnector.directory.domain.ownership import (
    ORGANISATION_FIELDS,
    FieldChange,
    Outcome,
    change_record,
    field_label,
    is_owner,
    is_platform_staff,
    load_sharing,
    proposals_awaiting,
    value_label,
)
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    Person,
    ProposalSource,
    ProposalStatus,
    ProposedChange,
)
from superconnector.engine.text import detect_language


def language_of(declared: str, *texts: str) -> str:
    """The author's language as declared, else as detected from what they wrote."""
    return declared or detect_language("\n".join(t for t in texts if t))


def save_organisation_profile(
    organisation: Organisation, *, language: str = "", actor=None, event=None
) -> list[FieldChange]:
    """Save the edited profile; its language is kept as declared, else detected.

    `organisation` carries the edited values (a form's unsaved instance). The change goes
    through the ownership rule (directory/domain/ownership.py): an owner of the
    organisation applies it directly; a delegate who is not among its owners proposes the
    changes to filled fields of a shared organisation, like an organiser. Every event that
    shows the organisation gets it in its audit log. Returns what happened to each field.
    """
    organisation.language = language_of(
        language, organisation.name_zh, organisation.description, organisation.name
    )
    if organisation.pk is None or actor is None:
        organisation.save()
        return []
    stored = Organisation.objects.get(pk=organisation.pk)
    return change_record(
        stored,
        {name: getattr(organisation, name) for name in ORGANISATION_FIELDS},
        event=event,
        actor=actor,
        source=ProposalSource.PORTAL,
    )


PERSON_DETAILS = ("name", "name_zh", "title", "phone")


def save_person_details(edited: Person, *, actor, event) -> list[FieldChange]:
    """Save a delegate's own details (a form's unsaved instance of their person).

    Through the ownership rule like every other edit of a person: the person is the owner
    of their record, so their change applies at once and is audited in every event that
    shows them."""
    stored = Person.objects.get(pk=edited.pk)
    return change_record(
        stored,
        {name: getattr(edited, name) for name in PERSON_DETAILS},
        event=event,
        actor=actor,
        source=ProposalSource.PORTAL,
    )


def proposes_changes(user, organisation: Organisation, event) -> bool:
    """Whether `user`'s edits of the organisation's profile become proposals to its owners:
    they are not an owner (nor staff) and another event or an owner also shows it."""
    if is_platform_staff(user) or is_owner(user, organisation):
        return False
    return load_sharing("organisation", [organisation.pk], event).is_shared(organisation.pk)


def proposals_made(user, organisation: Organisation) -> list[ProposedChange]:
    """The user's own pending proposals for the organisation, with `current` texts."""
    proposals = list(
        ProposedChange.objects.filter(
            organisation=organisation, actor=user, status=ProposalStatus.PENDING
        ).order_by("created_at", "pk")
    )
    for proposal in proposals:
        proposal.field_label = field_label("organisation", proposal.field)
        proposal.current_text = value_label(
            "organisation", proposal.field, getattr(organisation, proposal.field)
        )
        proposal.proposed_text = value_label(
            "organisation", proposal.field, proposal.proposed_value
        )
    return proposals


def proposed_any(changes: list[FieldChange]) -> bool:
    return any(c.outcome in (Outcome.PROPOSE, Outcome.PENDING) for c in changes)


def new_opportunity_key(link: EventOrganisation) -> str:
    # Keys must be unique in the event and stable in exports; imported keys look alike.
    return f"{link.key[:40]}-{uuid.uuid4().hex[:10]}"


@transaction.atomic
def save_opportunity(
    opportunity: Opportunity, link: EventOrganisation, *, language: str = ""
) -> Opportunity:
    """Create or update an opportunity of `link`'s organisation in `link`'s event."""
    opportunity.event_id = link.event_id
    opportunity.event_organisation = link
    if not opportunity.key:
        opportunity.key = new_opportunity_key(link)
    opportunity.language = language_of(language, opportunity.title, opportunity.description)
    opportunity.save()
    return opportunity


def delete_opportunity(opportunity: Opportunity) -> None:
    """Remove it; stored matches and feedback on it go with it (cascade)."""
    opportunity.delete()


def proposal_groups(user) -> list[tuple]:
    """Pending proposals the user decides, grouped by the event whose organisers made them:
    [(event, [proposal, ...]), ...], each proposal with `current` (the field's value now)."""
    groups: dict = {}
    for proposal in proposals_awaiting(user):
        record = proposal.record
        kind = proposal.record_type
        proposal.field_label = field_label(kind, proposal.field)
        proposal.current_text = value_label(kind, proposal.field, getattr(record, proposal.field))
        proposal.proposed_text = value_label(kind, proposal.field, proposal.proposed_value)
        if proposal.source == ProposalSource.PORTAL and proposal.actor_id:
            # A delegate who is not an owner proposed it: the owner should know who.
            person = getattr(proposal.actor, "person", None)
            proposal.proposer = person.name if person else proposal.actor.email
        groups.setdefault(proposal.event, []).append(proposal)
    return list(groups.items())
