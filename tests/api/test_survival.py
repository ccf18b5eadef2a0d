"""The service survives what used to kill it: simultaneous uploads, hostile PDFs, its own crashes.

Every test runs the real `ledgerlens serve` on loopback. "Survives" is asserted, not assumed: the
API process keeps its pid (nothing crashed, nothing was restarted behind our back) unless the test
kills it, and then the supervisor's restart is observed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from tests.api.documents import content_stream_bomb, huge_page_pdf, invoice_pdf, statement_pdf
from tests.api.live import LiveServer, start_live_server
from tests.jobs.documents import scan_image, scanned_pdf
from tests.jobs.procs import wait_for, wait_gone

pytestmark = pytest.mark.slow


def api_process(server: LiveServer) -> psutil.Process:
    """The child of `serve` that listens on the server's port."""
    port = int(server.base_url.rsplit(":", 1)[1])
    for child in psutil.Process(server.process.pid).children():
        try:
            if any(c.laddr and c.laddr.port == port for c in child.net_connections("tcp")):
                return child
        except psutil.Error:
            continue
    raise AssertionError("no child of serve listens on the port")


def upload(server: LiveServer, name: str, data: bytes, timeout: float = 60.0) -> httpx.Response:
    return httpx.post(
        server.url("/files/upload"),
        headers=server.auth(server.key_a),
        files={"files": (name, data)},
        timeout=timeout,
    )


def mixed_documents() -> list[tuple[str, bytes]]:
    """Two of each: text PDFs, scanned (image-only) PDFs, JPEG and PNG scans."""
    return [
        ("statement.pdf", statement_pdf(1)),
        ("invoice.pdf", invoice_pdf("INV-77")),
        ("scan-1.pdf", scanned_pdf(1, dpi=150, lines=20, seed=1)),
        ("scan-2.pdf", scanned_pdf(2, dpi=150, lines=20, seed=2)),
        ("photo-1.jpg", scan_image("JPEG", seed=3)),
        ("photo-2.jpg", scan_image("JPEG", seed=4)),
        ("page-1.png", scan_image("PNG", seed=5)),
        ("page-2.png", scan_image("PNG", seed=6)),
    ]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with start_live_server(tmp_path_factory.mktemp("survival"), workers=0) as live:
        yield live


def test_rounds_of_simultaneous_mixed_uploads_are_all_answered(server: LiveServer) -> None:
    docs = mixed_documents()
    api_pid = api_process(server).pid
    for _round in range(3):
        with ThreadPoolExecutor(len(docs)) as pool:
            answers = list(pool.map(lambda doc: upload(server, *doc), docs))
        for (name, _data), answer in zip(docs, answers, strict=True):
            assert answer.status_code == 200, (name, answer.text)
            (stored,) = answer.json()["data"]["files"]
            assert stored["doc_id"] and stored["filename"] == name
        pairs = zip(docs, answers, strict=True)
        types = {name: answer.json()["data"]["files"][0]["type"] for (name, _), answer in pairs}
        assert types["statement.pdf"] == "bank_statement" and types["invoice.pdf"] == "invoice", types
        assert api_process(server).pid == api_pid, "the API process crashed and was restarted"
    assert "exited with code" not in server.log()


class PeakRss:
    """Samples one process's resident memory from a thread until stopped."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.peak = process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_huge_page_and_content_stream_bomb_answered_in_seconds_with_bounded_api_memory(
    server: LiveServer,
) -> None:
    api = api_process(server)
    hostile = [("huge-page.pdf", huge_page_pdf()), ("bomb.pdf", content_stream_bomb())]
    before = api.memory_info().rss
    started = time.monotonic()
    with PeakRss(api) as rss, ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda doc: upload(server, *doc), hostile))
    elapsed = time.monotonic() - started
    # The probe reads both page trees; the type hints are bounded by the raster budget (huge page)
    # and the memory cap (bomb: the child aborts), so both files are stored as 'other'.
    for (name, _), answer in zip(hostile, answers, strict=True):
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["data"]["files"][0]["type"] == "other"
    assert elapsed < 25, f"hostile uploads took {elapsed:.1f}s"
    assert rss.peak - before < 150 * 1024 * 1024, f"API RSS grew by {(rss.peak - before) / 2**20:.0f} MB"
    # The bomb's reader really crashed (PDFium aborts when the memory cap refuses it more): a native
    # fault in a probe child costs that upload its type hint, never the API process.
    wait_for(lambda: "probing 'bomb.pdf' failed (exit code -" in server.log(), 10, "the bomb's crash")
    assert api_process(server).pid == api.pid
    assert upload(server, "after.pdf", statement_pdf(2)).status_code == 200


def test_a_killed_api_process_is_restarted_and_a_killed_serve_leaves_no_process(tmp_path: Path) -> None:
    with start_live_server(tmp_path, workers=1) as live:
        first = api_process(live)
        os.kill(first.pid, signal.SIGKILL)
        wait_gone([first])
        # The supervisor keeps the socket: a request sent while the API restarts waits, then succeeds.
        answer = httpx.get(live.url("/files"), headers=live.auth(live.key_a), timeout=30)
        assert answer.status_code == 200, answer.text
        second = api_process(live)
        assert second.pid != first.pid
        assert upload(live, "after-restart.pdf", statement_pdf(3)).status_code == 200
        wait_for(lambda: "ledgerlens-api" in live.log() and "restarting" in live.log(), 10, "the log")

        everything = psutil.Process(live.process.pid).children(recursive=True)
        assert len(everything) >= 4  # API, its fork server, the worker, its fork server
        os.kill(live.process.pid, signal.SIGKILL)
        left = wait_gone(everything, timeout=30)
        assert not left, f"left running after serve was killed: {[p.cmdline()[-1:] for p in left]}"
