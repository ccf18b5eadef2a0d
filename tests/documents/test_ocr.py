"""Scans and photos: degraded renders of a known page must OCR back to the same amounts and text."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document
from ledgerlens.documents.model import Document
from ledgerlens.documents.ocr import available_engines
from ledgerlens.documents.ocr.tesseract import tesseract_binary, tesserocr_available
from ledgerlens.errors import DocumentError, ErrorCode
from ledgerlens.layout.lines import group_lines
from tests.documents.pdfs import STATEMENT_TOKENS, lines, make_pdf, statement_pdf
from tests.gen.scan import degrade, image_bytes, image_to_pdf, multipage_tiff, render_pdf_page

pytestmark = pytest.mark.skipif("tesseract" not in available_engines(), reason="Tesseract not installed")

SETTINGS = Settings(page_workers=1, ocr_engine="tesseract")


@lru_cache(maxsize=1)
def _clean_scan() -> Image.Image:
    return render_pdf_page(statement_pdf(), 0, dpi=300)


def _scan(**kw: object) -> Image.Image:
    return degrade(_clean_scan(), seed=7, **kw)  # type: ignore[arg-type]


def _assert_statement(doc: Document, engine: str = "tesseract") -> None:
    page = doc.pages[0]
    assert page.source == engine
    words = {w.text for w in page.words}
    missing = [t for t in STATEMENT_TOKENS if t not in words]
    assert not missing, f"missing {missing} in {page.text!r}"
    rows = [line.text for line in group_lines(page)]
    assert any("Coffee Roasters 1,234.56" in r for r in rows), rows
    for w in page.words:
        assert 0 <= w.x0 <= w.x1 <= 1 and 0 <= w.y0 <= w.y1 <= 1
        assert 0 <= w.confidence <= 1


def test_exif_orientation_turns_a_phone_jpeg_before_ocr() -> None:
    """A camera stores the pixels sideways and says so in EXIF; the page is read as a viewer shows it."""
    upright = _scan(noise=3.0, jpeg_quality=85)
    stored = upright.rotate(90, expand=True)  # pixels turned 90° left
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to display
    buf = io.BytesIO()
    stored.convert("RGB").save(buf, "JPEG", quality=85, exif=exif)
    doc = load_document(buf.getvalue(), settings=SETTINGS)
    _assert_statement(doc)
    page = doc.pages[0]
    assert page.rotation == 0  # EXIF did the turn: OCR never saw the page sideways
    assert page.width / page.height == pytest.approx(upright.width / upright.height, rel=0.01)


def test_skewed_noisy_jpeg() -> None:
    img = _scan(noise=10.0, blur=0.8, skew_deg=2.0, jpeg_quality=60)
    doc = load_document(image_bytes(img, "JPEG", quality=60), settings=SETTINGS)
    _assert_statement(doc)
    assert doc.metadata["format"] == "jpeg"


@pytest.mark.parametrize(("rotate", "fmt"), [(90, "PNG"), (180, "WEBP")])
def test_sideways_and_upside_down_pages(rotate: int, fmt: str) -> None:
    img = _scan(noise=4.0, blur=0.4, skew_deg=0.5, jpeg_quality=85, rotate=rotate)
    doc = load_document(image_bytes(img, fmt, quality=90), settings=SETTINGS)
    _assert_statement(doc)
    assert doc.pages[0].rotation in (90, 180, 270)
    assert doc.pages[0].width > doc.pages[0].height  # the landscape page is upright again


def test_png_renamed_pdf_is_read_as_png() -> None:
    data = image_bytes(_scan(noise=2.0, skew_deg=0.0, jpeg_quality=None), "PNG")
    doc = load_document(data, settings=SETTINGS)  # the name a client gave it never matters
    assert doc.metadata["format"] == "png"
    _assert_statement(doc)


def test_tiny_photo_is_upscaled() -> None:
    small = _clean_scan().resize((700, 500), Image.Resampling.LANCZOS)
    doc = load_document(image_bytes(small, "JPEG", quality=92), settings=SETTINGS)
    assert {"1,234.56", "3,210.75"} <= {w.text for w in doc.pages[0].words}


def test_multipage_tiff_in_parallel_workers_with_progress() -> None:
    """Page 1 in-process (it picks the languages), pages 2-3 in two worker processes."""
    second = render_pdf_page(make_pdf(lines((30, 60, "Closing balance 4,321.09"))), 0, dpi=300)
    third = render_pdf_page(make_pdf(lines((30, 60, "Überweisung Gebühr 12,50"))), 0, dpi=300)
    frames = [_scan(noise=3.0, skew_deg=0.0), degrade(second, seed=3, skew_deg=0.0), third]
    seen: list[tuple[int, int]] = []
    doc = load_document(
        multipage_tiff(frames),
        settings=Settings(page_workers=2, ocr_engine="tesseract"),
        progress=lambda d, n: seen.append((d, n)),
    )
    assert [p.number for p in doc.pages] == [1, 2, 3]
    _assert_statement(doc)
    assert "4,321.09" in doc.pages[1].text.split()
    assert "12,50" in doc.pages[2].text.split()
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_page_pool_started_early_is_killed_when_page_one_fails() -> None:
    """The workers start while page 1 is read in-process; page 1 running out of time ends the
    document with TIMEOUT and leaves no worker process behind."""
    import multiprocessing
    import time

    frames = [_scan(noise=3.0, skew_deg=0.0)] * 3
    settings = Settings(page_workers=2, ocr_engine="tesseract", page_timeout_seconds=0.05)
    with pytest.raises(DocumentError) as info:
        load_document(multipage_tiff(frames), settings=settings)
    assert info.value.code == ErrorCode.TIMEOUT
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []


def test_languages_narrowed_from_first_page() -> None:
    from ledgerlens.documents.model import Word
    from ledgerlens.documents.ocr.langs import detect_languages

    def words(text: str) -> list[Word]:
        return [Word(t, (0, 0, 0.1, 0.1)) for t in (text + " filler").split() * 4]

    all6 = "eng+deu+fra+spa+nld+ita"
    english = words("Date Description Amount Balance Opening balance Total Page 1 of 2 Salary Rent")
    assert detect_languages(english, all6) == "eng"
    german = words("Datum Buchung Betrag Überweisung Gebühr Kontostand und der Seite")
    assert detect_languages(german, all6).startswith("eng+deu")
    french = words("Relevé de compte Date Opération Débit Crédit Solde Virement reçu prélèvement et en")
    assert detect_languages(french, all6) == "eng+fra"  # "de" and "en" alone do not make it Dutch
    belgian = words("Relevé de compte Débit Crédit Solde rekening omschrijving bedrag af bij saldo")
    assert detect_languages(belgian, all6) == "eng+fra+nld"
    assert detect_languages(english[:5], all6) == all6  # too little to judge
    assert detect_languages(english, "deu") == "deu"


ALL_LANGUAGES = Settings(page_workers=1, ocr_engine="tesseract", ocr_languages="eng+deu+fra+spa+nld+ita")


def _page_scan(rows: list[str], rotate: int = 0) -> bytes:
    pdf = make_pdf(lines(*((30, 50 + 22 * i, text) for i, text in enumerate(rows)), size=11))
    img = degrade(
        render_pdf_page(pdf, 0, dpi=300), seed=5, noise=3.0, skew_deg=0.0, jpeg_quality=90, rotate=rotate
    )
    return image_bytes(img, "PNG")


GERMAN_ROWS = [
    "Kontoauszug Nr. 3 vom 31.03.2025 der Sparkasse Mainufer",
    "Datum Buchung Verwendungszweck Betrag",
    "03.03.2025 Überweisung Miete für März und Nebenkosten -850,00",
    "05.03.2025 Lastschrift Gebühr für die Kontoführung -12,50",
    "12.03.2025 Gutschrift Gehalt von der Müller GmbH 3.210,75",
    "20.03.2025 Überweisung an Bäckerei Schön zum Monatsende -45,90",
    "Neuer Kontostand zum 31.03.2025 in Euro 2.302,35",
]


ENGLISH_ROWS = [
    "Statement of account number 4410 for March 2025",
    "Date Description Amount Balance",
    "03/03/2025 Rent for March paid to the landlord -850.00",
    "05/03/2025 Monthly account fee for the current account -12.50",
    "12/03/2025 Salary payment from the employer 3,210.75",
    "20/03/2025 Card payment at the corner bakery -45.90",
    "Closing balance on 31/03/2025 in pounds 2,302.35",
]


def test_english_page_is_read_with_english_alone() -> None:
    rows = ENGLISH_ROWS
    doc = load_document(_page_scan(rows), settings=ALL_LANGUAGES)
    assert doc.metadata["ocr_languages"] == "eng"
    assert {"Salary", "3,210.75", "-850.00", "2,302.35"} <= set(doc.pages[0].text.split())
    short = load_document(_page_scan(rows[:2]), settings=ALL_LANGUAGES)
    assert short.metadata["ocr_languages"] == ALL_LANGUAGES.ocr_languages  # too few words to tell


def test_german_page_is_read_again_with_german() -> None:
    """The English-only first read shows German words, so the page is re-read with German: umlauts kept."""
    doc = load_document(_page_scan(GERMAN_ROWS), settings=ALL_LANGUAGES)
    assert "deu" in doc.metadata["ocr_languages"].split("+")
    words = set(doc.pages[0].text.split())
    assert {"Überweisung", "Gebühr", "Müller", "3.210,75", "-850,00"} <= words, doc.pages[0].text


def test_german_page_second_read_leaves_settled_numbers_once() -> None:
    """The German read is of the page with the surely read numbers painted out: each date and amount
    comes back exactly once, and no two words share a place."""
    doc = load_document(_page_scan(GERMAN_ROWS), settings=ALL_LANGUAGES)
    texts = doc.pages[0].text.split()
    for value in ("03.03.2025", "05.03.2025", "-850,00", "-12,50", "3.210,75", "-45,90", "2.302,35"):
        assert texts.count(value) == 1, (value, doc.pages[0].text)
    boxes = [w.bbox for w in doc.pages[0].words]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_w = min(a[2], b[2]) - max(a[0], b[0])
            overlap_h = min(a[3], b[3]) - max(a[1], b[1])
            area = (a[2] - a[0]) * (a[3] - a[1])
            assert overlap_w <= 0 or overlap_h <= 0 or overlap_w * overlap_h < 0.2 * area


def test_settled_numbers_are_the_sure_ones_away_from_doubtful_fragments() -> None:
    from ledgerlens.documents.model import Word
    from ledgerlens.documents.ocr import _settled_numbers

    def word(text: str, x0: float, conf: float, y0: float = 0.1) -> Word:
        return Word(text, (x0, y0, x0 + 0.05, y0 + 0.01), conf, "tesseract")

    row = [
        word("Miete", 0.10, 0.95),
        word("03.03.2025", 0.20, 0.96),  # a text height = 0.01 page; 0.05 apart: far
        word("4.841", 0.50, 0.95),
        word("36", 0.551, 0.10),  # English cut "4.841,36" in two: both are read again
        word("1.234", 0.605, 0.93),  # right next to the pair: read again with it
        word("-850,00", 0.80, 0.97),
        word("12,50", 0.80, 0.40, y0=0.2),  # a number read unsurely
        word("€", 0.90, 0.99, y0=0.2),
    ]
    settled = _settled_numbers(row, 1000, 1000)
    assert [w.text for w in settled] == ["03.03.2025", "-850,00", "€"]
    assert _settled_numbers([], 1000, 1000) == []
    specks = [word(f"{i % 10}", (i % 100) / 100, 0.99, y0=(i // 100) / 20) for i in range(2000)]
    assert _settled_numbers(specks, 1000, 1000) == []  # a page of noise is read again whole


def test_sideways_german_page_languages_chosen_once_upright() -> None:
    doc = load_document(_page_scan(GERMAN_ROWS, rotate=90), settings=ALL_LANGUAGES)
    assert doc.pages[0].rotation in (90, 270)
    assert "deu" in doc.metadata["ocr_languages"].split("+")
    assert {"Überweisung", "Gebühr", "3.210,75"} <= set(doc.pages[0].text.split()), doc.pages[0].text


def test_mixed_digital_and_scanned_pdf() -> None:
    digital = make_pdf(lines((30, 60, "Digital page total 77.25")))
    scanned = image_to_pdf([_scan(noise=4.0, skew_deg=1.0)], dpi=300)
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument(digital)
    merged.import_pages(pdfium.PdfDocument(scanned))
    buf = io.BytesIO()
    merged.save(buf)
    doc = load_document(buf.getvalue(), settings=SETTINGS)
    assert [p.source for p in doc.pages] == ["text_layer", "tesseract"]
    assert doc.pages[0].text == "Digital page total 77.25"
    assert doc.metadata["ocr_pages"] == 1
    _assert_statement(Document([doc.pages[1]]))


def test_garbage_invisible_layer_is_replaced_by_ocr() -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    png = image_bytes(_scan(noise=2.0, skew_deg=0.0, jpeg_quality=None), "PNG")

    def draw(c: Canvas) -> None:
        c.drawImage(ImageReader(io.BytesIO(png)), 0, 0, 420, 300)
        t = c.beginText(30, 250)
        t.setTextRenderMode(3)
        t.setFont("Helvetica", 12)
        t.textLine("~~| ;;# %%^^ @@!! ]]}{ ^^~~ |||| ##@@ !!** {{]] ~~;; ^^%%")
        c.drawText(t)

    doc = load_document(make_pdf(draw), settings=SETTINGS)
    _assert_statement(doc)


@pytest.mark.parametrize("backend", ["api", "cli"])
def test_page_timeout(backend: str) -> None:
    img = _scan(noise=2.0, skew_deg=0.0)
    settings = Settings(page_timeout_seconds=0.05, page_workers=1, tesseract_backend=backend)  # type: ignore[arg-type]
    with pytest.raises(DocumentError) as info:
        load_document(image_bytes(img, "PNG"), settings=settings)
    assert info.value.code == ErrorCode.TIMEOUT


@pytest.mark.skipif(
    not tesserocr_available() or tesseract_binary() is None, reason="needs tesserocr and the CLI"
)
@pytest.mark.parametrize("rotate", [0, 90])
def test_in_process_and_cli_backends_read_the_same_page(rotate: int) -> None:
    """tesserocr (its own libtesseract) and the system CLI: same words, same boxes, same turn."""
    data = image_bytes(_scan(noise=4.0, blur=0.4, skew_deg=1.0, jpeg_quality=80, rotate=rotate), "JPEG")
    pages = {}
    for backend in ("api", "cli"):
        settings = Settings(page_workers=1, tesseract_backend=backend)  # type: ignore[arg-type]
        doc = load_document(data, settings=settings)
        _assert_statement(doc)
        pages[backend] = doc.pages[0]
    api, cli = pages["api"], pages["cli"]
    assert api.rotation == cli.rotation == (rotate or api.rotation)
    assert api.width == pytest.approx(cli.width) and api.height == pytest.approx(cli.height)
    amounts_api = {(w.text, round(w.x0, 2), round(w.y0, 2)) for w in api.words if "," in w.text}
    amounts_cli = {(w.text, round(w.x0, 2), round(w.y0, 2)) for w in cli.words if "," in w.text}
    assert len(amounts_api & amounts_cli) >= 0.8 * max(len(amounts_api), len(amounts_cli))


def test_english_page_costs_one_english_read() -> None:
    """Six languages configured, an English page: read once, with English alone (no second pass)."""
    from ledgerlens.documents.ocr import tesseract as tess

    calls: list[str] = []
    original = tess.TesseractEngine.recognize

    def counting(self: tess.TesseractEngine, image: object, timeout: float | None = None) -> object:
        calls.append(self.languages)
        return original(self, image, timeout)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tess.TesseractEngine, "recognize", counting)
        doc = load_document(_page_scan(ENGLISH_ROWS), settings=ALL_LANGUAGES)
    assert {"Salary", "3,210.75", "-850.00", "2,302.35"} <= set(doc.pages[0].text.split())
    assert calls == ["eng"]
    assert doc.metadata["ocr_languages"] == "eng"


@pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed")
def test_rapidocr_engine_words_and_amounts() -> None:
    img = _scan(noise=4.0, blur=0.5, skew_deg=1.0, jpeg_quality=75)
    doc = load_document(image_bytes(img, "JPEG"), settings=Settings(page_workers=1, ocr_engine="rapidocr"))
    _assert_statement(doc, engine="rapidocr")


@pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed")
def test_rapidocr_detector_keeps_its_memory_and_lines_are_read_unpadded() -> None:
    """The settings behind RapidOCR's speed (README `ingestion`) are in force on the loaded engine."""
    from ledgerlens.documents.ocr import rapid

    engine = rapid._get_engine()
    assert engine.text_det.infer.session.get_session_options().enable_cpu_mem_arena
    assert engine.text_rec.rec_batch_num == 1
    assert engine.text_rec.rec_image_shape == [3, 48, 48]


def _ink_line(width: int, runs: list[tuple[int, int]]) -> np.ndarray:
    """A 40 px tall text line: each (x0, x1) run is a word of letter strokes 1 px apart, rows 10-30."""
    image = np.full((40, width), 255, dtype=np.uint8)
    for x0, x1 in runs:
        for x in range(x0, x1, 4):
            image[10:30, x : x + 3] = 0
    return image


def _quad(x0: float, x1: float) -> list[list[float]]:
    """A box on that line, as RapidOCR gives boxes (four corners)."""
    return [[x0, 10.0], [x1, 10.0], [x1, 30.0], [x0, 30.0]]


def test_rapidocr_line_with_a_read_space_still_splits_at_ink_gaps() -> None:
    """RapidOCR returns a space it did read as a char of its own, with a box; the words of the line
    still come from the ink ("Transfer ToJACK" -> Transfer / To / JACK), not from its spacing alone."""
    from ledgerlens.documents.ocr.rapid import RapidOcrEngine

    runs = {"Transfer": (10, 100), "To": (115, 140), "JACK": (155, 215)}  # ink gaps of 15 px
    image = _ink_line(300, list(runs.values()))
    chars: list[str] = []
    boxes: list[list[list[float]]] = []
    for word, (x0, x1) in runs.items():
        step = (x1 - x0) / len(word)
        chars += list(word)
        boxes += [_quad(x0 + k * step, x0 + (k + 1) * step) for k in range(len(word))]
        if word == "Transfer":
            chars.append(" ")
            boxes.append(_quad(101, 114))
    row = [_quad(8, 217), "Transfer ToJACK", 0.95, boxes, chars, [0.95] * len(chars)]
    words = RapidOcrEngine()._line_words(image, row, 300, 40)
    assert [w.text for w in words] == ["Transfer", "To", "JACK"]
    assert words[1].x0 == pytest.approx(115 / 300, abs=0.01)


def test_rapidocr_underscore_joins_across_an_ink_gap() -> None:
    """An underscore's stroke sits under the line's box, so the ink shows a gap beside it; the
    identifier stays one word ("BLR_WFLD2015")."""
    from ledgerlens.documents.ocr.rapid import RapidOcrEngine

    image = _ink_line(200, [(10, 55), (75, 170)])  # "BLR" and "WFLD2015"; the "_" left no ink here
    text = "BLR_WFLD2015"
    centres = [15, 30, 45, 65] + [80 + 12 * k for k in range(8)]
    boxes = [_quad(c - 5.0, c + 5.0) for c in centres]
    row = [_quad(8, 172), text, 0.9, boxes, list(text), [0.9] * 12]
    words = RapidOcrEngine()._line_words(image, row, 200, 40)
    assert [w.text for w in words] == ["BLR_WFLD2015"]


def test_glyphs_without_unicode_send_the_page_to_ocr() -> None:
    from tests.documents.pdfs import register_dejavu

    font = register_dejavu()
    pua = "".join(chr(0xE000 + i) for i in range(12))
    data = make_pdf(lines((30, 50, "Balance 1,234.56"), (30, 80, pua), (30, 110, pua[::-1]), font=font))
    page = load_document(data, settings=SETTINGS).pages[0]
    assert page.source == "tesseract"
    assert "1,234.56" in page.text.split()
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in page.text)


@pytest.mark.slow
@pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed")
def test_rapidocr_alone_turns_a_sideways_page(tmp_path: Path) -> None:
    """Without Tesseract (no OSD) the page is turned by trying quarter turns and keeping the best read."""
    img = _scan(noise=3.0, skew_deg=0.5, rotate=90)
    src = tmp_path / "sideways.png"
    src.write_bytes(image_bytes(img, "PNG"))
    code = (
        "import sys; sys.modules['tesserocr'] = None; "  # no tesserocr either
        "from ledgerlens.documents.loader import load_document; "
        "from ledgerlens.documents.ocr import available_engines; from ledgerlens.config import Settings; "
        "assert available_engines() == ['rapidocr'], available_engines(); "
        f"p = load_document(open({str(src)!r}, 'rb').read(), settings=Settings(page_workers=1)).pages[0]; "
        "print(p.source, p.rotation); print(p.text)"
    )
    env = {"PATH": "/nonexistent", "PYTHONPATH": os.pathsep.join(sys.path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    head, text = out.stdout.splitlines()[:2]
    assert head == "rapidocr 90"
    assert "Coffee Roasters 1,234.56" in text and "3,210.75" in text


def test_logo_read_as_letters_does_not_join_rows() -> None:
    """A logo OCR'd as a few unsure letters two rows tall is dropped; a tall heading word is kept."""
    from ledgerlens.documents.model import Page, Word
    from ledgerlens.documents.ocr import _drop_graphics

    def word(text: str, x0: float, y0: float, y1: float, conf: float = 0.95) -> Word:
        return Word(text, (x0, y0, x0 + 0.05, y1), conf, "tesseract")

    words = [
        word("fe", 0.06, 0.047, 0.085, conf=0.4),  # the logo
        word("SUMMIT", 0.12, 0.051, 0.068),  # big heading, sure
        word("May", 0.64, 0.05, 0.06),
        word("2023", 0.69, 0.05, 0.058),
        word("NATIONAL", 0.12, 0.073, 0.081),
        word("Account", 0.64, 0.065, 0.073),
        word("Number:", 0.69, 0.065, 0.073),
        word("|", 0.9, 0.02, 0.2, conf=0.3),  # a table ruling
    ]
    kept = _drop_graphics(words)
    assert [w.text for w in kept] == ["SUMMIT", "May", "2023", "NATIONAL", "Account", "Number:"]
    rows = [line.text for line in group_lines(Page(1, 600, 800, words=kept))]
    assert rows == ["SUMMIT May 2023", "Account Number:", "NATIONAL"]
    assert len(group_lines(Page(1, 600, 800, words=words))) == 1  # the logo glued all three together


def test_specks_glued_to_numbers_are_stripped() -> None:
    from ledgerlens.documents.model import Word
    from ledgerlens.documents.ocr import _strip_dirt

    texts = ["“8,64", "„05/26", "_05/26", "1,234.56”", "O'Connor", "'s", "“Quote”", "(12.50)", "-3.50",
             "788.80.", "2,366.80,", "1.234,", "12.", "Nr.",
             "01.10.", "31.12.", "38.50.", "11.08,", "‚01"]  # fmt: skip
    words = [Word(t, (0.1, 0.1, 0.2, 0.12), 0.9, "tesseract") for t in texts]
    assert [w.text for w in _strip_dirt(words)] == [
        "8,64", "05/26", "05/26", "1,234.56", "O'Connor", "'s", "“Quote”", "(12.50)", "-3.50",
        "788.80", "2,366.80", "1.234,", "12.", "Nr.", "01.10.", "31.12.", "38.50", "11.08", "01",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "old_conf", "new", "new_conf", "taken"),
    [
        ("1375339", 0.33, "1,375.39", 0.90, True),  # the separators the page read lost
        ("2D", 0.40, "25", 0.85, True),
        ("40.00", 0.50, "-40.00", 0.80, True),  # a thin minus the page read dropped
        ("972.64", 0.55, "ores", 0.91, False),  # a number never becomes letters
        ("782)", 0.30, "AEL", 0.60, False),
        ("8,64", 0.50, "'8,64", 0.90, False),  # a speck is not part of the number
        ("12,10", 0.60, "12,10 5", 0.95, False),  # two words for one box
        ("19.84", 0.65, "19.34", 0.60, False),  # less sure than the page read
        ("312.95", 0.50, "31295", 0.90, False),  # an amount keeps its decimal mark
        ("6,222.80", 0.50, "6,222.8", 0.90, False),  # ... and both decimals
        ("9291.60", 0.50, "9,291,600", 0.90, False),
        ("(172450)", 0.30, "(172.50)", 0.80, True),  # not yet an amount: may become one
        ("1,19,766.40)", 0.50, "1,19,766.40", 0.90, True),  # still an amount
        ("2'563.12", 0.50, "2'583.12", 0.90, True),
        ("23-07-2025", 0.50, "(23-07-2025", 0.90, False),  # a sign belongs to an amount only
    ],
)
def test_doubtful_number_reread_replaces_only_with_a_surer_number(
    old: str, old_conf: float, new: str, new_conf: float, taken: bool
) -> None:
    from ledgerlens.documents.ocr.tesseract import better_reading

    assert better_reading(old, old_conf, new, new_conf) is taken
