"""Personal data held by apps that privacy may not import: they register it here.

Privacy sits at the top of the data apps and reads every data app directly
(privacy/domain/erasure.py, privacy/domain/retention.py). The audience apps sit above it,
yet some keep personal data of their own: the API's tokens act as a delegate, the back
office's uploaded delegate lists hold people's rows. Each registers a `PersonalDataHolder`
from its AppConfig.ready(), and erasure and retention call every registered holder, as
pretix's data shredders are registered by plugins. A new audience-app model that stores
anything about a person needs a holder, or erasure and retention will miss it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# Replaces what identifies the person being erased in a value (text, or JSON of lists and
# dicts), leaving the rest as it was.
Scrub = Callable[[Any], Any]


class PersonalDataHolder:
    """What one app holds on people, and how erasure and retention remove it.

    Subclasses override what applies to them; the defaults hold nothing.
    """

    # Names the count in a purge's report: "uploads" is reported as "uploads_deleted".
    name: str = ""

    def count_for_event(self, event) -> int:
        """How many of its rows `delete_for_event` would delete (the purge's dry run)."""
        return 0

    def delete_for_event(self, event) -> None:
        """The event is purged at the end of its retention: delete what names its people."""

    def scrub_person(self, event_ids: Iterable[int], scrub: Scrub) -> None:
        """A person of these events is erased: apply `scrub` wherever a copy names them."""

    def close_account(self, user, person) -> None:
        """`user`'s account (`person`'s) is closed for good: revoke whatever acts as them."""


_holders: dict[str, PersonalDataHolder] = {}


def register_holder(holder: PersonalDataHolder) -> None:
    """Register `holder` (from an AppConfig.ready()). A second holder of the same name
    replaces the first, so that registering again when apps are reloaded is harmless."""
    if not holder.name:
        raise ValueError("a personal-data holder needs a name")
    _holders[holder.name] = holder


def registered_holders() -> list[PersonalDataHolder]:
    return list(_holders.values())
