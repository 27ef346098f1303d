"""Queueing an upload's check and its confirmed import (the work is in domain/imports.py; the
tasks, which this module queues, call it)."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.backoffice import tasks
from superconnector.backoffice.domain.imports import FOLLOWED_FIELDS, kind_of
from superconnector.events.models import Event
from superconnector.exchange.models import StagedImport
from superconnector.exchange.problems import ImportRejected, Problem


def stage_import(event: Event, user, filename: str, content: bytes) -> StagedImport:
    """Store an upload and queue its check (imports.check_upload_work) once it is saved.

    Nothing is checked in the request, and nothing the organiser uploaded before is
    discarded here: an earlier unconfirmed upload is replaced only once this one's check
    has succeeded (see check_upload_work).
    """
    kind = kind_of(filename)
    if kind is None:
        raise ValueError(f"unsupported file type: {filename}")
    staged = StagedImport.objects.create(
        event=event,
        created_by=user,
        # No NUL byte reaches a PostgreSQL column, whatever the browser sent.
        filename=PurePath(filename).name.replace("\x00", "")[:255],
        kind=kind,
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
        size=len(content),
        task=StagedImport.Task.CHECK,
        status=StagedImport.Status.QUEUED,
        queued_at=timezone.now(),
    )
    # Queued once the upload is stored, not on commit: with the database backend the task
    # row joins a caller's transaction if there is one (stored together or not at all).
    tasks.check_upload.enqueue(staged.pk)
    staged.refresh_from_db(fields=FOLLOWED_FIELDS)
    return staged


def start_apply(staged: StagedImport, user) -> bool:
    """Queue the confirmed import of a checked upload. False if it is already queued or
    running (a second click, or a colleague's); ImportRejected if it cannot be imported."""
    if not staged.ok or staged.applied_at is not None:
        raise ImportRejected([Problem("$", _("this file cannot be imported"))], staged.filename)
    now = timezone.now()
    # core.domain.runs.is_stale, as a condition: an import has no time limit of its own.
    stale = now - StagedImport.stale_margin
    # One conditional UPDATE: of two clicks at the same moment, one queues the import.
    queued = (
        StagedImport.objects.filter(pk=staged.pk, ok=True, applied_at__isnull=True)
        .exclude(
            Q(task=StagedImport.Task.APPLY)
            & (
                Q(status=StagedImport.Status.QUEUED, queued_at__gt=stale)
                | Q(status=StagedImport.Status.RUNNING, started_at__gt=stale)
            )
        )
        .update(
            task=StagedImport.Task.APPLY,
            status=StagedImport.Status.QUEUED,
            stage="",
            progress=0.0,
            error="",
            queued_at=now,
            started_at=None,
            finished_at=None,
        )
    )
    if queued:
        tasks.apply_upload.enqueue(staged.pk, getattr(user, "pk", None))  # as in stage_import
    staged.refresh_from_db(fields=FOLLOWED_FIELDS)
    return bool(queued)
