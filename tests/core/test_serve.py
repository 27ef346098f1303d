"""`superconnector serve` (what `make demo` runs) starts a task worker beside the server
and stops it with the server, once, even under Django's autoreloader."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from superconnector.core.management.commands import serve


class FakeWorker:
    def __init__(self, command):
        self.command, self.pid, self.signals = command, 4242, []

    def poll(self):
        return None if not self.signals else 0

    def terminate(self):
        self.signals.append("TERM")

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def world(monkeypatch):
    started, served = [], []

    def popen(command):
        started.append(FakeWorker(command))
        return started[-1]

    def runserver(name, addrport):
        served.append((name, addrport, [w.signals[:] for w in started]))
        if addrport == "fail":
            raise RuntimeError("port in use")

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve, "call_command", runserver)
    monkeypatch.delenv(serve.RELOADER_CHILD, raising=False)
    return started, served


def test_serve_runs_a_worker_beside_runserver_and_stops_it_after(world):
    started, served = world
    call_command("serve", "127.0.0.1:8123")
    [worker] = started
    assert worker.command[:4] == [sys.executable, "-m", "superconnector", "db_worker"]
    assert served == [("runserver", "127.0.0.1:8123", [[]])]  # running while it served
    assert worker.signals == ["TERM"]


def test_the_worker_is_stopped_when_the_server_fails(world):
    started, _ = world
    with pytest.raises(RuntimeError, match="port in use"):
        call_command("serve", "fail")
    assert started[0].signals == ["TERM"]


def test_the_reloaded_server_process_starts_no_second_worker(world, monkeypatch):
    started, served = world
    monkeypatch.setenv(serve.RELOADER_CHILD, "true")
    call_command("serve", "127.0.0.1:8123")
    assert started == [] and len(served) == 1


def test_no_worker_when_asked(world):
    started, served = world
    call_command("serve", "--no-worker")
    assert started == [] and served[0][1] == "127.0.0.1:8000"


def test_a_worker_that_ignores_terminate_is_killed():
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal,time; signal.signal(15, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    assert worker.stdout.readline() == b"ready\n"
    serve.stop_worker(worker, timeout=0.5)
    assert worker.returncode == -9


def test_a_worker_that_died_is_started_again():
    """Killed (or crashed), the worker is replaced, so mail and runs do not stay queued."""
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = serve.WorkerSupervisor(sleeper, poll_seconds=0.05, first_wait=0.05)
    supervisor.start()
    try:
        first = supervisor.process
        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while supervisor.process is first and time.monotonic() < deadline:
            time.sleep(0.05)
        second = supervisor.process
        assert second is not first and second.poll() is None
        assert first.wait(1) == -signal.SIGKILL and supervisor.restarts == 1
    finally:
        supervisor.stop()
    assert second.poll() is not None  # stopped with the server: no orphan left running
    time.sleep(0.2)
    assert supervisor.process is second  # and not started again after being stopped


def test_a_worker_failing_at_once_is_restarted_with_growing_pauses():
    logs = []
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    supervisor = serve.WorkerSupervisor(
        failing, log=logs.append, poll_seconds=0.02, first_wait=0.1, last_wait=0.4
    )
    supervisor.start()
    try:
        time.sleep(1.5)
    finally:
        supervisor.stop()
    pauses = [line.split("in ")[-1] for line in logs if "exited (code 3)" in line]
    assert pauses[:4] == ["0.1 s.", "0.2 s.", "0.4 s.", "0.4 s."]


def test_a_worker_that_was_asked_to_stop_is_not_started_again():
    """Ctrl-C reaches the worker too: it stops cleanly, and so does the server."""
    logs = []
    clean = [sys.executable, "-c", "raise SystemExit(0)"]
    supervisor = serve.WorkerSupervisor(clean, log=logs.append, poll_seconds=0.02, first_wait=0.05)
    supervisor.start()
    try:
        time.sleep(0.5)
    finally:
        supervisor.stop()
    assert supervisor.restarts == 0 and logs[-1] == "Background-task worker stopped."
