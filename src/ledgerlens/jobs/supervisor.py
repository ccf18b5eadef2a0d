"""Supervisor: keeps N worker processes (and, under `serve`, the API process) alive and runs the
webhook and retention loops.

Used by `ledgerlens serve` and `ledgerlens worker`. A child that dies (segfault, OOM kill,
SIGKILL) is restarted with a growing delay; a dead worker's job is reclaimed by the queue once the
heartbeat goes stale. On stop, children get SIGTERM (workers hand their job back to the queue)
and are killed if they do not exit within the grace period. Each child is tied to this process
(`jobs.lifeline`), so none outlives a supervisor that was killed outright.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs import queue
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.lifeline import tie_to_parent
from ledgerlens.jobs.retention import RetentionLoop
from ledgerlens.jobs.webhooks import WebhookDispatcher
from ledgerlens.jobs.worker import run_worker_process

log = logging.getLogger(__name__)

MAX_RESTART_DELAY = 30.0


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    """A long-running child to keep alive: `target(*args)` in a spawned process named `name`."""

    name: str
    target: Callable[..., None]
    args: tuple[Any, ...]
    is_worker: bool = False


@dataclass(slots=True)
class _Slot:
    spec: ProcessSpec
    process: BaseProcess | None = None
    failures: int = 0
    restarts: int = 0
    restart_at: float = 0.0
    started_at: float = field(default=0.0)


def _supervised(target: Callable[..., None], args: tuple[Any, ...], parent: int, grace: float) -> None:
    """Entry point of every supervised child: tied to the supervisor, then its own work."""
    tie_to_parent(parent, grace)
    target(*args)


class Supervisor:
    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        run_webhooks: bool = True,
        run_retention: bool = True,
        session_factory: sessionmaker[Session] | None = None,
        grace_seconds: float = 15.0,
        extra: tuple[ProcessSpec, ...] = (),
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory or make_session_factory(make_engine(settings))
        self.grace_seconds = grace_seconds
        self._ctx = multiprocessing.get_context("spawn")
        self._slots = [
            _Slot(ProcessSpec(f"ledgerlens-worker-{i}", run_worker_process, (settings, i), is_worker=True))
            for i in range(max(0, workers))
        ]
        self._slots += [_Slot(spec) for spec in extra]
        self._stopping = threading.Event()
        self._monitor: threading.Thread | None = None
        self._webhooks = WebhookDispatcher(self.session_factory, settings) if run_webhooks else None
        self._retention = RetentionLoop(self.session_factory, settings) if run_retention else None

    @property
    def pids(self) -> list[int]:
        return [s.process.pid for s in self._slots if s.process is not None and s.process.pid is not None]

    @property
    def restarts(self) -> dict[str, int]:
        """Restarts so far, by child name."""
        return {s.spec.name: s.restarts for s in self._slots}

    def start(self) -> None:
        for slot in self._slots:
            self._spawn(slot)
        self._monitor = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._monitor.start()
        if self._webhooks is not None:
            self._webhooks.start()
        if self._retention is not None:
            self._retention.start()
        log.info(
            "supervisor started %s",
            ", ".join(f"{s.spec.name} (pid {s.process.pid})" for s in self._slots if s.process),
        )

    def _spawn(self, slot: _Slot) -> None:
        spec = slot.spec
        process = self._ctx.Process(
            target=_supervised,
            args=(spec.target, spec.args, os.getpid(), self.grace_seconds + 5),
            name=spec.name,
            daemon=False,
        )
        process.start()
        slot.process = process
        slot.started_at = time.monotonic()

    def _watch(self) -> None:
        next_reclaim = 0.0
        while not self._stopping.wait(0.5):
            now = time.monotonic()
            for slot in self._slots:
                process = slot.process
                if process is not None and not process.is_alive():
                    process.join(0)
                    if self._stopping.is_set():
                        return
                    lived = now - slot.started_at
                    slot.failures = 0 if lived > 60 else slot.failures + 1
                    delay = min(MAX_RESTART_DELAY, 0.5 * (2 ** max(0, slot.failures - 1)))
                    log.error(
                        "%s (pid %s) exited with code %s; restarting in %.1fs",
                        slot.spec.name,
                        process.pid,
                        process.exitcode,
                        delay,
                    )
                    slot.process = None
                    slot.restart_at = now + delay
                if slot.process is None and now >= slot.restart_at and not self._stopping.is_set():
                    try:
                        self._spawn(slot)
                        slot.restarts += 1
                    except Exception:
                        log.exception("could not restart %s", slot.spec.name)
                        slot.restart_at = now + MAX_RESTART_DELAY
            if any(s.spec.is_worker for s in self._slots) and now >= next_reclaim:
                next_reclaim = now + max(1.0, self.settings.stale_after_seconds / 3)
                try:
                    queue.reclaim_stale(self.session_factory, self.settings)
                except Exception:
                    log.exception("reclaim pass failed")

    def stop(self) -> None:
        """Stop the loops, then the workers: SIGTERM, wait for the grace period, SIGKILL."""
        self._stopping.set()
        if self._monitor is not None:
            self._monitor.join(5)
        processes = [s.process for s in self._slots if s.process is not None]
        for process in processes:
            if process.is_alive():
                with contextlib.suppress(Exception):
                    process.terminate()
        deadline = time.monotonic() + self.grace_seconds
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                log.warning("%s (pid %s) did not stop in time; killing it", process.name, process.pid)
                process.kill()
                process.join(5)
        if self._webhooks is not None:
            self._webhooks.stop()
        if self._retention is not None:
            self._retention.stop()
        log.info("supervisor stopped")

    def wait(self) -> None:
        """Block until `stop` is called (from a signal handler or another thread)."""
        while not self._stopping.wait(1.0):
            pass
