"""Soak: many clients, mixed documents, a worker and then the API process SIGKILLed mid-run.

Starts `ledgerlens serve` on a free loopback port with default settings (its own temporary data
directory; webhooks allowed to the loopback receiver that counts them), one tenant and API key per
client, then runs bounded in count and time:

- UPLOADS uploads from CONCURRENCY clients at once (text statement and invoice PDFs, scanned PDFs,
  JPEG and PNG scans), each followed by one job (`POST /parse` with an idempotency key and a
  callback), and polls until every job has ended;
- a SIGKILL of one worker once a third of the jobs have ended, and of the API process at two thirds.

A request cut off by the API kill is retried (what any client does on a reset connection); job
creation carries an idempotency key, so a retry never makes a second job. Prints: uploads answered
(and retried), jobs completed / failed, lost (never ended), duplicated (more than one webhook),
server restarts (from the supervisor's log), peak RSS per process role, p50/p99 latencies.
Targets: the service never goes down as a whole, 0 lost, 0 duplicated, every upload answered.

    .venv/bin/python bench/soak.py [--uploads 500] [--concurrency 32] [--minutes 25]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.api.documents import invoice_pdf, statement_pdf  # noqa: E402
from tests.jobs.documents import scan_image, scanned_pdf  # noqa: E402
from tests.jobs.receiver import webhook_receiver  # noqa: E402

RETRIES = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def documents(count: int) -> list[tuple[str, bytes]]:
    """`count` distinct documents: 40 % text statements, 20 % text invoices, 20 % scanned PDFs,
    10 % JPEG and 10 % PNG scans (scans are few pages at 150 DPI: real OCR, bounded time)."""
    made: list[tuple[str, bytes]] = []
    for i in range(count):
        kind = i % 10
        if kind < 4:
            made.append((f"statement-{i}.pdf", statement_pdf(i)))
        elif kind < 6:
            made.append((f"invoice-{i}.pdf", invoice_pdf(f"INV-{i:05d}")))
        elif kind < 8:
            made.append((f"scan-{i}.pdf", scanned_pdf(1, dpi=150, lines=12, seed=i)))
        elif kind == 8:
            made.append((f"photo-{i}.jpg", scan_image("JPEG", seed=i, lines=12)))
        else:
            made.append((f"page-{i}.png", scan_image("PNG", seed=i, lines=12)))
    return made


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    answered: Counter[int] = field(default_factory=Counter)
    retried: Counter[str] = field(default_factory=Counter)
    unanswered: list[str] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def timed(self, what: str, call: Callable[[], httpx.Response]) -> httpx.Response | None:
        """One request, retried on a transport error (a connection the API kill cut off)."""
        for attempt in range(RETRIES):
            started = time.monotonic()
            try:
                response = call()
            except httpx.TransportError:
                with self.lock:
                    self.retried[what] += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            with self.lock:
                self.latency[what].append(time.monotonic() - started)
            return response
        return None


def run_client(
    base: str, key: str, docs: list[tuple[str, bytes]], callback: str, stats: Stats, deadline: float
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    mine: dict[str, float] = {}
    with httpx.Client(base_url=base + "/api/v1", headers=headers, timeout=120) as client:
        for name, data in docs:
            if time.monotonic() > deadline:
                return
            files = {"files": (name, data)}
            answer = stats.timed("upload", lambda files=files: client.post("/files/upload", files=files))  # type: ignore[misc]
            if answer is None:
                with stats.lock:
                    stats.unanswered.append(name)
                continue
            with stats.lock:
                stats.answered[answer.status_code] += 1
            if answer.status_code != 200:
                continue
            doc_id = answer.json()["data"]["files"][0]["doc_id"]
            body = {"document_id": doc_id, "callback_url": callback, "idempotency_key": str(uuid.uuid4())}
            created = stats.timed("create job", lambda body=body: client.post("/parse", json=body))  # type: ignore[misc]
            if created is None or created.status_code not in (200, 202):
                continue
            job_id = created.json()["data"]["job_id"]
            mine[job_id] = time.monotonic()
            with stats.lock:
                stats.jobs[job_id] = {"status": "pending", "file": name}
        while mine and time.monotonic() < deadline:
            for job_id in list(mine):
                polled = stats.timed("poll", lambda job_id=job_id: client.get(f"/parse/{job_id}"))  # type: ignore[misc]
                if polled is None or polled.status_code != 200:
                    continue
                status = polled.json()["data"]["status"]
                if status in ("completed", "failed"):
                    with stats.lock:
                        stats.jobs[job_id]["status"] = status
                        stats.jobs[job_id]["error"] = polled.json()["data"].get("error")
                        stats.latency["job end to end"].append(time.monotonic() - mine.pop(job_id))
            time.sleep(0.5)


class Sampler:
    """Peak RSS per process role, sampled from the process tree of `serve` every 100 ms."""

    def __init__(self, root: int, port: int) -> None:
        self.root = root
        self.port = port
        self.peak: dict[str, int] = defaultdict(int)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def role(self, proc: psutil.Process) -> str:
        if proc.pid == self.root:
            return "supervisor"
        cmd = " ".join(proc.cmdline())
        parent = proc.parent()
        parent_cmd = " ".join(parent.cmdline()) if parent else ""
        if "resource_tracker" in cmd:
            return "resource tracker"
        if "forkserver" in cmd and "forkserver" not in parent_cmd:
            return "API fork server" if self._listens(parent) else "worker fork server"
        if "forkserver" in parent_cmd:  # forked by a fork server (it shows the server's command line)
            grand = parent.parent() if parent else None
            return "upload probe child" if self._listens(grand) else "job child"
        if "spawn_main" in cmd and parent and parent.pid == self.root:
            return "API" if self._listens(proc) else "worker"
        return "other"

    def _listens(self, proc: psutil.Process | None) -> bool:
        try:
            return proc is not None and any(c.laddr.port == self.port for c in proc.net_connections("tcp"))
        except psutil.Error:
            return False

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                root = psutil.Process(self.root)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for proc in procs:
                try:
                    role, rss = self.role(proc), proc.memory_info().rss
                    self.peak[role] = max(self.peak[role], rss)
                except psutil.Error:
                    continue

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def pid_of(self, role: str) -> int | None:
        root = psutil.Process(self.root)
        for proc in root.children():
            try:
                if self.role(proc) == role:
                    return proc.pid
            except psutil.Error:
                continue
        return None


def make_keys(data_dir: Path, count: int) -> list[str]:
    from ledgerlens.config import Settings
    from ledgerlens.jobs import store
    from ledgerlens.jobs.db import make_engine, make_session_factory
    from ledgerlens.migrations import upgrade

    settings = Settings(data_dir=data_dir)
    upgrade(settings)
    engine = make_engine(settings)
    keys = []
    with make_session_factory(engine)() as session:
        for i in range(count):
            tenant = store.ensure_tenant(session, f"soak-{i}")
            keys.append(store.create_api_key(session, tenant.id, label="soak")[0])
    engine.dispose()
    return keys


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--minutes", type=float, default=25.0)
    args = parser.parse_args()

    print(f"making {args.uploads} documents ...", flush=True)
    docs = documents(args.uploads)
    tmp = Path(tempfile.mkdtemp(prefix="ledgerlens-soak-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    keys = make_keys(data_dir, args.concurrency)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLENS_")}
    env.update({"LEDGERLENS_DATA_DIR": str(data_dir), "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE": "1"})
    log_path = tmp / "serve.log"
    stats = Stats()
    started = time.monotonic()
    deadline = started + args.minutes * 60
    with webhook_receiver([200]) as receiver, log_path.open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "ledgerlens", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            while time.monotonic() < started + 60:
                try:
                    if httpx.get(base + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            sampler = Sampler(serve.pid, port)
            sampler.start()
            shares = [docs[i :: args.concurrency] for i in range(args.concurrency)]
            clients = [
                threading.Thread(
                    target=run_client, args=(base, keys[i], shares[i], receiver.url, stats, deadline)
                )
                for i in range(args.concurrency)
            ]
            for client in clients:
                client.start()
            kills: list[str] = []
            for fraction, role in ((1 / 3, "worker"), (2 / 3, "API")):
                while time.monotonic() < deadline:
                    with stats.lock:
                        ended = sum(1 for j in stats.jobs.values() if j["status"] != "pending")
                    if ended >= fraction * args.uploads:
                        break
                    time.sleep(0.2)
                pid = sampler.pid_of(role)
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
                    kills.append(
                        f"{role} pid {pid} at {time.monotonic() - started:.0f}s ({ended} jobs ended)"
                    )
            for client in clients:
                client.join(max(0.0, deadline - time.monotonic()))
            time.sleep(3)  # room for a late duplicate webhook to show up
            sampler.stop()
            alive = serve.poll() is None
        finally:
            if serve.poll() is None:
                os.killpg(serve.pid, signal.SIGTERM)
                try:
                    serve.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(serve.pid, signal.SIGKILL)
    elapsed = time.monotonic() - started
    hooks = Counter(json.loads(r.body)["job_id"] for r in receiver.requests)
    text = log_path.read_text(errors="replace")
    restarts = Counter(
        line.split("ledgerlens.jobs.supervisor: ")[1].split(" (pid")[0]
        for line in text.splitlines()
        if "restarting in" in line and "ledgerlens.jobs.supervisor: " in line
    )
    statuses = Counter(j["status"] for j in stats.jobs.values())
    lost = [j for j, v in stats.jobs.items() if v["status"] == "pending"]
    duplicated = [j for j, n in hooks.items() if n > 1]
    no_hook = [j for j, v in stats.jobs.items() if v["status"] != "pending" and j not in hooks]
    errors = Counter(
        str((v.get("error") or {}).get("code")) for v in stats.jobs.values() if v["status"] == "failed"
    )

    print(f"\nsoak: {args.uploads} uploads, {args.concurrency} clients, {elapsed:.0f} s")
    print(f"service alive at the end: {alive}; kills: {'; '.join(kills) or 'none'}")
    answered = sum(stats.answered.values())
    by_status = dict(stats.answered)
    print(f"uploads answered: {answered}/{args.uploads} {by_status}; unanswered: {len(stats.unanswered)}")
    print(f"requests retried after a transport error: {dict(stats.retried)}")
    print(f"jobs: {len(stats.jobs)} created, {dict(statuses)}; failed by code: {dict(errors)}")
    print(f"lost (never ended): {len(lost)}; duplicated (>1 webhook): {len(duplicated)}", end="; ")
    print(f"ended without webhook: {len(no_hook)}")
    print(f"server restarts: {dict(restarts) or 'none'}")
    print(
        "peak RSS by process role (MB): "
        + ", ".join(f"{r} {b / 2**20:.0f}" for r, b in sorted(sampler.peak.items()))
    )
    for what, values in sorted(stats.latency.items()):
        p50, p99, mean = (1000 * v for v in (pct(values, 0.5), pct(values, 0.99), statistics.fmean(values)))
        print(f"{what:>16}: n={len(values):4d}  p50 {p50:8.0f} ms  p99 {p99:8.0f} ms  mean {mean:8.0f} ms")
    ok = alive and not lost and not duplicated and not stats.unanswered and not no_hook
    print(f"targets (alive, 0 lost, 0 duplicated, every upload answered): {'met' if ok else 'NOT met'}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
