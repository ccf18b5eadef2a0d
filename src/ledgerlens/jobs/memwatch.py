"""How close a job child came to its memory cap, still readable after the child died.

Job children run under an address-space cap (RLIMIT_AS, `LEDGERLENS_MAX_MEMORY_MB`). A failed
allocation is a MemoryError only where the code checks for it: pdfium aborts (a content stream
that inflates past the cap: SIGABRT, at every cap tried), Leptonica segfaults on the NULL it was
given. A dead child tells nothing about its memory: its /proc entry loses the Vm* lines as it exits
and its parent, the fork server, reaps it at once, so the worker cannot look afterwards.

So the child keeps its own record: a thread reads the kernel's high-water mark of the address
space (VmPeak) every `INTERVAL` seconds into a small file-backed shared mapping that outlives the
process; the worker reads it when the child died without reporting.

Measured with the job child (about 700 MB of address space when it starts): a death by the cap
comes with a peak within a few MB of the cap when buffers grow (pdfium inflating a stream: caps of
800 MB to 3 GB), at worst about three quarters of the way from the start to the cap (a 1.6 GB cap,
where the last request was ~240 MB). A death that has nothing to do with memory leaves the peak
where the work had got to (a child killed mid-OCR in tests/jobs/test_worker.py: 941 of 2048 MB,
a fifth of its room). `hit_cap` counts a death as the cap's once the child had used at least half
of the room it started with; the worker logs the peak of every death, to tune this on real loads.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import resource
import stat
import struct
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.01
"""Seconds between two reads of VmPeak (~25 µs each: 0.25 % of a core)."""
HALF = 0.5
"""Share of the starting headroom a child must have used for its death to count as the cap's."""

_LAYOUT = struct.Struct("<qqq")  # start, peak, cap (KiB)
_PREFIX = "ledgerlens-mem-"


@dataclass(frozen=True, slots=True)
class MemoryRecord:
    start_kb: int
    """Address space when the cap was applied."""
    peak_kb: int
    """Highest address space seen (the kernel's VmPeak) at the last read before the end."""
    cap_kb: int


_ALLOCATION_FAILURES = (
    "bad_alloc",  # C++ (OpenCV's cv2.error, Tesseract)
    "failed to allocate",  # ONNX Runtime (RapidOCR)
    "cannot allocate memory",  # strerror(ENOMEM)
    "out of memory",
    "can't start new thread",  # a thread's stack did not fit under the cap
)


def over_cap_message(cap_mb: int) -> str:
    return f"The document needs more than the allowed {cap_mb} MB of memory."


def out_of_memory(exc: BaseException) -> bool:
    """Whether an exception (or one it was raised from) is a failed allocation.

    Only Python raises MemoryError; native code that checks its allocations reports the failure
    as its own exception type (measured under the cap: cv2.error 'std::bad_alloc', ONNX Runtime's
    Fail 'Failed to allocate memory for requested buffer').
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return True
        if isinstance(current, OSError) and current.errno == errno.ENOMEM:
            return True
        try:
            text = str(current).lower()
        except Exception:
            text = ""
        if any(failure in text for failure in _ALLOCATION_FAILURES):
            return True
        current = current.__cause__ or current.__context__
    return False


def hit_cap(record: MemoryRecord | None) -> bool:
    """Whether a child that died without reporting most likely died of its memory cap."""
    if record is None or record.cap_kb <= 0:
        return False
    room = record.cap_kb - record.start_kb
    if room <= 0:  # started at or over the cap: every allocation fails
        return True
    return record.peak_kb - record.start_kb >= HALF * room


def record_directory() -> Path:
    """Where records live: /dev/shm when usable, else the temp directory."""
    shm = Path("/dev/shm")  # tmpfs: the mapping never touches a disk
    return shm if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else Path(tempfile.gettempdir())


def _path(worker_pid: int, child_pid: int) -> Path:
    return record_directory() / f"{_PREFIX}{worker_pid}-{child_pid}"


def _status_kb(status: bytes, field: bytes) -> int:
    start = status.find(field)
    if start < 0:
        return 0
    return int(status[start + len(field) : status.index(b"\n", start)].split()[0])


def _remove_stale(directory: Path, worker_pid: int) -> None:
    """Records nobody will read: a child killed by its worker (timeout, shutdown) leaves one. The
    worker runs one child at a time, so its own older records are stale, as are those of workers
    that are gone."""
    with contextlib.suppress(OSError):
        for record in directory.glob(f"{_PREFIX}*"):
            owner = record.name[len(_PREFIX) :].partition("-")[0]
            if not owner.isdigit():
                continue
            if int(owner) == worker_pid or not _alive(int(owner)):
                with contextlib.suppress(OSError):  # another user's record: theirs to remove
                    record.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, not ours to signal
    return True


class MemoryWatch:
    """The child's side: start before heavy work, `close()` when the child ends normally."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self._path = path
        self._map = mmap.mmap(fd, _LAYOUT.size)
        self._status = os.open("/proc/self/status", os.O_RDONLY)
        status = self._read_status()
        start = _status_kb(status, b"VmSize:")
        # VmPeak may still hold a high from before the cap (the fork server's, unpickling the
        # input): until it rises above that, the peak is the highest VmSize seen.
        self._old_peak = _status_kb(status, b"VmPeak:")
        self._peak = start
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)  # the cap in force, not the setting
        self._cap = 0 if soft == resource.RLIM_INFINITY else soft // 1024
        self._map[:] = _LAYOUT.pack(start, self._peak, self._cap)
        threading.Thread(target=self._run, name="memwatch", daemon=True).start()

    @classmethod
    def start(cls, worker_pid: int, cap_mb: int) -> MemoryWatch | None:
        """Call right after the cap is applied. None when no record can be kept (then a death
        counts as a crash, as before)."""
        if cap_mb <= 0:
            return None
        directory = record_directory()
        _remove_stale(directory, worker_pid)
        path = directory / f"{_PREFIX}{worker_pid}-{os.getpid()}"
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except OSError:
            return None
        try:
            os.ftruncate(fd, _LAYOUT.size)
            return cls(fd, path)
        except (OSError, ValueError, MemoryError, RuntimeError):  # RuntimeError: no thread
            os.close(fd)
            path.unlink(missing_ok=True)
            return None

    def _read_status(self) -> bytes:
        return os.pread(self._status, 8192, 0)

    def _run(self) -> None:  # pragma: no cover - a thread of the job child
        with contextlib.suppress(Exception):
            while True:
                status = self._read_status()
                peak = _status_kb(status, b"VmPeak:")
                if peak <= self._old_peak:
                    peak = _status_kb(status, b"VmSize:")
                if peak > self._peak:
                    self._peak = peak
                    self._map[8:16] = struct.pack("<q", peak)
                time.sleep(INTERVAL)

    def close(self) -> None:
        """The child ended normally: nothing to read, nothing to leave behind."""
        self._path.unlink(missing_ok=True)


def collect(worker_pid: int, child_pid: int | None) -> MemoryRecord | None:
    """The worker's side: read (and remove) what a dead child recorded; None if nothing."""
    if child_pid is None:
        return None
    path = _path(worker_pid, child_pid)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return None
        raw = os.pread(fd, _LAYOUT.size, 0)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    if len(raw) != _LAYOUT.size:
        return None
    start, peak, cap = _LAYOUT.unpack(raw)
    return MemoryRecord(start, peak, cap)
