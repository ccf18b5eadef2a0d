"""A job child that dies at its memory cap fails the job at once with LIMIT_EXCEEDED.

Native code does not always turn a failed allocation into MemoryError: pdfium aborts when a
content stream inflates past the cap. Such a death used to count as a crash, retried three
times and then failed as INTERNAL_SERVER_ERROR. Real worker processes, real documents.
"""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings
from ledgerlens.jobs.blobs import BlobStore
from ledgerlens.jobs.memwatch import MemoryRecord, hit_cap, record_directory
from ledgerlens.jobs.models import Job
from tests.documents.pdfs import raw_pdf
from tests.jobs.documents import digital_pdf
from tests.jobs.factory import add_file, add_job, add_tenant, get_job
from tests.jobs.procs import ledgerlens_process, wait_for

pytest.importorskip("ledgerlens.pipeline", reason="the extraction pipeline is not importable yet")

pytestmark = pytest.mark.slow

CAP_MB = 1200
"""Room for a normal job (a job child starts at roughly 0.7 GB of address space), not for the bomb."""


def content_bomb_pdf(inflated_mb: int) -> bytes:
    """One page whose content stream is ~0.6 KB per MB inflated: blanks, so the page is valid and
    empty, but pdfium must hold the whole inflated stream to parse it."""
    z = zlib.compressobj(9)
    blanks = b" " * (1 << 20)
    stream = b"".join(z.compress(blanks) for _ in range(inflated_mb)) + z.flush()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
    )


def _ended(sf: sessionmaker[Session], *job_ids: int) -> bool:
    with sf() as session:
        statuses = session.scalars(select(Job.status).where(Job.id.in_(job_ids))).all()
    return len(statuses) == len(job_ids) and all(s in ("completed", "failed") for s in statuses)


def test_child_killed_by_the_memory_cap_fails_once_with_limit_exceeded(
    settings: Settings, sf: sessionmaker[Session], blobs: BlobStore, tmp_path: Path
) -> None:
    from tests.documents.test_bad_inputs import DAMAGED_TREES

    settings = settings.model_copy(update={"max_memory_mb": CAP_MB, "max_attempts": 3})
    tenant = add_tenant(sf)
    bomb = add_file(sf, blobs, tenant.id, content_bomb_pdf(1500))
    lying = add_file(sf, blobs, tenant.id, DAMAGED_TREES["/Count says 7, one kid"])
    good = add_file(sf, blobs, tenant.id, digital_pdf(["Harbour Bank statement", "01/03/2025 Coffee 4.20"]))
    bomb_job = add_job(sf, tenant.id, bomb.id)
    lying_job = add_job(sf, tenant.id, lying.id)
    good_job = add_job(sf, tenant.id, good.id)
    log_path = tmp_path / "worker.log"
    with ledgerlens_process(settings, "worker", "--workers", "1", log_path=log_path) as proc:
        wait_for(lambda: _ended(sf, bomb_job, lying_job, good_job), 120, "the jobs to end")
        assert proc.poll() is None, "the worker must survive its child's death"
    log = log_path.read_text(errors="replace")

    failed = get_job(sf, bomb_job)
    assert (failed.status, failed.error_code) == ("failed", "LIMIT_EXCEEDED"), (
        failed.error_message,
        log[-3000:],
    )
    assert failed.attempts == 1, "a death at the memory cap is not retried"
    assert failed.error_message == f"The document needs more than the allowed {CAP_MB} MB of memory."
    assert failed.result_json is None and failed.lease_token is None
    assert "died at its memory cap" in log, log[-3000:]
    assert "processing child died (exit code" not in log, "counted as a crash"

    worker = (failed.worker_id or "").split(":")[1]
    assert not list(record_directory().glob(f"ledgerlens-mem-{worker}-*")), "memory records left behind"

    corrupt = get_job(sf, lying_job)
    assert (corrupt.status, corrupt.error_code, corrupt.attempts) == ("failed", "CORRUPT_DOCUMENT", 1)
    assert "page 2 of 7" in (corrupt.error_message or "")
    done = get_job(sf, good_job)
    assert (done.status, done.attempts) == ("completed", 1), (done.error_code, done.error_message)


NATIVE_FAILURE = """
import cv2, numpy as np, resource
from ledgerlens.jobs.memwatch import out_of_memory
size = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + (200 << 20), resource.RLIM_INFINITY))
try:
    cv2.resize(np.zeros((10, 10), np.uint8), (30000, 30000))  # 900 MB
except Exception as exc:
    print(type(exc).__module__, type(exc).__name__, out_of_memory(exc))
"""


def test_a_native_allocation_failure_raised_as_its_own_type_is_out_of_memory() -> None:
    """OpenCV under the cap raises cv2.error ('Failed to allocate'), not MemoryError."""
    ran = subprocess.run([sys.executable, "-c", NATIVE_FAILURE], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["cv2", "error", "True"], ran.stdout


@pytest.mark.parametrize(
    ("start", "peak", "cap", "expected"),
    [
        (700, 1198, 1200, True),  # pdfium inflating a stream up to the cap (this file's bomb)
        (700, 1359, 1600, True),  # the last request was ~240 MB: three quarters of the room used
        (700, 760, 2048, False),  # a crash early in a job: a retry may help
        (700, 700, 0, False),  # no cap
        (900, 900, 800, True),  # started over the cap: nothing could be allocated
    ],
)
def test_a_death_counts_as_the_caps_past_half_the_room(
    start: int, peak: int, cap: int, expected: bool
) -> None:
    assert hit_cap(MemoryRecord(start << 10, peak << 10, cap << 10)) is expected
