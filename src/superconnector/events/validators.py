"""Meeting sessions lie within their event's dates.

A session outside them would give delegates meetings on a day the event does not run (and
the request deadline, the retention period and the agenda mails all read the event's
dates). The rule is checked where sessions and event dates are written: the models'
clean() (back-office forms and the admin) and the exchange import's whole-event checks.

Pure functions of dates and the sessions passed in: the models call them, so they import
no model (docs/architecture.md: models never import domain code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from django.utils.translation import gettext as _


class DatedSession(Protocol):
    key: str
    date: dt.date


def session_date_error(starts_on: dt.date, ends_on: dt.date, date: dt.date) -> str | None:
    """Why a session on `date` cannot belong to an event running from `starts_on` to
    `ends_on`, or None if it can."""
    if starts_on <= date <= ends_on:
        return None
    return _("%(date)s is outside the event's dates (%(starts)s to %(ends)s).") % {
        "date": date.isoformat(),
        "starts": starts_on.isoformat(),
        "ends": ends_on.isoformat(),
    }


def sessions_outside_errors(
    sessions: Iterable[DatedSession], starts_on: dt.date, ends_on: dt.date
) -> dict[str, str]:
    """For new dates of an existing event: {field: message} for each end of the event that
    would leave one of its `sessions` (in date order) outside (empty if none)."""
    errors = {}
    sessions = tuple(sessions)
    before = [s for s in sessions if s.date < starts_on]
    if before:
        errors["starts_on"] = _(
            "Meeting sessions would fall before the event's start: %(sessions)s. "
            "Move or delete them first."
        ) % {"sessions": _session_list(before)}
    after = [s for s in sessions if s.date > ends_on]
    if after:
        errors["ends_on"] = _(
            "Meeting sessions would fall after the event's end: %(sessions)s. "
            "Move or delete them first."
        ) % {"sessions": _session_list(after)}
    return errors


def _session_list(sessions: Sequence[DatedSession]) -> str:
    shown = ", ".join(f"{s.key} ({s.date.isoformat()})" for s in sessions[:5])
    return shown + (f" … (+{len(sessions) - 5})" if len(sessions) > 5 else "")
