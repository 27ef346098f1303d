"""Background work for privacy: the daily purge of personal data past its retention.

django-tasks runs tasks but does not schedule them: something outside (cron, a systemd
timer) has to start the purge each day, either `superconnector purge_expired` directly
or by enqueueing this task (docs/operations.md).
"""

from django_tasks import task

from superconnector.events.domain.audit import delete_expired_audit_entries
from superconnector.privacy.domain.retention import purge_expired_events


@task()
def purge_expired_personal_data() -> list[dict]:
    purged = [
        {"event": record.event.slug, "purged_at": record.purged_at.isoformat(), **record.counts}
        for record in purge_expired_events()
    ]
    delete_expired_audit_entries()
    return purged
