"""The consent ledger: separate purposes, each granted or withdrawn with version, time and channel."""

from __future__ import annotations

from django.db import transaction

from superconnector.directory.models import Person
from superconnector.privacy.models import ConsentRecord, Purpose

# The version of the consent texts shown at registration; raise it when they change.
CONSENT_VERSION = "2026-11"


@transaction.atomic
def record_consents(
    person: Person, choices: dict[str, bool], *, channel: str, version: str = CONSENT_VERSION
) -> list[ConsentRecord]:
    """Record each purpose's answer as given (unticked means not granted)."""
    unknown = set(choices) - set(Purpose.values)
    if unknown:
        raise ValueError(f"unknown consent purposes: {', '.join(sorted(unknown))}")
    records = [
        ConsentRecord.objects.create(
            person=person, purpose=purpose, granted=granted, version=version, channel=channel
        )
        for purpose, granted in choices.items()
    ]
    _apply(person)
    return records


def withdraw(person: Person, purpose: str, *, channel: str) -> ConsentRecord:
    """Withdraw one consent; effective at once (the profile disappears from listings)."""
    return record_consents(person, {purpose: False}, channel=channel)[0]


def needs_consent_answers(person: Person) -> bool:
    """Whether `person` has not yet answered the current consent texts: the first visit
    after registration (or an invitation), and again after the texts change."""
    return not ConsentRecord.objects.filter(person=person, version=CONSENT_VERSION).exists()


def current_consents(person: Person) -> dict[str, bool]:
    """Each purpose's latest answer; never asked counts as not granted."""
    latest: dict[str, bool] = dict.fromkeys(Purpose.values, False)
    seen: set[str] = set()
    for record in ConsentRecord.objects.filter(person=person).order_by("-recorded_at", "-pk"):
        if record.purpose not in seen:
            latest[record.purpose] = record.granted
            seen.add(record.purpose)
    return latest


def _apply(person: Person) -> None:
    """Keep the listing flag in step with the ledger. People with no ledger entry at all
    (imported by an organiser who collected consent on paper) stay visible."""
    records = ConsentRecord.objects.filter(person=person, purpose=Purpose.PROFILE)
    latest = records.order_by("-recorded_at", "-pk").first()
    hidden = latest is not None and not latest.granted
    if person.profile_hidden != hidden:
        person.profile_hidden = hidden
        person.save(update_fields=["profile_hidden", "updated_at"])
