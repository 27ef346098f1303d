"""Reading an exchange document: JSON text -> checked structure -> canonical rows.

A canonical document is a plain dict shaped exactly like an export: every field present,
optional blanks as None, defaults filled in, codes normalised. The exporter produces the
same shape, so "unchanged" is plain equality and export -> import -> export is stable.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Field, Model
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from superconnector.directory.labels import (
    normalise_region,
    normalise_regions,
    normalise_sectors,
)
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    Participant,
    Person,
)
from superconnector.engine.text import detect_language
from superconnector.events.models import Event, MeetingSession
from superconnector.exchange.problems import ImportRejected, Problem, json_path
from superconnector.exchange.schema import FORMAT, LIST_NAMES, ROW_MODELS, DocumentIn, EventIn
from superconnector.meetings.models import Meeting, MeetingRequest

DEFAULT_TIMEZONE = "Asia/Hong_Kong"
# Rows of a list are identified by this field (unique within the event).
ROW_KEY = {
    "organisations": "key",
    "participants": "key",
    "opportunities": "key",
    "meeting_sessions": "key",
    "availability": "participant",
    "meeting_requests": "key",
    "meetings": "request",
}


@dataclass
class ParsedDocument:
    """A document's structurally sound rows in canonical form; absent lists are None.

    `problems` are the structural problems found; rows that have them are left out of
    `lists`, and their keys are kept in `unchecked_keys` so that references to them are
    not reported as missing as well.
    """

    event: dict
    lists: dict[str, list[dict] | None]
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchecked_keys: dict[str, set[str]] = field(default_factory=dict)


def parse_json(text: str | bytes, source: str = "") -> Any:
    """Decode a JSON document; exchange files are UTF-8 (a byte-order mark is tolerated).

    An object that names a key twice is kept with the key's duplicates marked, so that
    read_document reports it with its path instead of silently keeping the last value.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text, object_pairs_hook=_object_keeping_duplicates)
    except UnicodeDecodeError as exc:
        problem = Problem("$", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")
    except json.JSONDecodeError as exc:
        problem = Problem("$", f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    except RecursionError:
        # A hostile file of "[[[[…" exhausts the decoder's stack; no exchange document
        # nests more than five levels.
        problem = Problem("$", "invalid JSON: nested too deeply to be an exchange document")
    raise ImportRejected([problem], source)


def read_document(data: Any, *, lenient: bool = False, source: str = "") -> ParsedDocument:
    """Check the structure of a decoded JSON document, row by row.

    Structural problems are returned in `problems` (not raised) so that the whole-event
    checks can still run on the sound rows and every problem is reported at once. Raises
    ImportRejected only when nothing else can be checked: not an object, a wrong format,
    or a broken `event`. With `lenient`, unknown fields are dropped with a warning.
    """
    if not isinstance(data, dict):
        raise ImportRejected([Problem("$", "the document must be a JSON object")], source)
    # Before anything walks the document recursively (a copy, the schema): hostile nesting,
    # duplicate keys and NUL characters end here, each named by its path.
    if unreadable := scan_document(data):
        raise ImportRejected(unreadable, source)
    if data.get("format") != FORMAT:
        # Nothing else can be read reliably in another format or version.
        found = json.dumps(data.get("format")) if "format" in data else "nothing"
        message = f'must be "{FORMAT}", found {found}'
        raise ImportRejected([Problem("$.format", message)], source)
    warnings: list[Problem] = []
    data = copy.deepcopy(data)
    model, problems = _validate(data)
    if lenient and problems:
        unknown = [p for p in problems if p.message == "unknown field"]
        for problem in unknown:
            _drop_path(data, problem.loc)
        warnings = [Problem(p.path, "unknown field, ignored") for p in unknown]
        model, problems = _validate(data)
    field_problems = check_field_values(data)
    if any(p.path.startswith("$.event.") for p in field_problems):
        raise ImportRejected(
            [Problem(p.path, p.message) for p in problems]
            + [p for p in field_problems if p.path.startswith("$.event.")],
            source,
        )
    if model is not None:  # no structural problem
        return ParsedDocument(
            event=canonical_event(model.event.model_dump()),
            lists={
                name: None
                if getattr(model, name) is None
                else [
                    CANONICALISERS[name](row.model_dump(by_alias=True))
                    for row in getattr(model, name)
                ]
                for name in LIST_NAMES
            },
            warnings=warnings,
            problems=field_problems,
        )
    structural = [Problem(p.path, p.message) for p in problems]
    if any(p.loc[:1] == ("event",) for p in problems):
        raise ImportRejected(structural, source)
    structural += [p for p in field_problems if not p.path.startswith("$.event.")]
    parsed = ParsedDocument(
        event=canonical_event(EventIn.model_validate(data["event"]).model_dump()),
        lists={},
        warnings=warnings,
        problems=structural,
    )
    for name in LIST_NAMES:
        parsed.lists[name], parsed.unchecked_keys[name] = _read_rows(name, data.get(name))
    return parsed


def _read_rows(name: str, rows: Any) -> tuple[list[dict] | None, set[str]]:
    """Canonical rows of one list that are sound on their own, and the keys of the others."""
    if not isinstance(rows, list):
        return None, set()
    sound, unchecked = [], set()
    key_field = ROW_KEY[name]
    for row in rows:
        try:
            model = ROW_MODELS[name].model_validate(row)
        except ValidationError:
            if isinstance(row, dict) and isinstance(row.get(key_field), str):
                unchecked.add(row[key_field].strip())
            continue
        sound.append(CANONICALISERS[name](model.model_dump(by_alias=True)))
    return sound, unchecked


@dataclass
class _LocatedProblem:
    loc: tuple
    message: str

    @property
    def path(self) -> str:
        return json_path(self.loc)


def _validate(data: dict) -> tuple[DocumentIn | None, list[_LocatedProblem]]:
    try:
        return DocumentIn.model_validate(data), []
    except ValidationError as exc:
        return None, [
            _LocatedProblem(_clean_loc(e["loc"]), _shortened(_describe(e))) for e in exc.errors()
        ]


def _shortened(message: str, limit: int = 400) -> str:
    """A message quoting a huge value (a 5 MB name) keeps its start and its end."""
    if len(message) <= limit:
        return message
    return f"{message[: limit // 2]} … {message[-limit // 4 :]}"


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds the branch name of union types ("list[...]", "function-after[...]")
    return tuple(part for part in loc if not (isinstance(part, str) and "[" in part))


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, found {json.dumps(error['input'], ensure_ascii=False)}"
    simple = {
        "string_type": "must be a string",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "list_type": "must be a list",
        "model_type": "must be an object",
        "dict_type": "must be an object",
        "model_attributes_type": "must be an object",
    }
    if kind in simple:
        return f"{simple[kind]}, found {json.dumps(error['input'], ensure_ascii=False)[:60]}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, found {error['input']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, found {error['input']}"
    return error["msg"]


def _drop_path(data: Any, loc: tuple) -> None:
    target = data
    for part in loc[:-1]:
        target = target[part]
    target.pop(loc[-1], None)


# --- hostile input --------------------------------------------------------------------------

# No exchange document nests deeper than five levels ($.availability[0].unavailable[0].date);
# a deeper one is refused at once instead of exhausting a recursive walk (RecursionError).
MAX_DEPTH = 12
# Enough to show what is wrong with a hostile file, not a million lines about it.
MAX_SCAN_PROBLEMS = 200


class _DuplicateKeys(dict):
    """A JSON object in which some key appeared more than once (the last value is kept)."""

    duplicates: list[str]


def _object_keeping_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    marked = _DuplicateKeys(obj)
    marked.duplicates = []
    for key, _value in pairs:
        if key in seen and key not in marked.duplicates:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _printable(text: str) -> str:
    return text.replace("\x00", "\\x00").replace("\r", "\\r").replace("\n", "\\n")


def scan_document(data: Any) -> list[Problem]:
    """Problems no JSON value of an exchange document may have, each with its path: nesting
    deeper than MAX_DEPTH, a key given twice in one object, a NUL character in a text or key
    (PostgreSQL stores none; SQLite would, and the event could then never move to
    PostgreSQL). Iterative, so that no nesting can exhaust the stack."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack and len(problems) < MAX_SCAN_PROBLEMS:
        value, loc, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(
                    Problem(
                        json_path(loc),
                        "contains a NUL character (\\u0000), which no text may contain",
                    )
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            problems.append(
                Problem(
                    json_path(loc),
                    f"nested more than {MAX_DEPTH} levels deep; an exchange document never is",
                )
            )
            continue
        if isinstance(value, list):
            stack.extend((item, (*loc, i), depth + 1) for i, item in enumerate(value))
            continue
        for key in getattr(value, "duplicates", ()):
            problems.append(
                Problem(
                    json_path((*loc, _printable(key))),
                    "this key appears more than once in the same object; give it once",
                )
            )
        for key, item in value.items():
            if "\x00" in key:
                problems.append(
                    Problem(
                        json_path((*loc, _printable(key))),
                        "the key contains a NUL character (\\u0000), which no text may contain",
                    )
                )
                continue
            stack.append((item, (*loc, key), depth + 1))
    return sorted(problems, key=lambda p: p.path)


# Text that can reach an e-mail's headers (subjects name the event, people and organisations,
# and display names): a line break there would break the header or add one.
HEADER_FIELDS = {
    "event": ("name", "name_zh"),
    "organisations": ("name", "name_zh"),
    "participants": ("name", "name_zh", "title"),
    "opportunities": ("title",),
}


@functools.cache
def field_limits() -> dict[str, dict[str, int]]:
    """The longest text each field may have: the max_length of the column that stores it."""

    def max_length(model: type[Model], name: str) -> int:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.max_length is None:
            raise ValueError(f"{model.__name__}.{name} stores text of any length")
        return field.max_length

    def limits(model: type[Model], *names: str, **renamed: str) -> dict[str, int]:
        fields = {name: name for name in names} | renamed
        return {
            exchange_name: max_length(model, model_name)
            for exchange_name, model_name in fields.items()
        }

    key = max_length(Participant, "key")
    return {
        "event": limits(Event, "slug", "name", "name_zh", "venue", "timezone"),
        "organisations": limits(Organisation, "name", "name_zh", "region", "website")
        | limits(EventOrganisation, "key"),
        "participants": limits(Person, "name", "name_zh", "title", "phone", "email")
        | limits(Participant, "key")
        | {"organisation": key},
        "opportunities": limits(Opportunity, "key", "title") | {"organisation": key},
        "meeting_sessions": limits(MeetingSession, "key", "location"),
        "availability": {"participant": key},
        "meeting_requests": limits(MeetingRequest, "key") | {"from": key, "to": key},
        "meetings": limits(Meeting, "table") | {"request": key},
    }


def check_field_values(data: dict) -> list[Problem]:
    """Text longer than its column holds (PostgreSQL refuses it; SQLite would keep it
    whole), and line breaks in text that can reach a mail header; each with its path."""
    limits = field_limits()
    problems = []
    rows: list[tuple[str, tuple, Any]] = [("event", ("event",), data.get("event"))]
    for name in LIST_NAMES:
        if isinstance(data.get(name), list):
            rows += [(name, (name, i), row) for i, row in enumerate(data[name])]
    for name, loc, row in rows:
        if not isinstance(row, dict):
            continue
        for column, limit in limits[name].items():
            value = row.get(column)
            if not isinstance(value, str):
                continue
            value = value.strip()  # as the schema strips it
            if len(value) > limit:
                problems.append(
                    Problem(
                        json_path((*loc, column)),
                        f"is {len(value):,} characters long; at most {limit:,} fit",
                    )
                )
        for column in HEADER_FIELDS.get(name, ()):
            value = row.get(column)
            if isinstance(value, str) and ("\r" in value.strip() or "\n" in value.strip()):
                problems.append(
                    Problem(
                        json_path((*loc, column)),
                        "contains a line break; names and titles go into e-mail headers and "
                        "must be on one line",
                    )
                )
    return problems


# --- canonical rows -------------------------------------------------------------------------


def _blank_to_none(value: str | None) -> str | None:
    return value or None


def _codes(values: list[str] | None) -> list[str]:
    """Lower-cased, de-duplicated codes in their original order."""
    return list(dict.fromkeys(v.strip().lower() for v in values or [] if v and v.strip()))


def canonical_event(row: dict) -> dict:
    return {
        "slug": row["slug"],
        "name": row["name"],
        "name_zh": _blank_to_none(row.get("name_zh")),
        "kind": row.get("kind"),
        "timezone": row.get("timezone") or DEFAULT_TIMEZONE,
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "venue": _blank_to_none(row.get("venue")),
        "description": _blank_to_none(row.get("description")),
    }


def canonical_organisation(row: dict) -> dict:
    return {
        "key": row["key"],
        "name": row["name"],
        "name_zh": _blank_to_none(row.get("name_zh")),
        "kind": row["kind"],
        "region": normalise_region(row["region"]),
        "sectors": normalise_sectors(row.get("sectors")),
        "description": row["description"],
        "language": row.get("language") or detect_language(f"{row['name']} {row['description']}"),
        "website": _blank_to_none(row.get("website")),
    }


def canonical_participant(row: dict) -> dict:
    return {
        "key": row["key"],
        "organisation": row["organisation"],
        "name": row["name"],
        "name_zh": _blank_to_none(row.get("name_zh")),
        "title": _blank_to_none(row.get("title")),
        "email": row["email"].lower(),
        "phone": _blank_to_none(row.get("phone")),
        "languages": _codes(row.get("languages")),
        "role": row.get("role") or "delegate",
    }


def canonical_opportunity(row: dict) -> dict:
    return {
        "key": row["key"],
        "organisation": row["organisation"],
        "direction": row["direction"],
        "category": row["category"],
        "title": row["title"],
        "description": row["description"],
        "sectors": normalise_sectors(row.get("sectors")),
        "regions": normalise_regions(row.get("regions")),
        "language": row.get("language") or detect_language(f"{row['title']} {row['description']}"),
    }


def canonical_session(row: dict) -> dict:
    return {
        "key": row["key"],
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
        "slot_minutes": row["slot_minutes"],
        "gap_minutes": row.get("gap_minutes") or 0,
        "tables": row["tables"],
        "location": _blank_to_none(row.get("location")),
    }


def canonical_availability(row: dict) -> dict:
    sessions = row.get("sessions")
    blocks = {(b["date"], b["start"], b["end"]) for b in row.get("unavailable") or []}
    return {
        "participant": row["participant"],
        "sessions": None if sessions is None else sorted(set(sessions)),
        "unavailable": [{"date": d, "start": s, "end": e} for d, s, e in sorted(blocks)],
    }


def canonical_request(row: dict) -> dict:
    return {
        "key": row["key"],
        "from": row["from"],
        "to": row["to"],
        "status": row["status"],
        "priority": row.get("priority") or 2,
        "message": _blank_to_none(row.get("message")),
    }


def canonical_meeting(row: dict) -> dict:
    return {
        "request": row["request"],
        "date": row["date"],
        "start": row["start"],
        "end": row["end"],
        "table": row["table"],
        "locked": bool(row.get("locked")),
    }


CANONICALISERS = {
    "organisations": canonical_organisation,
    "participants": canonical_participant,
    "opportunities": canonical_opportunity,
    "meeting_sessions": canonical_session,
    "availability": canonical_availability,
    "meeting_requests": canonical_request,
    "meetings": canonical_meeting,
}
