"""A supervised child never outlives its supervisor, even one that ignores SIGTERM and is stuck."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import psutil

from ledgerlens.jobs.lifeline import tie_to_parent
from tests.jobs.procs import gone, wait_for, wait_gone

GRACE = 2.0


def _stubborn_child(parent: int, ready: str) -> None:  # pragma: no cover - in a child process
    tie_to_parent(parent, GRACE)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # what a worker stuck in a handler looks like
    Path(ready).write_text(str(os.getpid()))
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()  # the main thread now waits forever in a futex


def _supervisor(ready: str) -> None:  # pragma: no cover - in a child process
    child = multiprocessing.get_context("spawn").Process(target=_stubborn_child, args=(os.getpid(), ready))
    child.start()
    child.join()


def test_a_stuck_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    ready = tmp_path / "child.pid"
    supervisor = multiprocessing.get_context("spawn").Process(target=_supervisor, args=(str(ready),))
    supervisor.start()
    try:
        wait_for(ready.exists, 30, "the child to start")
        wait_for(lambda: ready.read_text().isdigit(), 5, "the child's pid")
        child = psutil.Process(int(ready.read_text()))
        os.kill(supervisor.pid or 0, signal.SIGKILL)
        supervisor.join(5)
        killed_at = time.monotonic()
        time.sleep(GRACE / 2)
        assert not gone(child), "the child ignores SIGTERM: it must still run within the grace period"
        assert not wait_gone([child], timeout=GRACE + 5), "the stuck child outlived its supervisor"
        assert time.monotonic() - killed_at >= GRACE
    finally:
        if supervisor.is_alive():
            supervisor.kill()
