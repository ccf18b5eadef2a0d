"""A supervised process ends when its supervisor does: no orphan keeps memory or a port.

Linux's parent-death signal asks a child to stop gracefully (SIGTERM: a worker hands its job
back, the API finishes its requests). A child that cannot act on it (its main thread stuck in a
native call or a lock) would live on, reparented to PID 1; a watchdog thread that sees the parent
gone kills it outright once the grace period has passed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def die_with_parent(sig: int) -> None:
    """Ask Linux to send `sig` to this process when its parent dies."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _watch(parent_pid: int, grace_seconds: float) -> None:  # pragma: no cover - in the child
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    time.sleep(grace_seconds)
    os.kill(os.getpid(), signal.SIGKILL)


def tie_to_parent(parent_pid: int, grace_seconds: float) -> None:
    """SIGTERM when `parent_pid` dies, SIGKILL `grace_seconds` later if still running.

    `parent_pid` is passed in rather than read here, so a parent that died before this call is
    noticed too (the watchdog sees a different parent at once).
    """
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=_watch, args=(parent_pid, grace_seconds), name="lifeline", daemon=True).start()
