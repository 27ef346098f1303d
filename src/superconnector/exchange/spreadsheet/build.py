"""A checked delegate list as an exchange document: its organisations and participants.

The document goes through the same all-or-nothing import as a JSON file, so a list can
change nothing that the exchange format could not.
"""

from __future__ import annotations

import hashlib

from superconnector.directory.domain.ownership import ORGANISATION_FIELDS
from superconnector.directory.identity import fold_name
from superconnector.events.models import Event
from superconnector.exchange.exporter import export_event
from superconnector.exchange.schema import FORMAT
from superconnector.exchange.spreadsheet.rows import Delegate


def build_document(
    event: Event, delegates: list[Delegate], assumed: dict[str, dict[str, set[str]]] | None = None
) -> dict:
    """An exchange document adding or updating these delegates and their organisations.

    Rows already in the event are the starting point, so columns the list does not have
    (an organisation's description, say) keep their values. Values the list does not give
    for an organisation new to the event (its kind, by default "enterprise") are noted in
    `assumed`, so that they never change an organisation the platform already knows.
    """
    current = export_event(event)
    organisations = {fold_name(o["name"]): o for o in current["organisations"]}
    organisations.update(
        {fold_name(o["name_zh"]): o for o in current["organisations"] if o["name_zh"]}
    )
    participants = {p["email"]: p for p in current["participants"]}
    touched_orgs: dict[str, dict] = {}
    people = []
    org_given: dict[str, set[str]] = {}
    person_taken: dict[str, set[str]] = {}
    for delegate in delegates:
        org = _organisation_row(delegate, organisations, touched_orgs)
        org_given.setdefault(org["key"], set()).update(
            name
            for name, value in (
                ("kind", delegate.kind),
                ("region", delegate.region),
                ("sectors", delegate.sectors),
            )
            if value
        )
        if delegate.email in participants:
            person_taken[participants[delegate.email]["key"]] = {
                name
                for name, value in (
                    ("name_zh", delegate.name_zh),
                    ("title", delegate.title),
                    ("phone", delegate.phone),
                    ("languages", delegate.languages),
                )
                if not value
            }
        person = dict(
            participants.get(delegate.email)
            or {
                "key": delegate.key or _derived_key("p", delegate.email),
                "role": "delegate",
                "languages": [],
                "name_zh": None,
                "title": None,
                "phone": None,
            }
        )
        person.update(
            organisation=org["key"],
            name=delegate.name,
            email=delegate.email,
            name_zh=delegate.name_zh or person["name_zh"],
            title=delegate.title or person["title"],
            phone=delegate.phone or person["phone"],
            role=delegate.role or person["role"],
            languages=list(delegate.languages) or person["languages"],
        )
        people.append(person)
    if assumed is not None:
        _note_assumed(assumed, current, touched_orgs, org_given, person_taken)
    return {
        "format": FORMAT,
        "event": current["event"],
        "organisations": list(touched_orgs.values()),
        "participants": people,
    }


def _note_assumed(
    assumed: dict[str, dict[str, set[str]]],
    current: dict,
    touched_orgs: dict[str, dict],
    org_given: dict[str, set[str]],
    person_taken: dict[str, set[str]],
) -> None:
    """Note every value the list did not give itself, so that it never changes a record.

    A value taken from the event's export is only a starting point: the importer plans in
    a later snapshot, and a delegate may have saved their profile in between. Written back,
    the exported value would undo that edit. A default (an organisation's kind,
    "enterprise") must likewise never change an organisation the platform already knows.
    """
    known_keys = {o["key"] for o in current["organisations"]}
    for org in touched_orgs.values():
        given = org_given.get(org["key"], set())
        # A known organisation is only named by the list (matched by folded name), which
        # at most gives its kind, region and sectors: everything else came from the export.
        # A new one takes its kind from the list or by default.
        taken = (set(ORGANISATION_FIELDS) if org["key"] in known_keys else {"kind"}) - given
        if taken:
            assumed.setdefault("organisations", {}).setdefault(org["key"], set()).update(taken)
    for key, taken in person_taken.items():
        if taken:
            assumed.setdefault("participants", {}).setdefault(key, set()).update(taken)


def _organisation_row(delegate: Delegate, known: dict[str, dict], touched: dict[str, dict]) -> dict:
    folded = fold_name(delegate.organisation)
    if folded in touched:
        row = touched[folded]
    else:
        row = dict(
            known.get(folded)
            or {
                "key": _derived_key("org", folded),
                "name": delegate.organisation,
                "kind": "enterprise",
                "region": "",
                "sectors": [],
                "description": "",
            }
        )
        touched[folded] = row
    if delegate.kind:
        row["kind"] = delegate.kind
    if delegate.region:
        row["region"] = delegate.region
    if delegate.sectors:
        row["sectors"] = list(
            dict.fromkeys([*row["sectors"], *(s.lower() for s in delegate.sectors)])
        )
    return row


def _derived_key(prefix: str, text: str) -> str:
    """A stable key from a name or e-mail, so that importing the same list twice matches up."""
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"
