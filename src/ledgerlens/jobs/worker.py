"""Worker processes: claim a job, run `pipeline.process` in a child process, record the outcome.

Each job runs in its own child (forked from a fork server that has the pipeline imported) so that
a hung, oversized or crashing document can be killed without taking the worker down. The worker's
main loop heartbeats the lease, writes progress, enforces `job_timeout_seconds` and, on SIGTERM,
puts its job back in the queue before exiting.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import psutil
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.errors import DocumentError, ErrorCode
from ledgerlens.jobs import queue
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.db import make_engine, make_session_factory
from ledgerlens.jobs.models import CustomSchema, StoredFile
from ledgerlens.jobs.sandbox import end_child, fork_context, kill_group, start_fork_server

log = logging.getLogger(__name__)

PROGRESS_WRITE_SECONDS = 0.5
INTERNAL_MESSAGE = "An internal error occurred while processing the document."


def make_worker_id(slot: int) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{slot}"


@dataclass(slots=True)
class JobInput:
    data: bytes
    declared_type: str
    password: str | None
    custom_schemas: list[dict[str, Any]]


def _watch_worker(worker_pid: int, worker_started: float) -> None:  # pragma: no cover - job child
    """Kill this job's process group once the worker that owns it is gone.

    The job child's parent is the fork server, which itself only exits after all its children
    have, so parent-death signals cannot catch a SIGKILLed worker; polling the worker can.
    """
    while True:
        time.sleep(0.5)
        try:
            proc = psutil.Process(worker_pid)
            alive = proc.create_time() == worker_started and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            alive = False
        if not alive:
            if os.getpgid(0) == os.getpid():  # only our own group, never the worker's
                with contextlib.suppress(OSError):
                    os.killpg(os.getpid(), signal.SIGKILL)
            os._exit(1)


def _send(conn: Connection, message: tuple[Any, ...]) -> None:  # pragma: no cover - job child
    """Report to the worker; if it is gone, the watchdog ends this process, so stay quiet."""
    with contextlib.suppress(OSError):
        conn.send(message)


def _job_child(
    conn: Connection, job_input: JobInput, settings: Settings, worker_pid: int, worker_started: float
) -> None:  # pragma: no cover - runs in a child process
    """Entry point of the per-job child: run the pipeline, report through the pipe.

    Under the memory cap the child keeps a record of its address-space high-water mark
    (jobs.memwatch), so that a death in native code at the cap can be told from a crash.
    """
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    threading.Thread(target=_watch_worker, args=(worker_pid, worker_started), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ledgerlens.jobs.memwatch import MemoryWatch, out_of_memory, over_cap_message

    watch: MemoryWatch | None = None

    def report(message: tuple[Any, ...]) -> None:
        # the record goes first: once the worker has the outcome it may kill this process
        if watch is not None:
            watch.close()
        _send(conn, message)

    try:
        from ledgerlens.documents.limits import apply_memory_limit

        apply_memory_limit(settings.max_memory_mb)
        watch = MemoryWatch.start(worker_pid, settings.max_memory_mb)
        from ledgerlens.pipeline import ProcessOptions, process

        def progress(done: int, total: int) -> None:
            _send(conn, ("progress", int(done), int(total)))

        options = ProcessOptions(
            password=job_input.password,
            custom_schemas=job_input.custom_schemas,
            progress=progress,
            settings=settings,
        )
        result = process(job_input.data, job_input.declared_type, options)  # type: ignore[arg-type]
        report(("ok", result))
    except DocumentError as exc:
        report(("document_error", str(exc.code), exc.message))
    except BaseException as exc:
        if out_of_memory(exc):  # MemoryError, or a native allocation failure raised as another type
            message = over_cap_message(settings.max_memory_mb)
            report(("document_error", str(ErrorCode.LIMIT_EXCEEDED), message))
        else:
            report(("crash", traceback.format_exc()))
    finally:
        conn.close()


def _own_start_time() -> float:
    return psutil.Process(os.getpid()).create_time()


class LeaseKeeper:
    """Heartbeats a claimed job from its own thread, carrying progress along (throttled).

    A thread rather than the supervising loop, so nothing the loop waits on (starting the child,
    a large result coming through the pipe) can make a live job look dead and get it reclaimed.
    """

    def __init__(
        self, session_factory: sessionmaker[Session], job: queue.ClaimedJob, interval: float
    ) -> None:
        self.session_factory = session_factory
        self.job = job
        self.interval = max(0.05, interval)
        self.lost = threading.Event()
        self.total_pages: int | None = None
        self._progress: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job.id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def report_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.total_pages = total
            self._progress = min(99, max(0, done * 100 // total))

    def _run(self) -> None:
        written: int | None = None
        last_write = time.monotonic()
        tick = min(self.interval, PROGRESS_WRITE_SECONDS)
        while not self._stop.wait(tick):
            progress = self._progress
            now = time.monotonic()
            if now - last_write < self.interval and progress == written:
                continue
            try:
                held = queue.heartbeat(self.session_factory, self.job.id, self.job.lease_token, progress)
            except Exception:
                log.exception("job %s: heartbeat failed; retrying", self.job.id)
                continue
            if not held:
                self.lost.set()
                return
            written = progress
            last_write = now


class Worker:
    """One worker: a loop of claim → process → record, safe to run many times in parallel."""

    def __init__(
        self,
        settings: Settings,
        slot: int = 0,
        session_factory: sessionmaker[Session] | None = None,
    ) -> None:
        self.settings = settings
        self.slot = slot
        self.worker_id = make_worker_id(slot)
        self.session_factory = session_factory or make_session_factory(make_engine(settings))
        self.blobs = BlobStore(settings.files_dir)
        bind = self.session_factory.kw.get("bind")
        self.probe = queue.PendingProbe(bind) if isinstance(bind, Engine) else None

    def run(self, stop: threading.Event) -> None:
        log.info("worker %s started", self.worker_id)
        self.warm_up(stop)
        next_reclaim = 0.0
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_reclaim:
                next_reclaim = now + max(1.0, self.settings.stale_after_seconds / 3)
                try:
                    queue.reclaim_stale(self.session_factory, self.settings)
                except Exception:
                    log.exception("reclaim pass failed")
            try:
                job = queue.claim_next(self.session_factory, self.worker_id, self.probe)
            except Exception:
                log.exception("claim failed")
                stop.wait(1.0)
                continue
            if job is None:
                stop.wait(self.settings.poll_interval_seconds)
                continue
            try:
                self.process(job, stop)
            except Exception:
                log.exception("job %s: worker error; the job will be reclaimed", job.id)
        if self.probe is not None:
            self.probe.close()
        log.info("worker %s stopped", self.worker_id)

    def warm_up(self, stop: threading.Event) -> None:
        """Start the fork server and let it import the pipeline before the first claim."""
        try:
            start_fork_server()
        except Exception:
            if not stop.is_set():  # a Ctrl-C during start-up interrupts the fork server too
                log.exception("could not start the fork server; jobs will start it on demand")

    def _load_input(self, job: queue.ClaimedJob) -> JobInput | None:
        try:
            options = json.loads(job.options_json) if job.options_json else {}
        except ValueError:
            options = {}
        if not isinstance(options, dict):
            options = {}
        with self.session_factory() as session:
            file = session.get(StoredFile, job.file_id)
            if file is None or file.status == "deleted" or not self.blobs.exists(file.sha256):
                return None
            declared = job.job_type if job.job_type in ("bank_statement", "invoice") else "auto"
            schemas = options.get("custom_schemas")
            if not isinstance(schemas, list):
                schema_type = declared if declared != "auto" else file.type
                rows = session.scalars(
                    select(CustomSchema.schema_json).where(
                        CustomSchema.tenant_id == job.tenant_id,
                        CustomSchema.type == schema_type,
                        CustomSchema.is_active.is_(True),
                    )
                ).all()
                schemas = [json.loads(r) for r in rows]
            sha = file.sha256
        password = options.get("password")
        return JobInput(
            data=self.blobs.get(sha),
            declared_type=declared,
            password=password if isinstance(password, str) and password else None,
            custom_schemas=[s for s in schemas if isinstance(s, dict)],
        )

    def process(self, job: queue.ClaimedJob, stop: threading.Event) -> None:
        """Run one claimed job to an end state (or hand it back when asked to stop)."""
        sf = self.session_factory
        started = time.monotonic()
        lease = LeaseKeeper(sf, job, self.settings.heartbeat_seconds)
        lease.start()
        try:
            job_input = self._load_input(job)
            if job_input is None:
                queue.fail(
                    sf, job.id, job.lease_token, ErrorCode.GONE, "The document was deleted before processing."
                )
                return
            log.info("job %s: start (attempt %d, %d bytes)", job.id, job.attempts, len(job_input.data))
            receiver, sender = fork_context().Pipe(duplex=False)
            child = fork_context().Process(
                target=_job_child,
                args=(sender, job_input, self.settings, os.getpid(), _own_start_time()),
                name=f"job-{job.id}",
                daemon=False,
            )
            try:
                child.start()
            except Exception:
                log.exception("job %s: could not start the processing child", job.id)
                receiver.close()
                sender.close()
                queue.release(sf, job.id, job.lease_token, count_attempt=True)
                stop.wait(1.0)
                return
            sender.close()
            try:
                final = self._supervise(job, child, receiver, started, stop, lease)
            finally:
                receiver.close()
                end_child(child)
        finally:
            lease.stop()
        if final is not None:
            self._record(job, final, started, lease.total_pages)

    def _supervise(
        self,
        job: queue.ClaimedJob,
        child: BaseProcess,
        receiver: Connection,
        started: float,
        stop: threading.Event,
        lease: LeaseKeeper,
    ) -> tuple[Any, ...] | None:
        """Wait for the child's outcome; None when the job was already settled here (timeout, stop...)."""
        sf = self.session_factory
        settings = self.settings
        deadline = started + settings.job_timeout_seconds
        while True:
            now = time.monotonic()
            if stop.is_set():
                kill_group(child)
                queue.release(sf, job.id, job.lease_token, count_attempt=False)
                log.info("job %s: handed back to the queue (worker stopping)", job.id)
                return None
            if now >= deadline:
                kill_group(child)
                message = f"Processing took longer than {settings.job_timeout_seconds:g} seconds."
                queue.fail(
                    sf, job.id, job.lease_token, ErrorCode.TIMEOUT, message, processing_seconds=now - started
                )
                log.warning("job %s: timed out", job.id)
                return None
            if lease.lost.is_set():
                kill_group(child)
                log.warning("job %s: lease lost (reclaimed elsewhere); abandoning this attempt", job.id)
                return None
            if not receiver.poll(min(0.25, max(0.0, deadline - now))):
                continue
            try:
                message_in = receiver.recv()
            except (EOFError, OSError):
                self._child_died(job, child, started)
                return None
            if message_in[0] == "progress":
                _kind, done, total = message_in
                lease.report_progress(int(done), int(total))
                continue
            return tuple(message_in)

    def _child_died(self, job: queue.ClaimedJob, child: BaseProcess, started: float) -> None:
        """The child ended without reporting: killed by its memory cap (fail at once, retrying
        cannot help), else a crash (retried up to max_attempts)."""
        from ledgerlens.jobs.memwatch import collect, hit_cap, over_cap_message

        child.join(5)
        code = child.exitcode
        memory = collect(os.getpid(), child.pid)
        if memory is not None and hit_cap(memory):
            log.warning(
                "job %s: processing child died at its memory cap (exit code %s, %d of %d MB at most)",
                job.id,
                code,
                memory.peak_kb // 1024,
                memory.cap_kb // 1024,
            )
            queue.fail(
                self.session_factory,
                job.id,
                job.lease_token,
                ErrorCode.LIMIT_EXCEEDED,
                over_cap_message(self.settings.max_memory_mb),
                processing_seconds=time.monotonic() - started,
            )
            return
        at_most = f", {memory.peak_kb // 1024} of {memory.cap_kb // 1024} MB at most" if memory else ""
        log.error("job %s: processing child died (exit code %s%s)", job.id, code, at_most)
        if job.attempts >= self.settings.max_attempts:
            queue.fail(
                self.session_factory,
                job.id,
                job.lease_token,
                ErrorCode.INTERNAL_SERVER_ERROR,
                f"Processing crashed {job.attempts} times.",
                processing_seconds=time.monotonic() - started,
            )
        else:
            queue.release(self.session_factory, job.id, job.lease_token, count_attempt=True)

    def _record(
        self, job: queue.ClaimedJob, final: tuple[Any, ...], started: float, total: int | None
    ) -> None:
        sf = self.session_factory
        elapsed = time.monotonic() - started
        kind = final[0]
        if kind == "ok":
            result: dict[str, Any] = final[1]
            pages = result.get("pages")
            page_count = pages if isinstance(pages, int) else total
            if queue.complete(
                sf, job.id, job.lease_token, result, processing_seconds=elapsed, pages=page_count
            ):
                log.info("job %s: completed in %.2fs (%s pages)", job.id, elapsed, page_count)
            else:
                log.warning("job %s: finished but the lease was lost; result discarded", job.id)
        elif kind == "document_error":
            _kind, code, message = final
            queue.fail(sf, job.id, job.lease_token, code, message, processing_seconds=elapsed)
            log.info("job %s: failed %s: %s", job.id, code, message)
        else:
            log.error("job %s: unexpected error in the pipeline:\n%s", job.id, final[1])
            queue.fail(
                sf,
                job.id,
                job.lease_token,
                ErrorCode.INTERNAL_SERVER_ERROR,
                INTERNAL_MESSAGE,
                processing_seconds=elapsed,
            )


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s [%(processName)s %(process)d] %(name)s: %(message)s",
    )
    # one line per webhook attempt comes from our own logger; httpx would log each request again
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run_worker_process(settings: Settings, slot: int) -> None:
    """Target of each worker process the supervisor starts: run until SIGTERM/SIGINT."""
    configure_logging()
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    Worker(settings, slot).run(stop)
