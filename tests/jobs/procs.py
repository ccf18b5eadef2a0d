"""Running `python -m ledgerlens worker|serve` as real subprocesses in tests, and waiting on the DB."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil

from ledgerlens.config import Settings
from tests.jobs.factory import settings_env

REPO = Path(__file__).resolve().parents[2]


def wait_for(cond: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@contextmanager
def ledgerlens_process(settings: Settings, *args: str, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start `python -m ledgerlens <args>`; on exit SIGTERM it and make sure no descendant survives."""
    env = settings_env(settings)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(REPO / "src")) if p)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ledgerlens", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        try:
            yield proc
        finally:
            descendants = _descendants(proc.pid)
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            _reap(descendants)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def gone(p: psutil.Process) -> bool:
    """Exited (a zombie counts: in a container nobody may reap orphans)."""
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def wait_gone(processes: list[psutil.Process], timeout: float = 10.0) -> list[psutil.Process]:
    """Wait until every process has exited; returns those still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in processes if not gone(p)]
        if not alive:
            return []
        time.sleep(0.1)
    return [p for p in processes if not gone(p)]


def _reap(processes: list[psutil.Process], timeout: float = 10.0) -> None:
    alive = wait_gone(processes, timeout)
    for p in alive:
        with suppress(ProcessLookupError):
            os.kill(p.pid, signal.SIGKILL)
    assert not alive, f"processes left running after shutdown: {[p.pid for p in alive]}"


def worker_pid(worker_id: str | None) -> int:
    """`host:pid:slot` -> pid."""
    assert worker_id is not None
    return int(worker_id.split(":")[-2])


def descendants_of(pid: int) -> list[psutil.Process]:
    return _descendants(pid)


def job_child_of(worker: int) -> psutil.Process | None:
    """The running per-job child of a worker (a child of the worker's fork server), if any."""
    try:
        for fork_server in psutil.Process(worker).children():
            for child in fork_server.children():
                if not gone(child):
                    return child
    except psutil.Error:
        return None
    return None
