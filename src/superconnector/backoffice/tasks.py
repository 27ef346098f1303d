"""Background work for imports: receives ids, loads fresh rows, runs the domain function."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def check_upload(staged_id: int) -> dict:
    from superconnector.backoffice.domain.imports import check_staged_import  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)
    from superconnector.backoffice.models import StagedImport  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    staged = StagedImport.objects.select_related("event", "created_by").filter(pk=staged_id).first()
    if staged is None:
        return {"ok": False, "gone": True}  # deleted while queued (its event, say)
    return {"ok": check_staged_import(staged).ok}


@task()
def apply_upload(staged_id: int, user_id: int | None) -> dict:

    from superconnector.backoffice.domain.imports import apply_import  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)
    from superconnector.backoffice.models import StagedImport  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    staged = StagedImport.objects.select_related("event").filter(pk=staged_id).first()
    if staged is None:
        return {"ok": False, "gone": True}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    staged = apply_import(staged, user)
    return {"ok": staged.ok, "applied": staged.applied_at is not None}
