"""A real ledgerlens server on loopback for tests: temp data dir, migrated database, two tenants.

Reusable by any test area:

    from tests.api.live import start_live_server

    with start_live_server(tmp_path, env={"LEDGERLENS_MAX_FILE_BYTES": "100000"}) as server:
        r = httpx.get(server.url("/files"), headers=server.auth(server.key_a))

It runs `python -m ledgerlens serve` (uvicorn + embedded workers) when the CLI has that command,
else `python -m uvicorn --factory ledgerlens.api.app:create_app` (no workers: jobs stay pending;
`server.has_workers` tells which). `api_only=True` runs only the API process as `serve` runs it
(`api.server.run_api_process`): no workers, no webhook deliveries (so nothing is ever sent to a
generated callback URL), no retention.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 45.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base_url: str
    """e.g. http://127.0.0.1:54321 (no /api/v1)."""
    data_dir: Path
    env: dict[str, str]
    key_a: str
    key_b: str
    tenant_a: str
    tenant_b: str
    has_workers: bool
    process: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """`/files` -> http://host:port/api/v1/files; absolute paths starting with /api or /docs as is."""
        if path.startswith(("/api/", "/docs", "/openapi", "/health", "/metrics")):
            return self.base_url + path
        return self.base_url + "/api/v1" + path

    @staticmethod
    def auth(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def client(self, key: str | None = None, timeout: float = 30.0) -> httpx.Client:
        headers = self.auth(key) if key else {}
        return httpx.Client(base_url=self.base_url + "/api/v1", headers=headers, timeout=timeout)

    def settings(self) -> Any:
        """Settings pointing at the server's database (for tests that create keys or look at rows)."""
        from ledgerlens.config import Settings

        return Settings(data_dir=self.data_dir)

    def new_key(self, tenant_name: str) -> str:
        """A fresh API key for a (possibly new) tenant, written straight into the server's database."""
        return _make_key(self.settings(), tenant_name)[0]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _make_key(settings: Any, tenant_name: str) -> tuple[str, str]:
    from ledgerlens.jobs import store
    from ledgerlens.jobs.db import make_engine, make_session_factory

    engine = make_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            tenant = store.ensure_tenant(session, tenant_name)
            key, _row = store.create_api_key(session, tenant.id, label="tests")
            return key, tenant.id
    finally:
        engine.dispose()


def serve_available() -> bool:
    """Whether `python -m ledgerlens serve` exists (the jobs helper's CLI)."""
    try:
        import typer.main

        from ledgerlens.cli import app
    except Exception:
        return False
    command = typer.main.get_command(app)
    commands = getattr(command, "commands", {})
    return "serve" in commands


@contextmanager
def start_live_server(
    tmp_dir: Path, env: dict[str, str] | None = None, workers: int = 1, api_only: bool = False
) -> Iterator[LiveServer]:
    from ledgerlens.config import Settings
    from ledgerlens.migrations import upgrade

    data_dir = tmp_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLENS_")}
    full_env.update(
        {
            "LEDGERLENS_DATA_DIR": str(data_dir),
            "LEDGERLENS_WORKERS": str(workers),
            "LEDGERLENS_PAGE_WORKERS": "1",
            "LEDGERLENS_RATE_LIMIT_PER_MINUTE": "0",
            "OMP_THREAD_LIMIT": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    full_env.update(env or {})
    settings = Settings(data_dir=data_dir)
    upgrade(settings)
    key_a, tenant_a = _make_key(settings, "tenant-a")
    key_b, tenant_b = _make_key(settings, "tenant-b")

    with_workers = serve_available() and not api_only
    if api_only:
        code = (
            "from ledgerlens.api.server import bind_socket, run_api_process\n"
            "from ledgerlens.config import get_settings\n"
            f"run_api_process(get_settings(), bind_socket('127.0.0.1', {port}))\n"
        )
        cmd = [sys.executable, "-c", code]
    elif with_workers:
        cmd = [sys.executable, "-m", "ledgerlens", "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--workers", str(workers)]
    else:
        cmd = [
            sys.executable, "-m", "uvicorn", "--factory", "ledgerlens.api.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
    log_path = tmp_dir / "server.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=full_env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        env=full_env,
        key_a=key_a,
        key_b=key_b,
        tenant_a=tenant_a,
        tenant_b=tenant_b,
        has_workers=with_workers and workers > 0,
        process=proc,
        log_path=log_path,
    )
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(proc)
        log_file.close()


def _wait_ready(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log()[-4000:]}")
        try:
            if httpx.get(server.base_url + "/api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {STARTUP_SECONDS}s:\n{server.log()[-4000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
