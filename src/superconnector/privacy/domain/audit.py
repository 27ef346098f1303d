"""The audit log of organiser views, exports and changes of personal data."""

from __future__ import annotations

from superconnector.privacy.models import AuditEntry


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
