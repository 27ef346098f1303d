"""Background work for imports and bulk mailings: receives ids, and runs the domain's work
on fresh rows through the one run wrapper (core.domain.runs.perform_run)."""

from functools import partial

from django.contrib.auth import get_user_model
from django_tasks import task

from superconnector.backoffice.domain.imports import check_upload_work, import_checked_file
from superconnector.core.domain.runs import perform_run
from superconnector.core.models import BulkMailing
from superconnector.directory.domain.invitations import invitation_work
from superconnector.exchange.models import StagedImport
from superconnector.meetings.domain.publication import publication_work


@task()
def check_upload(staged_id: int) -> dict:
    staged = perform_run(
        StagedImport, staged_id, check_upload_work, related=("event", "created_by")
    )
    if staged is None:
        return {"ok": False, "gone": True}  # deleted while queued (its event, say)
    return {"ok": staged.ok}


@task()
def apply_upload(staged_id: int, user_id: int | None) -> dict:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    staged = perform_run(StagedImport, staged_id, partial(import_checked_file, actor=user))
    if staged is None:
        return {"ok": False, "gone": True}
    return {"ok": staged.ok, "applied": staged.applied_at is not None}


@task()
def send_invitations(mailing_id: int) -> dict:
    run = perform_run(BulkMailing, mailing_id, invitation_work, related=("event", "created_by"))
    return run.stats if run is not None else {"gone": True}


@task()
def publish_and_mail_agendas(mailing_id: int) -> dict:
    run = perform_run(BulkMailing, mailing_id, publication_work, related=("event", "created_by"))
    return run.stats if run is not None else {"gone": True}
