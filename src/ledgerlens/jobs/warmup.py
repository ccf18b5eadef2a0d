"""Imported by each worker's fork server so every job child starts with its code already loaded.

That is the pipeline (numpy, OCR engines, extraction) and the job child's own module, which
unpickling the child's entry point would otherwise import in every child (about a second), and
the configured OCR engine's models (Tesseract: ~0.4 s per scanned job otherwise; RapidOCR's ONNX
sessions when it is the engine in use).
A broken import must not take the fork server down (it only tolerates ImportError), so failures
are swallowed; the job child then imports the pipeline itself and reports the error properly.
"""

from __future__ import annotations

import contextlib
import importlib

for _module in ("ledgerlens.jobs.worker", "ledgerlens.pipeline"):
    with contextlib.suppress(Exception):
        importlib.import_module(_module)
with contextlib.suppress(Exception):
    from ledgerlens.config import get_settings
    from ledgerlens.documents.ocr import preload

    preload(get_settings())
