"""`superconnector serve`: the development server with a background-task worker beside it.

Matching runs, scheduling runs and mail are tasks (django-tasks, database backend): a
request only queues them, and `db_worker` carries them out. Started on its own, runserver
would leave every run "queued" for ever, so `make demo` and `make serve` start both, and a
worker that dies is started again (WorkerSupervisor). In
production, gunicorn and `superconnector db_worker` run as two services instead
(docs/operations.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

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
        supervisor = None
        if not no_worker and os.environ.get(RELOADER_CHILD) != "true":
            supervisor = WorkerSupervisor(worker_command(), log=self.stderr.write)
            supervisor.start()
        try:
            call_command("runserver", addrport)
        finally:
            if supervisor is not None:
                supervisor.stop()


class WorkerSupervisor:
    """Runs the worker process and starts a new one when it dies, until stopped.

    A worker that dies (a crash, an out-of-memory kill, an error it does not survive: any
    exit but a clean one) would otherwise leave mail and runs queued until someone noticed.
    Restarts back off (1 s doubling to a minute) so that a worker failing at once does not
    spin.
    """

    def __init__(
        self,
        command: list[str],
        *,
        log=None,
        poll_seconds: float = 1.0,
        first_wait: float = 1.0,
        last_wait: float = 60.0,
    ) -> None:
        self.command = command
        self.log = log or (lambda message: None)
        self.poll_seconds, self.first_wait, self.last_wait = poll_seconds, first_wait, last_wait
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.spawned_at = 0.0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(self.command)
            self.spawned_at = time.monotonic()
        self.log(f"Background-task worker started (pid {self.process.pid}).")

    def _watch(self) -> None:
        wait = self.first_wait
        while not self._stopping.wait(self.poll_seconds):
            process = self.process
            code = process.poll() if process is not None else None
            if code is None:
                continue
            if code == 0:
                # Asked to stop (Ctrl-C reaches the whole process group, SIGTERM): the
                # server is going down too, or someone wants it stopped.
                self.log("Background-task worker stopped.")
                return
            if time.monotonic() - self.spawned_at > self.last_wait:
                wait = self.first_wait  # it had been working: no backoff
            self.log(
                f"Background-task worker exited (code {code}); starting another in {wait:g} s."
            )
            if self._stopping.wait(wait):
                return
            self.restarts += 1
            self._spawn()
            wait = min(wait * 2, self.last_wait)

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        stop_worker(self.process)


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
