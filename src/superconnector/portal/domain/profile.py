"""A delegate keeps their organisation's profile and its opportunities."""

from __future__ import annotations

import uuid

from django.db import transaction

from superconnector.directory.models import EventOrganisation, Opportunity, Organisation
from superconnector.engine.text import detect_language


def language_of(declared: str, *texts: str) -> str:
    """The author's language as declared, else as detected from what they wrote."""
    return declared or detect_language("\n".join(t for t in texts if t))


def save_organisation_profile(organisation: Organisation, *, language: str = "") -> Organisation:
    """Save the edited profile; its language is kept as declared, else detected."""
    organisation.language = language_of(
        language, organisation.name_zh, organisation.description, organisation.name
    )
    organisation.save()
    return organisation


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
