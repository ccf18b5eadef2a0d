"""Tesseract 5, in-process through tesserocr when installed, else its CLI in a child process.

tesserocr's wheel carries its own libtesseract (5.5, built without OpenMP, so single-threaded) and
reads the system's traineddata: models load once per process instead of once per page, and the page
needs no encoding. Measured on the corpus scans: ~30 % less CPU per page than the Debian 5.3 CLI
(README `ingestion`). The CLI stays as the fallback: its child can be killed on timeout and capped in
memory, and it runs with OMP_THREAD_LIMIT=1 (OpenMP threading is ~4x slower on a busy 2-core box
than pages side by side).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from functools import lru_cache
from typing import Any, Literal

import cv2
import numpy as np

from ledgerlens.documents.limits import apply_memory_limit
from ledgerlens.documents.model import Word
from ledgerlens.documents.ocr.amounts import is_amount
from ledgerlens.documents.ocr.bands import band_spans, tiff_frames
from ledgerlens.documents.ocr.base import GrayImage, OcrEngine, pixel_box, pixel_corners
from ledgerlens.errors import DocumentError, ErrorCode

AUTO_LAYOUT = 3
SINGLE_LINE = 7
RECHECK_BELOW = 0.7
"""Words Tesseract is less sure of than this are read again on their own (`recheck`)."""
SPARSE_TEXT = 11
"""--psm 11 (ocr_fast) skips Tesseract's column and table finding: ~5 % less CPU and more amounts read
exactly on the corpus scans, but its words group differently and the extractors lose rows
(README `ingestion`)."""
PAGE_VARIABLES = {"textord_disable_pitch_test": "1"}
"""Layout work a page read does not need: the fixed-pitch test (~5 % of a page's CPU; the LSTM reads
whole lines and places the spaces itself; same words on the corpus scans). Table finding costs ~10 %
more but stays: without it, generated scans lost rows (txn F1 0.926 -> 0.891, README `ingestion`)."""


@lru_cache(maxsize=1)
def tesseract_binary() -> str | None:
    return shutil.which("tesseract")


Backend = Literal["auto", "api", "cli"]

_TESSDATA_GUESSES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


@lru_cache(maxsize=1)
def _list_langs() -> tuple[str | None, frozenset[str]]:
    """(tessdata folder, languages) as the system's tesseract CLI reports them."""
    exe = tesseract_binary()
    if exe is None:
        return None, frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None, frozenset()
    lines = out.stdout.splitlines()
    folder = re.search(r'"([^"]+)"', lines[0]) if lines else None
    langs = frozenset(line.strip() for line in lines[1:] if line.strip())
    return (folder.group(1) if folder else None), langs


@lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """Where the traineddata files are: TESSDATA_PREFIX, what the CLI says, or a usual place."""
    candidates = [os.environ.get("TESSDATA_PREFIX"), _list_langs()[0], *_TESSDATA_GUESSES]
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "eng.traineddata")):
            return folder.rstrip("/") + "/"
    return None


@lru_cache(maxsize=1)
def tesserocr_available() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_dir() is not None


def tesseract_available() -> bool:
    return tesseract_binary() is not None or tesserocr_available()


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    langs = _list_langs()[1]
    folder = tessdata_dir()
    if not langs and folder is not None:
        names = os.listdir(folder)
        langs = frozenset(f.removesuffix(".traineddata") for f in names if f.endswith(".traineddata"))
    return langs


def installed_subset(languages: str) -> str:
    """The '+'-joined `languages` that have traineddata here ('' when none)."""
    have = installed_languages()
    return "+".join(lang for lang in languages.split("+") if lang and lang in have)


_APIS: dict[tuple[str, int], Any] = {}
MAX_APIS = 4
"""Loaded models kept per process (English, English + the document's languages, OSD, ...)."""


def _api(languages: str, psm: int) -> Any:
    """A tesserocr API with `languages` loaded, kept for the life of this process.

    A child forked later (each job runs in one) uses its own copy-on-write copy: the wheel's
    libtesseract starts no threads, so nothing is held mid-use at the fork.
    """
    key = (languages, psm)
    api = _APIS.get(key)
    if api is None:
        import tesserocr

        while len(_APIS) >= MAX_APIS:
            _APIS.pop(next(iter(_APIS))).End()
        api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=languages, psm=psm)
        if psm in (AUTO_LAYOUT, SPARSE_TEXT):
            for name, value in PAGE_VARIABLES.items():
                api.SetVariable(name, value)
        _APIS[key] = api
    return api


def preload(languages: str) -> None:
    """Load the models every scanned page uses now: English for the page read and `languages` for
    re-reading doubtful numbers (the worker's fork server does, so job children start with them)."""
    if not tesserocr_available():
        return
    if installed_subset("eng"):
        _api("eng", AUTO_LAYOUT)
    wanted = installed_subset(languages)
    if wanted:
        _api(wanted, SINGLE_LINE)


def _set_image(api: Any, image: GrayImage) -> None:
    data = np.ascontiguousarray(image)
    height, width = data.shape[:2]
    api.SetImageBytes(data.tobytes(), width, height, 1, width)
    api.SetSourceResolution(300)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _encode(image: GrayImage) -> bytes:
    ok, buf = cv2.imencode(".pgm", image)
    if not ok:
        raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "The page image could not be encoded for OCR.")
    return bytes(buf.tobytes())


def _timed_out(timeout: float | None) -> DocumentError:
    return DocumentError(ErrorCode.TIMEOUT, f"OCR of a page took longer than {timeout or 0:.0f} s.")


def better_reading(old: str, old_conf: float, new: str, new_conf: float) -> bool:
    """Whether a doubtful number's single-word re-read should replace the page read's text.

    The re-read must be surer, one word, and still a number: a number never becomes letters
    ("972.64" -> "ores" is a worse guess, however sure of itself). A reading that only adds marks
    around the old one took a speck the page read left out, unless the mark is the sign of an
    amount: the page read often loses a thin minus ("(23-07-2025" is a speck beside a date). A
    well-formed amount is only ever replaced by another one: on generated scans the re-read turned
    "312.95" into "31295", "6,222.80" into "6,222.8" and "9291.60" into "9,291,600", each surer of
    itself than the page read.
    """
    if not new or " " in new or new_conf <= old_conf or not any(c.isdigit() for c in new):
        return False
    if is_amount(old) and not is_amount(new):
        return False
    extra = new.replace(old, "", 1) if old in new else ""
    return not extra or (not extra.strip("-+()−") and is_amount(new))


class TesseractEngine(OcrEngine):
    name = "tesseract"
    reads_light_on_dark = False  # a header's `Date` at its dark band's edge was never read

    def __init__(
        self,
        languages: str = "eng",
        max_memory_mb: int = 0,
        psm: int = AUTO_LAYOUT,
        bands: int = 1,
        backend: Backend = "auto",
    ) -> None:
        self.languages = installed_subset(languages) or "eng"
        self.max_memory_mb = max_memory_mb
        self.psm = psm
        self.bands = bands
        if backend == "auto":
            backend = "api" if tesserocr_available() else "cli"
        elif backend == "api" and not tesserocr_available():
            backend = "cli"
        self.backend: Backend = backend

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
            raise _timed_out(timeout) from None
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace")
            if "alloc" in err.lower() or proc.returncode in (-9, -6, 134, 137):
                raise DocumentError(ErrorCode.LIMIT_EXCEEDED, "OCR of a page ran out of memory.")
            raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "OCR failed on a page image.", details=err[-500:])
        return proc.stdout.decode("utf-8", "replace")

    def _tsv_api(self, image: GrayImage, spans: list[tuple[int, int]], timeout: float | None) -> str:
        """TSV rows of every band as the CLI would print them (band n is page n)."""
        api = _api(self.languages, self.psm)
        started = time.monotonic()
        parts: list[str] = []
        for n, (top, bottom) in enumerate(spans):
            _set_image(api, image[top:bottom])
            left = None if timeout is None else timeout - (time.monotonic() - started)
            if left is not None and left <= 0:
                raise _timed_out(timeout)
            if not api.Recognize(timeout=0 if left is None else max(1, int(left * 1000))):
                api.Clear()
                if timeout is not None and time.monotonic() - started >= 0.9 * timeout:
                    raise _timed_out(timeout)
                raise DocumentError(ErrorCode.CORRUPT_DOCUMENT, "OCR failed on a page image.")
            parts.append(api.GetTSVText(n))
        api.Clear()
        return "".join(parts)

    def recognize(self, image: GrayImage, timeout: float | None = None) -> list[Word]:
        spans = band_spans(image, self.bands)
        if self.backend == "api":
            out = self._tsv_api(image, spans, timeout)
        else:
            data = tiff_frames(image, spans) if len(spans) > 1 else _encode(image)
            options = [arg for item in PAGE_VARIABLES.items() for arg in ("-c", "=".join(item))]
            out = self._run(["-l", self.languages, "--psm", str(self.psm), *options, "tsv"], data, timeout)
        height, width = image.shape[:2]
        words: list[Word] = []
        reader = csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE)
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

    def recheck(self, image: GrayImage, words: list[Word], languages: str) -> list[Word]:
        """Numbers read with little confidence, read again on their own with `languages` (in-process).

        On its own (one text line, --psm 7) and with every configured language a doubtful word often
        reads right where the page read missed: "1375339" (0.33) -> "1,375.39", "2D" -> "25" on a
        scanned invoice. The more confident single-word reading wins; the box stays. A few ms a word,
        and only a few words a page are doubtful.
        """
        if self.backend != "api" or not words:
            return words
        height, width = image.shape[:2]
        langs = installed_subset(languages) or self.languages
        out: list[Word] = []
        for w in words:
            if w.confidence >= RECHECK_BELOW or not any(c.isdigit() for c in w.text):
                out.append(w)
                continue
            x0, y0, x1, y1 = pixel_corners(w, width, height)
            if y1 - y0 < 8 or x1 - x0 < 4:
                out.append(w)
                continue
            # the word's own columns (a ruling or a speck beside it must not join the word) with room
            # above and below for accents and a comma's tail, set on white paper
            margin = max(4, (y1 - y0) // 2)
            pad = max(2, (y1 - y0) // 3)
            crop = np.asarray(
                cv2.copyMakeBorder(
                    image[max(0, y0 - pad) : y1 + pad, max(0, x0 - 2) : x1 + 2],
                    margin,
                    margin,
                    margin,
                    margin,
                    cv2.BORDER_CONSTANT,
                    value=255,
                ),
                dtype=np.uint8,
            )
            api = _api(langs, SINGLE_LINE)  # loaded on the first doubtful word only
            _set_image(api, crop)
            api.Recognize()
            text = api.GetUTF8Text().strip()
            conf = api.MeanTextConf() / 100.0
            api.Clear()
            if better_reading(w.text, w.confidence, text, conf):
                out.append(Word(text, w.bbox, conf, w.source))
            else:
                out.append(w)
        return out

    def orientation(self, image: GrayImage, timeout: float | None = None) -> tuple[int, float]:
        """(clockwise degrees to rotate the image so text is upright, confidence) from OSD (--psm 0)."""
        if self.backend == "api":
            api = _api("osd", 0)
            _set_image(api, image)
            found = api.DetectOrientationScript()
            api.Clear()
            if not found:
                return 0, 0.0
            # orient_deg is how far the page is turned clockwise; undoing it is the rest of a full turn
            return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])
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
