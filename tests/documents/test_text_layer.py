"""PDF text layer: words with boxes, reading order, rotation, normalisation, hidden text, passwords."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document, probe
from ledgerlens.documents.pdf import embedded_files, first_pages_text
from ledgerlens.errors import DocumentError, ErrorCode
from ledgerlens.layout.lines import group_lines
from tests.documents.pdfs import (
    STATEMENT_ROWS,
    garble_tounicode,
    lines,
    make_pdf,
    register_dejavu,
    statement_pdf,
    with_rotation,
)

SETTINGS = Settings(page_workers=1)


def test_words_boxes_and_reading_order() -> None:
    doc = load_document(statement_pdf(), settings=SETTINGS)
    page = doc.pages[0]
    assert page.source == "text_layer"
    assert (page.width, page.height) == (420.0, 300.0)
    rows = [line.text for line in group_lines(page)]
    assert rows == [
        "Northwind Bank Statement",
        "Date Description Amount",
        "03/01/2025 Coffee Roasters 1,234.56",
        "04/01/2025 Rent January -850.00",
        "05/01/2025 Salary Payment 3,210.75",
    ]
    # words come in reading order already: top to bottom, left to right
    assert page.text.startswith("Northwind Bank Statement Date Description Amount 03/01/2025 Coffee")
    amount = next(w for w in page.words if w.text == "1,234.56")
    x0, y0, x1, y1 = amount.bbox
    assert abs(x0 - 330 / 420) < 0.01
    assert y0 < 110 / 300 < y1 + 0.01
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1


def test_columns_without_spaces_split_into_words() -> None:
    """Text placed column by column in one text object (no space chars) must not merge into one word."""

    def draw(c: Canvas) -> None:
        t = c.beginText(30, 200)
        t.setFont("Helvetica", 12)
        t.textOut("Groceries")
        t.moveCursor(120, 0)
        t.textOut("42.10")
        t.moveCursor(80, 0)
        t.textOut("1,042.10")
        c.drawText(t)

    page = load_document(make_pdf(draw), settings=SETTINGS).pages[0]
    assert [w.text for w in page.words] == ["Groceries", "42.10", "1,042.10"]


def _ink_inside(data: bytes, bbox: tuple[float, float, float, float]) -> float:
    pdf = pdfium.PdfDocument(data)
    arr = pdf[0].render(scale=2, grayscale=True).to_numpy()
    pdf.close()
    h, w = arr.shape[:2]
    x0, y0, x1, y1 = bbox
    crop = arr[int(y0 * h) : int(y1 * h) + 1, int(x0 * w) : int(x1 * w) + 1]
    return float((np.asarray(crop) < 128).mean()) if crop.size else 0.0


def test_rotated_page_is_made_upright() -> None:
    """Text drawn sideways on a page with /Rotate 90 reads left to right once the page is displayed."""

    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 14)
        for i, text in enumerate(["Invoice Total 99.50", "Second line here"]):
            c.saveState()
            c.translate(60 + 30 * i, 40)
            c.rotate(90)
            c.drawString(0, 0, text)
            c.restoreState()

    data = with_rotation(make_pdf(draw, size=(300.0, 420.0)), 90)
    page = load_document(data, settings=SETTINGS).pages[0]
    assert page.rotation == 90
    assert (page.width, page.height) == (420.0, 300.0)
    assert [line.text for line in group_lines(page)] == ["Invoice Total 99.50", "Second line here"]
    for word in page.words:
        assert (word.x1 - word.x0) * page.width > (word.y1 - word.y0) * page.height  # horizontal
        assert _ink_inside(data, word.bbox) > 0.05  # the box sits on the rendered glyphs


def test_ligatures_and_compatibility_forms_normalised() -> None:
    font = register_dejavu()
    doc = load_document(make_pdf(lines((30, 50, "ﬁnal ﬂat oﬀer fee 12.50"), font=font)), settings=SETTINGS)
    assert [w.text for w in doc.pages[0].words] == ["final", "flat", "offer", "fee", "12.50"]


def test_hidden_text_is_not_content() -> None:
    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 12)
        c.drawString(30, 250, "Visible balance 100.00")
        c.setFillColorRGB(1, 1, 1)
        c.drawString(30, 220, "WHITE 999.99")
        c.setFillColorRGB(0, 0, 0)
        c.saveState()
        t = c.beginText(30, 190)
        t.setTextRenderMode(3)
        t.textLine("INVISIBLE 555.55")
        c.drawText(t)
        c.restoreState()
        c.drawString(-300, 150, "OFFPAGE 777.77")
        c.drawString(30, 160, "Visible footer line")

    page = load_document(make_pdf(draw), settings=SETTINGS).pages[0]
    assert page.text == "Visible balance 100.00 Visible footer line"


def test_white_text_on_a_dark_banner_or_image_is_content() -> None:
    """White on a filled dark shape or on a picture is how letterheads print headings; white on the
    bare page is hidden. (A stroked outline under white text hides nothing: it is not a fill.)"""
    from reportlab.lib.utils import ImageReader

    photo = Image.new("RGB", (40, 10), (20, 40, 90))

    def draw(c: Canvas) -> None:
        c.setFillColorRGB(0.1, 0.2, 0.5)
        c.rect(20, 240, 300, 30, stroke=0, fill=1)  # the banner
        c.setStrokeColorRGB(0, 0, 0)
        c.rect(20, 120, 300, 30, stroke=1, fill=0)  # an empty box
        c.drawImage(ImageReader(photo), 20, 180, width=300, height=30)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(30, 250, "BANNER Statement")
        c.drawString(30, 190, "PHOTO Caption")
        c.drawString(30, 130, "BOXED 999.99")
        c.drawString(30, 60, "HIDDEN 555.55")
        c.setFillColorRGB(0, 0, 0)
        c.drawString(30, 30, "Visible footer")

    page = load_document(make_pdf(draw), settings=SETTINGS).pages[0]
    assert page.text == "BANNER Statement PHOTO Caption Visible footer"


def test_invisible_ocr_layer_over_image_is_used_when_good() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (840, 600), 255)
    ImageDraw.Draw(img).text((60, 80), "Scanned 12.00", fill=0)
    img_buf = io.BytesIO()
    img.save(img_buf, format="PNG")

    def draw(c: Canvas) -> None:
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(io.BytesIO(img_buf.getvalue())), 0, 0, 420, 300)
        t = c.beginText(30, 250)
        t.setTextRenderMode(3)
        t.setFont("Helvetica", 12)
        t.textLine("Opening balance 1,500.00 on 01/02/2025 for account holder Jane Smith")
        c.drawText(t)

    page = load_document(make_pdf(draw), settings=SETTINGS).pages[0]
    assert page.source == "text_layer"
    assert "1,500.00" in page.text


def test_encrypted_pdfs() -> None:
    data = make_pdf(lines(*STATEMENT_ROWS), encrypt=StandardEncryption("s3cret", "owner", strength=128))
    info = probe(data, SETTINGS)
    assert info.encrypted and info.page_count is None
    with pytest.raises(DocumentError) as missing:
        load_document(data, settings=SETTINGS)
    assert missing.value.code == ErrorCode.PASSWORD_REQUIRED
    with pytest.raises(DocumentError) as wrong:
        load_document(data, password="nope", settings=SETTINGS)
    assert wrong.value.code == ErrorCode.PASSWORD_REQUIRED
    assert "wrong" in wrong.value.message
    doc = load_document(data, password="s3cret", settings=SETTINGS)
    assert "1,234.56" in doc.text and doc.metadata["encrypted"] is True


def test_empty_user_password_opens_transparently() -> None:
    data = make_pdf(lines(*STATEMENT_ROWS), encrypt=StandardEncryption("", "owner-only", strength=128))
    info = probe(data, SETTINGS)
    assert info.page_count == 1
    assert "3,210.75" in load_document(data, settings=SETTINGS).text
    assert "Northwind" in first_pages_text(data)


def test_first_pages_text_is_cheap_and_safe() -> None:
    two = make_pdf(
        lines((30, 40, "Page one text")), lines((30, 40, "Page two")), lines((30, 40, "Page three"))
    )
    text = first_pages_text(two)
    assert "Page one text" in text and "Page two" in text and "Page three" not in text
    assert first_pages_text(b"not a pdf at all") == ""


def test_embedded_files_listed() -> None:
    data = statement_pdf()
    pdf = pdfium.PdfDocument(data)
    import ctypes

    import pypdfium2.raw as pdfium_c

    name = ctypes.create_string_buffer("factur-x.xml\0".encode("utf-16-le"))
    att = pdfium_c.FPDFDoc_AddAttachment(pdf.raw, ctypes.cast(name, pdfium_c.FPDF_WIDESTRING))
    payload = b"<?xml version='1.0'?><rsm:CrossIndustryInvoice/>"
    pdfium_c.FPDFAttachment_SetFile(att, pdf.raw, payload, len(payload))
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    assert embedded_files(out.getvalue()) == [("factur-x.xml", payload)]
    assert embedded_files(data) == []


def test_progress_reported_per_page() -> None:
    data = make_pdf(*(lines((30, 40, f"Page {i} amount {i}.00")) for i in range(5)))
    seen: list[tuple[int, int]] = []
    doc = load_document(data, settings=SETTINGS, progress=lambda d, n: seen.append((d, n)))
    assert len(doc.pages) == 5
    assert seen == [(i, 5) for i in range(1, 6)]


def test_corpus_statement_text_layer(corpus_dir: object) -> None:
    from pathlib import Path

    assert isinstance(corpus_dir, Path)
    data = (corpus_dir / "statements" / "transtractor-test1.pdf").read_bytes()
    doc = load_document(data, settings=SETTINGS)
    assert len(doc.pages) == 3 and all(p.source == "text_layer" for p in doc.pages)
    rows = [line.text for line in group_lines(doc.pages[0])]
    assert "Opening balance: $50,000.00 CR" in rows
    assert any(r.startswith("Transaction 4 1,350.00 90,350 CR") for r in rows)


def _dejavu_statement() -> bytes:
    """A German statement page set in an embedded TrueType font (which carries a ToUnicode map)."""
    font = register_dejavu()
    buf = io.BytesIO()
    c = Canvas(buf)
    y = 780.0
    for line in (
        "Kontoauszug Nr. 3 Postbank",
        "Kontoinhaber: Max Mustermann",
        "Datum Verwendungszweck Betrag Saldo",
        "02.03.2025 Gehalt Firma Beispiel GmbH 2.500,00 3.500,00",
        "05.03.2025 Miete Wohnung Hauptstrasse -950,00 2.550,00",
        "09.03.2025 Lastschrift Stadtwerke Strom -64,12 2.485,88",
        "15.03.2025 Kartenzahlung Supermarkt und Drogerie -43,21 2.442,67",
    ):
        c.setFont(font, 11)
        c.drawString(60, y, line)
        y -= 22
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.slow
def test_a_text_layer_that_reads_as_a_cipher_is_ocrd() -> None:
    clean = load_document(_dejavu_statement()).pages[0]
    assert clean.source == "text_layer" and "Kontoauszug" in clean.text
    garbled = garble_tounicode(_dejavu_statement())
    layer = pdfium.PdfDocument(garbled)[0].get_textpage().get_text_range()
    assert "Kontoauszug" not in layer and "Mustermann" not in layer  # the cipher is real
    page = load_document(garbled).pages[0]
    assert page.source in ("tesseract", "rapidocr")
    assert "Kontoauszug" in page.text and "Mustermann" in page.text and "2.485,88" in page.text
