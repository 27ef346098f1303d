"""Reading an exchange document: JSON text -> checked structure -> canonical rows.

A canonical document is a plain dict shaped exactly like an export: every field present,
optional blanks as None, defaults filled in, codes normalised. The exporter produces the
same shape, so "unchanged" is plain equality and export -> import -> export is stable.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from superconnector.engine.text import detect_language
from superconnector.exchange.problems import ImportRejected, Problem, json_path
from superconnector.exchange.schema import FORMAT, LIST_NAMES, ROW_MODELS, DocumentIn, EventIn

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
    """Decode a JSON document; exchange files are UTF-8 (a byte-order mark is tolerated)."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text)
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
    if not problems:
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
        )
    structural = [Problem(p.path, p.message) for p in problems]
    if any(p.loc[:1] == ("event",) for p in problems):
        raise ImportRejected(structural, source)
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
        return None, [_LocatedProblem(_clean_loc(e["loc"]), _describe(e)) for e in exc.errors()]


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds the branch name of union types ("list[...]", "function-after[...]")
    return tuple(part for part in loc if not (isinstance(part, str) and "[" in part))


def _describe(error: dict) -> str:
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


# --- canonical rows -------------------------------------------------------------------------


def _blank_to_none(value: str | None) -> str | None:
    return value or None


def _codes(values: list[str] | None) -> list[str]:
    """Lower-cased, de-duplicated codes in their original order."""
    return list(dict.fromkeys(v.strip().lower() for v in values or [] if v and v.strip()))


def _labels(values: list[str] | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values or [] if v and v.strip()))


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
        "region": row["region"],
        "sectors": _codes(row.get("sectors")),
        "description": row["description"],
        "language": row.get("language") or detect_language(f"{row['name']} {row['description']}"),
        "website": _blank_to_none(row.get("website")),
    }


def canonical_participant(row: dict) -> dict:
    return {
        "key": row["key"],
        "organisation": row["organisation"],
        "name": row["name"],
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
        "sectors": _codes(row.get("sectors")),
        "regions": _labels(row.get("regions")),
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
