"""Whole-event checks on a virtual document: the event as it would be after the import.

The virtual document is the event's current state (as exported) overlaid with the
incoming rows, minus pruned rows. Checking it, rather than the incoming file alone, finds
every reference to a missing row and every clash with data already in the event, before
anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from superconnector.events.domain.slots import compute_slot_times
from superconnector.exchange.document import ROW_KEY, ParsedDocument
from superconnector.exchange.problems import Problem
from superconnector.exchange.schema import LIST_NAMES

# Which lists each list refers to, as (field, list); used for pruning cascades and checks.
REFERENCES = {
    "participants": [("organisation", "organisations")],
    "opportunities": [("organisation", "organisations")],
    "availability": [("participant", "participants")],
    "meeting_requests": [("from", "participants"), ("to", "participants")],
    "meetings": [("request", "meeting_requests")],
}


@dataclass
class Row:
    data: dict
    path: str  # "$.participants[3]" for incoming rows; a description for existing ones
    incoming: bool

    @property
    def where(self) -> str:
        return f"at {self.path}" if self.incoming else "already in the event"


@dataclass
class VirtualEvent:
    event: dict
    lists: dict[str, dict[str, Row]]
    pruned: dict[str, list[str]] = field(default_factory=dict)
    duplicate_problems: list[Problem] = field(default_factory=list)
    # Keys of incoming rows that had structural problems: they exist, but are not checked.
    unchecked_keys: dict[str, set[str]] = field(default_factory=dict)

    def knows(self, name: str, key: str) -> bool:
        return key in self.lists[name] or key in self.unchecked_keys.get(name, ())


def build_virtual_event(
    current: dict | None, incoming: ParsedDocument, prune: bool
) -> VirtualEvent:
    """Overlay `incoming` on `current` (an export of the event, or None for a new event)."""
    virtual = VirtualEvent(event=incoming.event, lists={}, unchecked_keys=incoming.unchecked_keys)
    for name in LIST_NAMES:
        key_field = ROW_KEY[name]
        existing_rows = (current or {}).get(name) or []
        rows = {
            row[key_field]: Row(row, f'{_singular(name)} "{row[key_field]}"', False)
            for row in existing_rows
        }
        incoming_rows = incoming.lists[name]
        if incoming_rows is not None:
            seen: dict[str, int] = {}
            if prune:
                virtual.pruned[name] = [
                    k for k in rows if k not in {r[key_field] for r in incoming_rows}
                ]
                for key in virtual.pruned[name]:
                    del rows[key]
            for index, row in enumerate(incoming_rows):
                key = row[key_field]
                path = f"$.{name}[{index}]"
                if key in seen:
                    virtual.duplicate_problems.append(
                        Problem(
                            f"{path}.{key_field}",
                            f'duplicate {key_field} "{key}", already used at $.{name}[{seen[key]}]',
                        )
                    )
                    continue
                seen[key] = index
                rows[key] = Row(row, path, True)
        virtual.lists[name] = rows
    _cascade_pruning(virtual)
    return virtual


def _singular(name: str) -> str:
    return {
        "organisations": "organisation",
        "participants": "participant",
        "opportunities": "opportunity",
        "meeting_sessions": "meeting session",
        "availability": "availability of",
        "meeting_requests": "meeting request",
        "meetings": "meeting for request",
    }[name]


def _cascade_pruning(virtual: VirtualEvent) -> None:
    """Existing rows whose parent was pruned go with it, as the database cascade will do."""
    for name in LIST_NAMES:
        for ref_field, target in REFERENCES.get(name, []):
            targets = virtual.lists[target]
            for key, row in list(virtual.lists[name].items()):
                if not row.incoming and row.data[ref_field] not in targets:
                    del virtual.lists[name][key]
                    virtual.pruned.setdefault(name, []).append(key)


def check_virtual_event(virtual: VirtualEvent) -> list[Problem]:
    problems = list(virtual.duplicate_problems)
    for check in (
        _check_event,
        _check_references,
        _check_emails,
        _check_sessions,
        _check_session_dates,
        _check_availability,
        _check_requests,
        _check_meetings,
    ):
        problems.extend(check(virtual))
    return problems


def _check_event(virtual: VirtualEvent) -> Iterator[Problem]:
    event = virtual.event
    if event["ends_on"] < event["starts_on"]:
        yield Problem(
            "$.event.ends_on", f"{event['ends_on']} is before starts_on {event['starts_on']}"
        )


def _check_references(virtual: VirtualEvent) -> Iterator[Problem]:
    for name, references in REFERENCES.items():
        for row in virtual.lists[name].values():
            for ref_field, target in references:
                value = row.data[ref_field]
                if not virtual.knows(target, value):
                    yield Problem(
                        f"{row.path}.{ref_field}",
                        f'refers to {_singular(target)} "{value}", which is neither in the '
                        "document nor in the event",
                    )


def _check_emails(virtual: VirtualEvent) -> Iterator[Problem]:
    owners: dict[str, Row] = {}
    for row in sorted(virtual.lists["participants"].values(), key=lambda r: r.incoming):
        email = row.data["email"]
        if email in owners:
            other = owners[email]
            yield Problem(
                f"{row.path}.email",
                f'{email} is already the e-mail of participant "{other.data["key"]}" '
                f"({other.where}); e-mail addresses are unique within an event",
            )
        else:
            owners[email] = row


def _check_sessions(virtual: VirtualEvent) -> Iterator[Problem]:
    for row in virtual.lists["meeting_sessions"].values():
        session = row.data
        if session["end"] <= session["start"]:
            yield Problem(
                f"{row.path}.end", f"{session['end']} is not after start {session['start']}"
            )
        elif not session_slots(session):
            yield Problem(
                f"{row.path}.slot_minutes",
                f"no {session['slot_minutes']}-minute slot fits between "
                f"{session['start']} and {session['end']}",
            )


def _check_session_dates(virtual: VirtualEvent) -> Iterator[Problem]:
    """Sessions lie within the event's dates. An incoming session is named by its own path;
    sessions already in the event that new event dates would leave outside are reported at
    the date that moved ($.event.starts_on or $.event.ends_on), all of them in one problem."""
    event = virtual.event
    starts, ends = event["starts_on"], event["ends_on"]
    if ends < starts:
        return  # reported by _check_event
    left_out: dict[str, list[str]] = {"starts_on": [], "ends_on": []}
    for row in virtual.lists["meeting_sessions"].values():
        date = row.data["date"]
        if starts <= date <= ends:
            continue
        if row.incoming:
            yield Problem(
                f"{row.path}.date", f"{date} is outside the event's dates ({starts} to {ends})"
            )
        else:
            side = "starts_on" if date < starts else "ends_on"
            left_out[side].append(f'"{row.data["key"]}" ({date})')
    for side, sessions in left_out.items():
        if sessions:
            yield Problem(
                f"$.event.{side}",
                f"{event[side]} would leave meeting sessions already in the event outside the "
                f"event's dates: {', '.join(sorted(sessions))}; move or delete them first",
            )


def session_slots(session: dict) -> list[tuple[str, str]]:
    """The session's slots as ("HH:MM", "HH:MM") pairs."""
    times = compute_slot_times(
        dt.time.fromisoformat(session["start"]),
        dt.time.fromisoformat(session["end"]),
        session["slot_minutes"],
        session["gap_minutes"],
    )
    return [(start.strftime("%H:%M"), end.strftime("%H:%M")) for start, end in times]


def _check_availability(virtual: VirtualEvent) -> Iterator[Problem]:
    for row in virtual.lists["availability"].values():
        for index, key in enumerate(row.data["sessions"] or []):
            if not virtual.knows("meeting_sessions", key):
                yield Problem(
                    f"{row.path}.sessions[{index}]",
                    f'refers to meeting session "{key}", which is neither in the document nor '
                    "in the event",
                )
        for index, block in enumerate(row.data["unavailable"]):
            if block["end"] <= block["start"]:
                yield Problem(
                    f"{row.path}.unavailable[{index}].end",
                    f"{block['end']} is not after start {block['start']}",
                )


def _check_requests(virtual: VirtualEvent) -> Iterator[Problem]:
    participants = virtual.lists["participants"]
    active_pairs: dict[frozenset, Row] = {}
    for row in sorted(virtual.lists["meeting_requests"].values(), key=lambda r: r.incoming):
        request = row.data
        sender, recipient = participants.get(request["from"]), participants.get(request["to"])
        if request["from"] == request["to"]:
            yield Problem(
                f"{row.path}.to", "a participant cannot request a meeting with themselves"
            )
            continue
        if sender and recipient and sender.data["organisation"] == recipient.data["organisation"]:
            yield Problem(
                f"{row.path}.to",
                f'"{request["from"]}" and "{request["to"]}" both belong to organisation '
                f'"{sender.data["organisation"]}"; meetings are between different organisations',
            )
        if request["status"] in ("pending", "accepted"):
            pair = frozenset((request["from"], request["to"]))
            if pair in active_pairs:
                other = active_pairs[pair]
                yield Problem(
                    f"{row.path}.key",
                    f'"{request["from"]}" and "{request["to"]}" already have an open request '
                    f'"{other.data["key"]}" ({other.where}); decline or cancel one of them',
                )
            else:
                active_pairs[pair] = row


def _check_meetings(virtual: VirtualEvent) -> Iterator[Problem]:
    requests = virtual.lists["meeting_requests"]
    slot_index = _index_slots(virtual)
    tables_taken: dict[tuple, Row] = {}
    per_slot: Counter = Counter()
    busy: dict[str, list[tuple[str, str, str, Row]]] = defaultdict(list)
    for row in sorted(virtual.lists["meetings"].values(), key=lambda r: r.incoming):
        meeting = row.data
        request = requests.get(meeting["request"])
        if request is None:
            continue  # reported by _check_references
        if request.data["status"] != "accepted":
            yield Problem(
                f"{row.path}.request",
                f'request "{meeting["request"]}" is {request.data["status"]}; only accepted '
                "requests can have a meeting",
            )
        slot = slot_index.get((meeting["date"], meeting["start"], meeting["end"]))
        if slot is None:
            yield Problem(
                f"{row.path}.start",
                f"{meeting['date']} {meeting['start']}-{meeting['end']} is not a slot of any "
                "meeting session",
            )
            continue
        session_key, _index, tables = slot
        where = (meeting["date"], meeting["start"], meeting["table"])
        if where in tables_taken:
            other = tables_taken[where]
            yield Problem(
                f"{row.path}.table",
                f"table {meeting['table']} at {meeting['date']} {meeting['start']} is already "
                f'taken by the meeting for request "{other.data["request"]}" ({other.where})',
            )
        tables_taken[where] = row
        per_slot[slot] += 1
        if per_slot[slot] == tables + 1:
            yield Problem(
                row.path,
                f"more meetings at {meeting['date']} {meeting['start']} than session "
                f'"{session_key}" has tables ({tables})',
            )
        for person in (request.data["from"], request.data["to"]):
            for date, start, end, other in busy[person]:
                if date == meeting["date"] and start < meeting["end"] and meeting["start"] < end:
                    yield Problem(
                        row.path,
                        f'participant "{person}" already has a meeting at {date} {start}-{end} '
                        f'(request "{other.data["request"]}", {other.where})',
                    )
            busy[person].append((meeting["date"], meeting["start"], meeting["end"], row))


def _index_slots(virtual: VirtualEvent) -> dict[tuple[str, str, str], tuple[str, int, int]]:
    """(date, start, end) -> (session key, slot index, tables) for every slot of the event."""
    index: dict[tuple[str, str, str], tuple[str, int, int]] = {}
    for row in virtual.lists["meeting_sessions"].values():
        session = row.data
        for number, (start, end) in enumerate(session_slots(session)):
            index.setdefault(
                (session["date"], start, end), (session["key"], number, session["tables"])
            )
    return index
