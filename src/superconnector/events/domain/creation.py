"""The platform right to create events: staff grant it in the admin (directory/admin.py),
and the back office checks it (backoffice/domain/access.py, `may_create_events`)."""

from __future__ import annotations

from superconnector.events.domain.audit import record_audit


def set_event_creation_right(user, allowed: bool, *, actor) -> bool:
    """Grant or withdraw the right to create events (staff do, in the admin) and write it
    to the audit log. Returns whether anything changed."""
    if bool(user.can_create_events) == allowed:
        return False
    type(user).objects.filter(pk=user.pk).update(can_create_events=allowed)
    user.can_create_events = allowed
    record_audit(
        actor,
        "grant" if allowed else "revoke",
        f"user:{user.pk}",
        right="create_events",
        user=user.email,
    )
    return True
