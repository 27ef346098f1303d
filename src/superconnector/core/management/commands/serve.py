"""`superconnector serve`: the development server with a background-task worker beside it.

Matching runs, scheduling runs and mail are tasks (django-tasks, database backend): a
request only queues them, and `db_worker` carries them out. Started on its own, runserver
would leave every run "queued" for ever, so `make demo` and `make serve` start both. In
production, gunicorn and `superconnector db_worker` run as two services instead
(docs/operations.md).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Django's autoreloader runs the server in a child process with this set; the worker is
# started once, by the parent that lives as long as the command.
RELOADER_CHILD = "RUN_MAIN"


def worker_command() -> list[str]:
    return [sys.executable, "-m", "superconnector", "db_worker", "--no-reload", "--interval", "1"]


class Command(BaseCommand):
    help = (
        "Serve the platform with the development server and a background-task worker "
        "(matching and scheduling runs, mail). For development and the demo; production "
        "runs gunicorn and `superconnector db_worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve only; run no background tasks"
        )

    def handle(self, addrport: str, no_worker: bool = False, **options):
        worker = None
        if not no_worker and os.environ.get(RELOADER_CHILD) != "true":
            worker = subprocess.Popen(worker_command())
            self.stderr.write(f"Background-task worker started (pid {worker.pid}).")
        try:
            call_command("runserver", addrport)
        finally:
            stop_worker(worker)


def stop_worker(worker: subprocess.Popen | None, timeout: float = 10) -> None:
    """Stop the worker as Ctrl-C would (it finishes the task in hand), then for good."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
