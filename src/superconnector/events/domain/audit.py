"""The audit log of organiser views, exports and changes of personal data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from superconnector.events.models import AuditEntry


def record_audit(actor, action: str, subject: str, *, event=None, **detail) -> AuditEntry:
    label = getattr(actor, "email", "") or "system"
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        action=action,
        event=event,
        subject=subject,
        detail=detail,
    )


def audit_cutoff(today: dt.date | None = None) -> dt.datetime:
    """Entries recorded before this moment are past the audit log's retention."""
    today = today or timezone.localdate()
    first_kept = today - dt.timedelta(days=settings.SUPERCONNECTOR_AUDIT_RETENTION_DAYS)
    return timezone.make_aware(dt.datetime.combine(first_kept, dt.time.min))


def count_expired_audit_entries(today: dt.date | None = None) -> int:
    return AuditEntry.objects.filter(at__lt=audit_cutoff(today)).count()


def delete_expired_audit_entries(today: dt.date | None = None) -> int:
    """Delete entries past retention and record that it happened: the log shows its own
    gaps, so that a missing year reads as retention, not as tampering."""
    cutoff = audit_cutoff(today)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    if deleted:
        record_audit(
            None, "purge", "audit-log", entries=deleted, recorded_before=cutoff.isoformat()
        )
    return deleted
