"""Importing an exchange document: all or nothing, upserting by key, idempotent.

    parse -> read_document (structure) -> Planner (planning.py: read only, in one read
    snapshot, no write lock: build_virtual_event + check_virtual_event on the whole
    event, people and organisations resolved, every field of a shared record decided by
    directory/domain/ownership.py, and a fingerprint of what it read) -> Applier
    (applying.py: one short write transaction: the fingerprint is taken again; if
    anything the plan read changed, the plan is made again inside the transaction; then
    the plan is written). A dry run stops after the planner. See exchange/fingerprint.py
    for why that is sound.

A second import of the same document compares equal row by row and writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from superconnector.exchange.document import parse_json, read_document
from superconnector.exchange.fingerprint import read_snapshot
from superconnector.exchange.importer.applying import Applier
from superconnector.exchange.importer.planning import ImportPlan, Planner
from superconnector.exchange.importer.report import ImportReport
from superconnector.exchange.problems import ImportRejected, Problem


def import_file_content(content: bytes | str, **options) -> ImportReport:
    source = options.get("source", "")
    return import_document(parse_json(content, source), **options)


def import_document(
    data: Any,
    *,
    lenient: bool = False,
    prune: bool = False,
    dry_run: bool = False,
    source: str = "",
    actor=None,
    assumed: dict[str, dict[str, set[str]]] | None = None,
) -> ImportReport:
    """Check the whole document against the event, then write it in one transaction.

    Raises ImportRejected (listing every problem, each with its JSON path) and writes
    nothing if anything is wrong. With `prune`, rows of the lists present in the document
    that the document does not mention are deleted; without it nothing is ever deleted.

    Planning only reads (checks, tallies, changes to shared records), in a read snapshot
    that holds no write lock; a dry run returns its report. The real import then opens its
    write transaction, checks the plan's fingerprint against the data as it is then, plans
    again inside the transaction only if something the plan read changed, and writes, so
    that SQLite's single write lock is held for the writes, not for the planning.

    `assumed`: list name -> row key -> fields the source did not give (filled with a
    default so that the row is valid): they shape new records but never change existing
    ones. Organisations without a `language` are added here automatically.
    """
    parsed = read_document(data, lenient=lenient, source=source)
    assumed = _assumed_fields(data, assumed)
    options = {"actor": actor, "source": source, "assumed": assumed}
    began = time.monotonic()
    with read_snapshot():
        plan = Planner(parsed, prune, fingerprint=not dry_run, **options).run()
    plan.report.timing["plan_s"] = round(time.monotonic() - began, 3)
    if dry_run:
        plan.report.dry_run = True
        return plan.report
    _before_apply(plan)
    try:
        try:
            plan = _apply(plan, lambda: Planner(parsed, prune, lock=True, **options).run())
        except IntegrityError:
            # A clash the fingerprint does not cover (an e-mail taken meanwhile, say): the
            # slow, sure way, planning again under the lock.
            plan = _apply(None, lambda: Planner(parsed, prune, lock=True, **options).run())
    except IntegrityError as exc:
        # The checks above should have caught it; the database is the last guard.
        raise ImportRejected(
            [Problem("$", f"the database refused the import: {exc}")], source
        ) from exc
    return plan.report


def _apply(plan: ImportPlan | None, plan_again: Callable[[], ImportPlan]) -> ImportPlan:
    """Write `plan` in one short transaction if nothing it read changed since it was made;
    otherwise (or without a plan) plan again inside the transaction and write that.

    On SQLite the transaction holds the database's only write lock from BEGIN (IMMEDIATE),
    so it holds only the fingerprint, the writes, and a re-plan when one is needed.
    """
    applier = None
    if plan is not None:
        applier = Applier(plan, plan.actor)
        applier.prepare()  # the new rows' values, before BEGIN: not while holding the lock
    began = time.monotonic()
    with transaction.atomic():
        replanned = plan is None or plan.fingerprint != plan.take_fingerprint()
        if plan is None or applier is None or replanned:  # applier is None only without a plan
            plan = plan_again()
            applier = Applier(plan, plan.actor)
            applier.prepare()
        applier.run()
    plan.report.timing.update(write_s=round(time.monotonic() - began, 3), planned_again=replanned)
    return plan


def _before_apply(plan: ImportPlan) -> None:
    """Between the plan and its transaction: a seam for tests that change data here."""


def _assumed_fields(data: Any, given: dict | None) -> dict[str, dict[str, set[str]]]:
    assumed: dict[str, dict[str, set[str]]] = {
        name: {key: set(fields) for key, fields in rows.items()}
        for name, rows in (given or {}).items()
    }
    rows = data.get("organisations") if isinstance(data, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("key"), str) and not row.get("language"):
            # Detected from the text, not given: not a reason to change a known organisation.
            assumed.setdefault("organisations", {}).setdefault(row["key"].strip(), set()).add(
                "language"
            )
    return assumed
