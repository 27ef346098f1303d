"""The consent ledger: separate purposes, each granted or withdrawn with version, time and channel."""

from __future__ import annotations

from django.db import transaction

from superconnector.directory.models import Person
from superconnector.privacy.models import ConsentRecord, Purpose

# The version of the consent texts shown at registration; raise it when they change.
CONSENT_VERSION = "2026-12"  # 2026-12: each purpose explained; the contact consent enforced


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
    return {
        **dict.fromkeys(Purpose.values, False),
        **consent_answers([person.pk]).get(person.pk, {}),
    }


def consent_answers(person_ids) -> dict[int, dict[str, bool]]:
    """Each person's latest answer per purpose they were asked about, for many people in
    one query (exports); a purpose never asked is absent, not False."""
    answers: dict[int, dict[str, bool]] = {}
    records = ConsentRecord.objects.filter(person_id__in=person_ids).order_by(
        "person_id", "purpose", "-recorded_at", "-pk"
    )
    for person_id, purpose, granted in records.values_list("person_id", "purpose", "granted"):
        answers.setdefault(person_id, {}).setdefault(purpose, granted)
    return answers


def _apply(person: Person) -> None:
    """Keep the flags that listings filter on in step with the ledger. People with no
    ledger entry for a purpose (imported by an organiser who collected consent on paper)
    keep the default: shown, and their contact shared after an accepted meeting."""
    answers = consent_answers([person.pk]).get(person.pk, {})
    flags = {"profile_hidden": Purpose.PROFILE, "contact_hidden": Purpose.CONTACT}
    changed = []
    for flag, purpose in flags.items():
        hidden = answers.get(purpose) is False
        if getattr(person, flag) != hidden:
            setattr(person, flag, hidden)
            changed.append(flag)
    if changed:
        # A hidden profile leaves the listings at once: the save closes the person's open
        # requests and meetings (meetings/signals.py -> withdraw_unlisted).
        person.save(update_fields=[*changed, "updated_at"])
