"""Tesseract 5 through its CLI: one single-threaded child process per page.

The CLI (not a binding) because a child process can be killed on timeout and capped in memory,
and because OpenMP threading inside Tesseract is ~4x slower on a busy 2-core box than running
pages side by side with OMP_THREAD_LIMIT=1.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from functools import lru_cache

import cv2

from ledgerlens.documents.limits import apply_memory_limit
from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr.bands import band_spans, tiff_frames
from ledgerlens.documents.ocr.base import GrayImage, OcrEngine, pixel_box
from ledgerlens.errors import DocumentError, ErrorCode

AUTO_LAYOUT = 3
SPARSE_TEXT = 11
"""--psm 11 (ocr_fast) skips Tesseract's column and table finding: ~5 % less CPU and more amounts read
exactly on the corpus scans, but its words group differently and the extractors lose rows
(README `ingestion`)."""


@lru_cache(maxsize=1)
def tesseract_binary() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    exe = tesseract_binary()
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _encode(image: GrayImage) -> bytes:
    ok, buf = cv2.imencode(".pgm", image)
    if not ok:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The page image could not be encoded for OCR.")
    return bytes(buf.tobytes())


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(
        self, languages: str = "eng", max_memory_mb: int = 0, psm: int = AUTO_LAYOUT, bands: int = 1
    ) -> None:
        have = installed_languages()
        wanted = [lang for lang in languages.split("+") if lang and lang in have]
        self.languages = "+".join(wanted) or "eng"
        self.max_memory_mb = max_memory_mb
        self.psm = psm
        self.bands = bands

    def _run(self, args: list[str], image: GrayImage | bytes, timeout: float | None) -> str:
        exe = tesseract_binary()
        if exe is None:
            raise DocumentError(ErrorCode.INTERNAL_SERVER_ERROR, "Tesseract is not installed.")
        mem = self.max_memory_mb
        try:
            proc = subprocess.run(
                [exe, "stdin", "stdout", "--dpi", "300", *args],
                input=image if isinstance(image, bytes) else _encode(image),
                capture_output=True,
                timeout=timeout,
                env=_env(),
                check=False,
                preexec_fn=(lambda: apply_memory_limit(mem)) if mem > 0 else None,
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(
                ErrorCode.TIMEOUT, f"OCR of a page took longer than {timeout:.0f} s."
            ) from None
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace")
            if "alloc" in err.lower() or proc.returncode in (-9, -6, 134, 137):
                raise DocumentError(ErrorCode.LIMIT_EXCEEDED, "OCR of a page ran out of memory.")
            raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "OCR failed on a page image.", details=err[-500:])
        return proc.stdout.decode("utf-8", "replace")

    def recognize(self, image: GrayImage, timeout: float | None = None) -> list[Word]:
        spans = band_spans(image, self.bands)
        data = tiff_frames(image, spans) if len(spans) > 1 else _encode(image)
        out = self._run(["-l", self.languages, "--psm", str(self.psm), "tsv"], data, timeout)
        height, width = image.shape[:2]
        words: list[Word] = []
        reader = csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) < 12 or row[0] != "5":
                continue
            text = row[11].strip()
            if not text:
                continue
            frame = min(max(int(row[1]) - 1, 0), len(spans) - 1)  # page_num: 1-based band
            left, top, w, h = (int(v) for v in row[6:10])
            top += spans[frame][0]
            conf = max(0.0, min(float(row[10]) / 100.0, 1.0))
            words.append(
                Word(text, pixel_box(left, top, left + w, top + h, width, height), conf, "tesseract")
            )
        return words

    def orientation(self, image: GrayImage, timeout: float | None = None) -> tuple[int, float]:
        """(clockwise degrees to rotate the image so text is upright, confidence) from OSD (--psm 0)."""
        try:
            out = self._run(["--psm", "0"], image, timeout)
        except DocumentError as exc:
            if exc.code == ErrorCode.TIMEOUT:
                raise
            return 0, 0.0
        rotate, conf = 0, 0.0
        for line in out.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Rotate":
                rotate = int(value.strip() or 0)
            elif key.strip() == "Orientation confidence":
                conf = float(value.strip() or 0)
        return rotate % 360, conf
