"""`superconnector db_worker`: django-tasks' database worker, made to survive a busy SQLite.

django-tasks-db claims the next task inside `BEGIN EXCLUSIVE`, and opening that
transaction raises "database is locked" outside the worker's own `try` when another
process holds the write lock longer than the busy timeout (a big import, say). The worker
then died, and mail and runs stayed queued until someone restarted it. This command
replaces the package's (superconnector.core comes before django_tasks_db in
INSTALLED_APPS, so its commands win) with the same options and a worker that waits and
tries again instead.
"""

from __future__ import annotations

import logging
import os
import random
import time

from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("django_tasks_db")

# Waits after a locked database: doubling from the first to the last, with some jitter so
# that two workers do not retry in step.
BACKOFF_FIRST, BACKOFF_LAST = 0.5, 30.0


class ResilientWorker(db_worker.Worker):
    """The package's worker, restarted in place (with backoff) when the database is locked.

    Other errors still stop it: they are bugs or a database that is gone, and a process
    manager (systemd, `superconnector serve`) restarts the process.
    """

    sleep = staticmethod(time.sleep)

    def run(self) -> None:
        delay = BACKOFF_FIRST
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                if time.monotonic() - started > BACKOFF_LAST:
                    delay = BACKOFF_FIRST  # it had been working: start the backoff afresh
                wait = delay * (1 + random.random() / 4)
                logger.warning(
                    "Database is locked (%s); worker %s tries again in %.1f s.",
                    exc,
                    self.worker_id,
                    wait,
                )
                self._reset_connections()
                self.sleep(wait)
                delay = min(delay * 2, BACKOFF_LAST)
                self.startup_delay = False

    @staticmethod
    def _reset_connections() -> None:
        # A failed BEGIN can leave the connection half in a transaction: start clean.
        for connection in connections.all(initialized_only=True):
            try:
                if connection.in_atomic_block:
                    connection.needs_rollback = True
                connection.close()
            except Exception:  # closing a broken connection may fail too
                logger.debug("closing connection %s failed", connection.alias, exc_info=True)
        close_old_connections()


class Command(db_worker.Command):
    help = db_worker.Command.help + " (waits and retries while the database is locked)"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # As the package's handle(), with ResilientWorker.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together; not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
