"""OCR of many pages across worker processes (never threads inside one OCR engine).

Each worker gets the document once (initializer), runs single-threaded (OMP_THREAD_LIMIT=1) under
the memory cap, and OCRs one page per task. A page that overruns its time limit kills the pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from ledgerlens.config import Settings
from ledgerlens.documents.limits import apply_memory_limit
from ledgerlens.documents.model import Page
from ledgerlens.errors import DocumentError, ErrorCode

_STATE: dict[str, Any] = {}

TaskResult = tuple[int, Page | None, str | None, str | None]
"""(index, page, error code, error message): DocumentError does not survive pickling as is."""


def _init_worker(path: str, fmt: str, password: str | None, settings: Settings) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    apply_memory_limit(settings.max_memory_mb)
    with open(path, "rb") as fh:
        data = fh.read()
    _STATE.update(data=data, fmt=fmt, password=password, settings=settings, pdf=None)


def _warm() -> None:
    """Start-up work of a fresh worker, done while the parent still reads page 1: imports and the
    engine's models (English only for Tesseract: the languages come with the tasks)."""
    from ledgerlens.documents.ocr import preload

    settings: Settings = _STATE["settings"]
    preload(settings.model_copy(update={"ocr_languages": "eng"}))


def _run_task(index: int, languages: str | None = None) -> TaskResult:
    from ledgerlens.documents.scanned import ocr_image_frame, ocr_pdf_page

    settings: Settings = _STATE["settings"]
    if languages is not None:
        settings = settings.model_copy(update={"ocr_languages": languages})
    try:
        if _STATE["fmt"] == "pdf":
            if _STATE["pdf"] is None:
                import pypdfium2 as pdfium

                _STATE["pdf"] = pdfium.PdfDocument(_STATE["data"], password=_STATE["password"] or None)
            page = ocr_pdf_page(_STATE["pdf"], index, settings)
        else:
            page = ocr_image_frame(_STATE["data"], index, settings)
    except DocumentError as exc:
        return index, None, exc.code.value, exc.message
    except MemoryError:
        return index, None, ErrorCode.LIMIT_EXCEEDED.value, "OCR of a page ran out of memory."
    return index, page, None, None


def _kill(executor: ProcessPoolExecutor) -> None:
    processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
    for proc in list(processes.values()):
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()
    executor.shutdown(wait=False, cancel_futures=True)


class PagePool:
    """Worker processes for one document's OCR pages, started (and their models loaded) as soon as
    the pool is made, so that start-up overlaps whatever the parent does before `run`: reading page
    1 alone to choose the languages of the rest took ~1.5 s of start-up on top of it before.

    Leaving the `with` block on an error kills the workers; otherwise they are shut down cleanly.
    """

    def __init__(self, data: bytes, fmt: str, password: str | None, settings: Settings, pages: int) -> None:
        self.settings = settings
        # The document reaches the workers through a private temp file, not the start-up pipe: a
        # child that dies while starting would otherwise leave the parent blocked writing megabytes.
        self._tmp = tempfile.NamedTemporaryFile(prefix="ledgerlens-", suffix=".doc")  # noqa: SIM115
        self._tmp.write(data)
        self._tmp.flush()
        workers = max(1, min(settings.page_workers, pages))
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self._tmp.name, fmt, password, settings),
        )
        for _ in range(workers):  # processes are spawned on demand: a warm-up task each starts them now
            self._executor.submit(_warm)

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self._executor.shutdown(wait=True)
            else:
                _kill(self._executor)
        finally:
            self._tmp.close()

    def run(self, indices: list[int], languages: str | None, on_page: Callable[[int, Page], None]) -> None:
        """OCR `indices` with `languages` (None: as configured); `on_page` as each page finishes."""
        settings = self.settings
        # the first task of each worker may still wait for its process start and model loading
        window = (settings.page_timeout_seconds * 1.5 + 30.0) if settings.page_timeout_seconds > 0 else None
        pending: set[Future[TaskResult]] = {self._executor.submit(_run_task, i, languages) for i in indices}
        while pending:
            done, pending = wait(pending, timeout=window, return_when=FIRST_COMPLETED)
            if not done:
                raise DocumentError(
                    ErrorCode.TIMEOUT,
                    f"OCR of a page took longer than {settings.page_timeout_seconds:.0f} s.",
                )
            for fut in done:
                try:
                    index, page, code, message = fut.result()
                except Exception as exc:  # a worker died (killed by the OS, out of memory)
                    raise DocumentError(
                        ErrorCode.LIMIT_EXCEEDED,
                        "An OCR worker process died (out of memory, or it could not start).",
                    ) from exc
                if code is not None:
                    raise DocumentError(ErrorCode(code), message or "OCR failed.")
                assert page is not None
                on_page(index, page)
