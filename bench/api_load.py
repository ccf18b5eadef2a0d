"""API load benchmark: status-GET throughput/latency and upload→completed latency, on loopback only.

Starts the real service (`python -m ledgerlens serve`) on a free 127.0.0.1 port with a temporary data
directory and rate limiting off, creates a tenant and an API key in its database, then measures:

(a) GET /api/v1/parse/{job_id} with 32 concurrent keep-alive connections, bounded by time and count;
(b) upload → completed for a one-page digital bank statement (reportlab), p50 over ~20 runs.

It stops by itself (every phase has a deadline) and kills the server it started. Targets:
≥ 1,500 GET/s with p99 < 50 ms; upload→completed p50 < 500 ms. The load client runs on the same
machine and competes with the server for CPU, so figures on a busy 2-core box are pessimistic.

    .venv/bin/python bench/api_load.py [--seconds 10] [--requests 20000] [--concurrency 32] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.api.documents import statement_pdf  # noqa: E402  (the tests' one-page statement)

T = TypeVar("T")
TARGET_RPS = 1500.0
TARGET_P99_MS = 50.0
TARGET_UPLOAD_P50_MS = 500.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def key_hash(key: str) -> str:
    try:
        from ledgerlens.jobs.keys import hash_key

        return hash_key(key)
    except ImportError:
        return hashlib.sha256(key.encode()).hexdigest()


def prepare_database(data_dir: Path) -> str:
    """Migrate a fresh database and create one tenant with one API key; returns the key."""
    from ledgerlens.config import Settings
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.jobs.models import ApiKey, Tenant
    from ledgerlens.migrations import upgrade

    settings = Settings(data_dir=data_dir)
    upgrade(settings)
    key = "ll_" + secrets.token_urlsafe(32)
    engine = make_engine(settings)
    with make_session_factory(engine)() as session:
        tenant = Tenant(id=str(uuid.uuid4()), name="bench", webhook_secret=secrets.token_hex(32))
        session.add(tenant)
        session.flush()
        session.add(
            ApiKey(
                id=str(uuid.uuid4()),
                tenant_id=tenant.id,
                label="bench",
                prefix=key[:8],
                key_hash=key_hash(key),
            )
        )
        session.commit()
    engine.dispose()
    return key


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def start_server(data_dir: Path, extra_env: dict[str, str], workers: int) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "LEDGERLENS_DATA_DIR": str(data_dir),
        "LEDGERLENS_HOST": "127.0.0.1",
        "LEDGERLENS_PORT": str(port),
        "LEDGERLENS_RATE_LIMIT_PER_MINUTE": "0",
        "OMP_THREAD_LIMIT": "1",
        **extra_env,
    }
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ledgerlens",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(server.base + "/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not become healthy in 60 s:\n{log.read_text()[-3000:]}")


class JobFailed(RuntimeError):
    def __init__(self, job_id: str, error: object) -> None:
        super().__init__(f"job {job_id} failed: {error}")
        self.job_id = job_id


@dataclass
class Run:
    job_id: str
    total: float
    """Seconds from sending the upload to seeing `completed`."""
    upload: float
    """Seconds until the upload+start call answered."""


def upload_and_complete(client: httpx.Client, pdf: bytes, name: str, timeout: float = 60.0) -> Run:
    """Upload one statement and start its job in one call, poll every 5 ms until done."""
    t0 = time.perf_counter()
    r = client.post("/api/v1/parse/statements", files={"file": (name, pdf, "application/pdf")})
    upload = time.perf_counter() - t0
    if r.status_code not in (200, 202):
        raise RuntimeError(f"parse upload failed: {r.status_code} {r.text[:500]}")
    job_id: str = r.json()["data"]["job_id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(f"/api/v1/parse/{job_id}").json()["data"]
        if data["status"] == "completed":
            return Run(job_id, time.perf_counter() - t0, upload)
        if data["status"] == "failed":
            raise JobFailed(job_id, data.get("error"))
        time.sleep(0.005)
    raise RuntimeError(f"job {job_id} not completed within {timeout} s")


async def _get_loop(
    host: str,
    port: int,
    request: bytes,
    stop_at: float,
    budget: list[int],
    latencies: list[float],
    bad: list[int],
) -> None:
    """One keep-alive connection issuing GETs back to back; a minimal client so the load generator
    itself stays cheap (httpx costs more CPU per request than the server does)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                    break
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                bad.append(status)
    finally:
        writer.close()


async def get_load(
    base: str, path: str, key: str, concurrency: int, seconds: float, count: int
) -> dict[str, Any]:
    host, port = base.removeprefix("http://").split(":")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {key}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    bad: list[int] = []
    budget = [count]
    t0 = time.perf_counter()
    stop_at = time.monotonic() + seconds
    await asyncio.gather(
        *(_get_loop(host, int(port), request, stop_at, budget, latencies, bad) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - t0
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "seconds": elapsed,
        "rps": n / elapsed,
        "p50_ms": latencies[n // 2] * 1000,
        "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000,
        "max_ms": latencies[-1] * 1000,
        "non_200": len(bad),
    }


def breakdown(data_dir: Path, runs: list[Run]) -> str:
    """Split upload→completed using the jobs' own timestamps (read from the server's database)."""
    from sqlalchemy import select

    from ledgerlens.config import Settings
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.jobs.ids import parse_prefixed_id
    from ledgerlens.jobs.models import Job

    ids = [parse_prefixed_id(run.job_id, "job") for run in runs]
    engine = make_engine(Settings(data_dir=data_dir))
    try:
        with make_session_factory(engine)() as session:
            jobs = {job.id: job for job in session.scalars(select(Job).where(Job.id.in_(ids)))}
    finally:
        engine.dispose()
    parts: dict[str, list[float]] = {
        "upload call": [],
        "queued": [],
        "started→completed": [],
        "processing_seconds": [],
        "poll lag": [],
    }
    for run, number in zip(runs, ids, strict=True):
        job = jobs.get(number) if number is not None else None
        if job is None or job.started_at is None or job.completed_at is None:
            continue
        queued = (job.started_at - job.created_at).total_seconds()
        worker = (job.completed_at - job.started_at).total_seconds()
        parts["upload call"].append(run.upload)
        parts["queued"].append(queued)
        parts["started→completed"].append(worker)
        parts["processing_seconds"].append(job.processing_seconds or 0.0)
        parts["poll lag"].append(run.total - run.upload - queued - worker)
    return ", ".join(f"{name} {statistics.median(v) * 1000:.0f} ms" for name, v in parts.items() if v)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """uvloop when available: the load client shares the CPUs with the server, so keep it cheap."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    result: T = uvloop.run(coro)
    return result


def verdict(ok: bool) -> str:
    return "OK" if ok else "BELOW TARGET"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10.0, help="GET phase time limit")
    ap.add_argument("--requests", type=int, default=20_000, help="GET phase request limit")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--runs", type=int, default=20, help="upload→completed runs")
    ap.add_argument("--workers", type=int, default=2, help="embedded worker processes")
    ap.add_argument("--env", action="append", default=[], help="extra server env NAME=VALUE (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the temp data dir (server log) afterwards")
    args = ap.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.env)

    data_dir = Path(tempfile.mkdtemp(prefix="ledgerlens-bench-"))
    print(f"data dir {data_dir}; {os.cpu_count()} CPUs; load client on the same machine")
    key = prepare_database(data_dir)
    server = start_server(data_dir, extra_env, args.workers)
    try:
        print(f"server {server.base} (pid {server.proc.pid}) up at {datetime.now(UTC):%H:%M:%S} UTC")
        with httpx.Client(
            base_url=server.base, headers={"Authorization": f"Bearer {key}"}, timeout=30
        ) as client:
            pipeline_ok = True
            try:
                warm = upload_and_complete(client, statement_pdf(0), "warmup.pdf")
                job_id = warm.job_id
                print(f"warm-up job {job_id} completed in {warm.total * 1000:.0f} ms")
            except JobFailed as exc:
                pipeline_ok = False
                job_id = exc.job_id
                print(f"warm-up {exc}; (a) polls this failed job, (b) is skipped (server log: --keep)")

            # (a) status GET throughput
            run_async(get_load(server.base, f"/api/v1/parse/{job_id}", key, args.concurrency, 1.0, 500))
            api_process = psutil.Process(server.proc.pid)
            cpu_before = api_process.cpu_times()
            client_cpu = time.process_time()
            a = run_async(
                get_load(
                    server.base, f"/api/v1/parse/{job_id}", key, args.concurrency, args.seconds, args.requests
                )
            )
            cpu_after = api_process.cpu_times()
            cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
            cpu_us = cpu / max(1, a["requests"]) * 1e6
            client_us = (time.process_time() - client_cpu) / max(1, a["requests"]) * 1e6
            print(
                f"(a) GET /api/v1/parse/{{job_id}} x{a['requests']} at concurrency {args.concurrency} "
                f"in {a['seconds']:.2f} s: {a['rps']:.0f} req/s, p50 {a['p50_ms']:.1f} ms, "
                f"p99 {a['p99_ms']:.1f} ms, max {a['max_ms']:.1f} ms, non-200 {a['non_200']}"
            )
            print(
                f"    API process CPU {cpu_us:.0f} µs/request (≈ {1e6 / cpu_us:.0f} req/s per free core; "
                f"depends far less on machine load than req/s); load client {client_us:.0f} µs/request"
            )
            print(
                f"    target ≥ {TARGET_RPS:.0f} req/s and p99 < {TARGET_P99_MS:.0f} ms: "
                f"{verdict(a['rps'] >= TARGET_RPS and a['p99_ms'] < TARGET_P99_MS and a['non_200'] == 0)}"
            )

            if not pipeline_ok:
                return 1
            # (b) upload → completed
            runs = [upload_and_complete(client, statement_pdf(i + 1), f"s{i}.pdf") for i in range(args.runs)]
            times = sorted(run.total for run in runs)
            p50 = statistics.median(times) * 1000
            print(
                f"(b) upload→completed, one-page digital statement, {len(times)} runs: p50 {p50:.0f} ms, "
                f"min {times[0] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
            )
            print(f"    target p50 < {TARGET_UPLOAD_P50_MS:.0f} ms: {verdict(p50 < TARGET_UPLOAD_P50_MS)}")
            print("    where the time goes (medians): " + breakdown(data_dir, runs))
        return 0
    finally:
        server.stop()
        if args.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
