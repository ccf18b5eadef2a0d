"""Untrusted document work in a child process: forked from a preloaded fork server, capped in
memory and time, killed with its process group.

PDFium and Tesseract are neither thread-safe nor crash-proof on hostile input. Whatever calls them
on behalf of a client (a job, the probe of an upload) runs here, so a native fault, a runaway
allocation or an endless loop costs one child and a typed error, never the process that asked.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any, Literal

from ledgerlens.errors import ErrorCode, LedgerlensError

Emit = Callable[[tuple[Any, ...]], None]
"""How sandboxed work reports partial results to its parent (each message is pickled)."""

_FORKSERVER: ForkServerContext | None = None
_DONE = "__done__"
_ERROR = "__error__"
_CRASH = "__crash__"


def fork_context() -> ForkServerContext:
    """The fork server context whose server has the pipeline and the OCR models already loaded."""
    global _FORKSERVER
    if _FORKSERVER is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ledgerlens.jobs.warmup"])
        _FORKSERVER = ctx
    return _FORKSERVER


def kill_group(process: BaseProcess) -> None:
    """Kill a child and anything it started (it leads its own process group), then reap it."""
    pid = process.pid
    if pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.join(5)


def end_child(process: BaseProcess) -> None:
    """After its outcome is known: kill the child (and its group) if still running, else reap it."""
    if process.is_alive():
        kill_group(process)
    else:
        process.join(1)


def _noop() -> None:  # pragma: no cover - runs in a child process
    return None


def start_fork_server() -> None:
    """Start the fork server now (it imports the pipeline: ~1-2 s) rather than on the first request."""
    child = fork_context().Process(target=_noop, name="warm-up", daemon=False)
    child.start()
    child.join(120)


@dataclass(slots=True)
class Outcome:
    """How a sandboxed call ended, with every message it emitted before that."""

    ended: Literal["done", "error", "crashed", "timeout"]
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    error: tuple[ErrorCode, str] | None = None
    """The typed failure the work raised (`ended == "error"`)."""
    exitcode: int | None = None
    """The child's exit code when it died without reporting (negative: killed by that signal)."""
    trace: str | None = None
    """The traceback of an unexpected exception in the work (`ended == "crashed"`), for the log."""


def _send(conn: Connection, message: tuple[Any, ...]) -> None:  # pragma: no cover - child
    with contextlib.suppress(OSError):
        conn.send(message)


def _child(
    conn: Connection, fn: Callable[..., None], args: tuple[Any, ...], memory_mb: int, seconds: float
) -> None:  # pragma: no cover - runs in a child process
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    # The parent kills us at the deadline; the alarm is the backstop for a parent that died first.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, math.ceil(seconds)) + 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from ledgerlens.documents.limits import apply_memory_limit

        apply_memory_limit(memory_mb)
        fn(*args, lambda message: _send(conn, message))
        _send(conn, (_DONE,))
    except LedgerlensError as exc:
        _send(conn, (_ERROR, str(exc.code), exc.message))
    except MemoryError:
        _send(conn, (_ERROR, str(ErrorCode.LIMIT_EXCEEDED), f"The document needs more than {memory_mb} MB."))
    except BaseException:
        _send(conn, (_CRASH, traceback.format_exc()))
    finally:
        conn.close()


def run_isolated(
    fn: Callable[..., None],
    args: tuple[Any, ...],
    *,
    seconds: float,
    memory_mb: int,
    name: str,
    after: dict[str, float] | None = None,
) -> Outcome:
    """Call `fn(*args, emit)` in a fresh child; blocks until it ends, dies or runs out of time.

    `after` shortens the deadline once a message of a kind arrives: {kind: seconds left at most}
    (the essential part is done; what follows is worth only so much waiting).

    `fn` must be a module-level function (it is pickled by name). A `LedgerlensError` it raises
    comes back as `Outcome.error`; an unexpected exception, a native crash or a kill by the memory
    cap as `crashed`.
    """
    ctx = fork_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, fn, args, memory_mb, seconds), name=name, daemon=False)
    try:
        child.start()
    finally:
        sender.close()
    messages: list[tuple[Any, ...]] = []
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Outcome("timeout", messages)
            if not receiver.poll(min(remaining, 1.0)):
                continue
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                child.join(5)
                return Outcome("crashed", messages, exitcode=child.exitcode)
            kind = message[0]
            if kind == _DONE:
                return Outcome("done", messages)
            if kind == _ERROR:
                return Outcome("error", messages, error=(ErrorCode(message[1]), str(message[2])))
            if kind == _CRASH:
                return Outcome("crashed", messages, trace=str(message[1]))
            messages.append(tuple(message))
            if after and kind in after:
                deadline = min(deadline, time.monotonic() + after[kind])
    finally:
        receiver.close()
        end_child(child)
