"""Bank statement, invoice or other: decided from the words on the first pages and their layout.

Vocabulary alone is fooled by a statement row that says "INVOICE 123" or an invoice that prints a
"Balance due", so the decision weighs title words heavily (the document names itself near the top),
adds the supporting vocabulary of each kind in EN/DE/FR/ES/NL/IT, and adds a layout cue: many rows
that start with a date and end with two amounts (amount + running balance) are a statement's
transaction table, while an items table with quantity and unit price belongs to an invoice.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from ledgerlens.config import Settings, get_settings
from ledgerlens.documents.limits import render_scale
from ledgerlens.documents.model import Document
from ledgerlens.layout.lines import group_lines

DocType = Literal["bank_statement", "invoice", "other"]

# Words a document uses to name itself (weighted most when near the top of page 1).
_STATEMENT_TITLES = [
    r"bank statement",
    r"account statement",
    r"statement of account",
    r"statement period",
    r"e-?statement",
    r"kontoauszug",
    r"kontoauszuge",
    r"rechnungsabschluss",
    r"releve de compte",
    r"releve bancaire",
    r"extrait de compte",
    r"releve d'identite bancaire",
    r"extracto bancario",
    r"extracto de cuenta",
    r"extracto",
    r"rekeningafschrift",
    r"afschrift",
    r"bankafschrift",
    r"rekeningoverzicht",
    r"estratto conto",
    r"estratto",
]
_INVOICE_TITLES = [
    r"invoices?",
    r"tax invoice",
    r"credit note",
    r"credit memo",
    r"bill of supply",
    r"receipt",
    r"rechnung",
    r"gutschrift",
    r"rechnungsnummer",
    r"rechnungsnr",
    r"facture",
    r"avoir",
    r"factura",
    r"nota de credito",
    r"factuur",
    r"creditnota",
    r"fattura",
    r"nota di credito",
    r"fatura",
    r"retail invoice",
    r"rechnungsbetrag",
    r"beitragsrechnung",
]
_STATEMENT_WORDS = [
    r"opening balance",
    r"closing balance",
    r"previous balance",
    r"new balance",
    r"balance brought forward",
    r"balance carried forward",
    r"brought forward",
    r"carried forward",
    r"available balance",
    r"running balance",
    r"account number",
    r"sort code",
    r"routing number",
    r"bsb",
    r"ifsc",
    r"withdrawals?",
    r"deposits?",
    r"debits?",
    r"credits?",
    r"alter saldo",
    r"neuer saldo",
    r"anfangssaldo",
    r"endsaldo",
    r"kontostand",
    r"kontonummer",
    r"buchungstag",
    r"wertstellung",
    r"valuta",
    r"soll",
    r"haben",
    r"ancien solde",
    r"nouveau solde",
    r"solde",
    r"date de valeur",
    r"operations?",
    r"debit",
    r"credit",
    r"saldo anterior",
    r"saldo final",
    r"saldo inicial",
    r"movimientos",
    r"cargo",
    r"abono",
    r"beginsaldo",
    r"eindsaldo",
    r"bij",
    r"af",
    r"saldo iniziale",
    r"saldo finale",
    r"movimenti",
    r"dare",
    r"avere",
    r"transactions?",
    r"period",
    r"balance",
]
_INVOICE_WORDS = [
    r"bill to",
    r"billed to",
    r"sold to",
    r"ship to",
    r"invoice date",
    r"invoice no",
    r"invoice number",
    r"due date",
    r"subtotal",
    r"sub-total",
    r"vat",
    r"gst",
    r"tax",
    r"qty",
    r"quantity",
    r"unit price",
    r"amount due",
    r"total due",
    r"payment terms",
    r"purchase order",
    r"po number",
    r"rechnungsdatum",
    r"zwischensumme",
    r"nettobetrag",
    r"mwst",
    r"ust",
    r"umsatzsteuer",
    r"menge",
    r"einzelpreis",
    r"gesamtbetrag",
    r"gesamtbeitrag",
    r"beitrag",
    r"versicherungsteuer",
    r"netto",
    r"zahlbar",
    r"lieferdatum",
    r"leistungsdatum",
    r"steuernummer",
    r"date de facture",
    r"total ht",
    r"total ttc",
    r"tva",
    r"quantite",
    r"prix unitaire",
    r"montant ht",
    r"fecha de factura",
    r"base imponible",
    r"iva",
    r"cantidad",
    r"precio unitario",
    r"importe",
    r"factuurdatum",
    r"btw",
    r"aantal",
    r"prijs",
    r"subtotaal",
    r"totaal",
    r"data fattura",
    r"imponibile",
    r"quantita",
    r"prezzo unitario",
    r"totale",
    r"netto",
    r"brutto",
]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _rx(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])")


_ST_TITLE = _rx(_STATEMENT_TITLES)
_INV_TITLE = _rx(_INVOICE_TITLES)
_ST_WORDS = _rx(_STATEMENT_WORDS)
_INV_WORDS = _rx(_INVOICE_WORDS)
_DATE_START = re.compile(
    r"^\s*(\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-z]{3,9}\.?(?:\s+\d{2,4})?"
    r"|[a-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"-?\(?[$€£₹]?\s?\d{1,3}(?:[.,' \u00a0]\d{3})*[.,]\d{2}\)?(?:\s?(?:cr|dr|-))?", re.IGNORECASE
)


def _layout_score(lines: list[str]) -> tuple[int, int]:
    """(statement-like rows, invoice-like rows) among text lines."""
    st = inv = 0
    for raw in lines:
        line = raw.strip()
        amounts = _AMOUNT.findall(line)
        if _DATE_START.match(line) and amounts:
            st += 1
        elif len(amounts) >= 2 and re.search(r"\s\d+(?:[.,]\d+)?\s", line) and not _DATE_START.match(line):
            inv += 1
    return st, inv


def classify_text(text: str, lines: list[str] | None = None) -> DocType:
    """Classify from plain text (first pages); `lines` are its lines when known (layout cue)."""
    folded = _fold(text)
    if len(re.findall(r"[a-z]{3,}", folded)) < 5:
        return "other"
    head = folded[:600]
    # A word repeated down a transaction list ("FACTURE CARTE ...") is not the document's title.
    st_title = min(len(_ST_TITLE.findall(head)), 2) * 6 + min(len(_ST_TITLE.findall(folded)), 3)
    inv_title = min(len(_INV_TITLE.findall(head)), 2) * 6 + min(len(_INV_TITLE.findall(folded)), 3)
    st_words = len(set(_ST_WORDS.findall(folded))) + min(len(_ST_WORDS.findall(folded)), 30) * 0.2
    inv_words = len(set(_INV_WORDS.findall(folded))) + min(len(_INV_WORDS.findall(folded)), 30) * 0.2
    st_rows, inv_rows = _layout_score(lines if lines is not None else text.splitlines())
    st_score = st_title * 2.0 + st_words * 0.6 + min(st_rows, 40) * 0.8
    inv_score = inv_title * 2.0 + inv_words * 0.8 + min(inv_rows, 20) * 0.3
    if st_score < 4 and inv_score < 4:
        return "other"
    return "bank_statement" if st_score > inv_score else "invoice"


def classify(doc: Document) -> DocType:
    """Statement, invoice or other for a loaded document (first three pages are enough)."""
    pages = doc.pages[:3]
    lines: list[str] = []
    for page in pages:
        lines.extend(ln.text for ln in group_lines(page))
    return classify_text("\n".join(lines), lines)


# ---------------------------------------------------------------- fast path for uploads

QUICK_OCR_PIXELS = 4_000_000
"""Raster budget of the classification OCR: a US letter page at 150 DPI is 2.1 MP."""


def _pdf_text(data: bytes, max_pages: int = 2) -> str:
    try:
        from ledgerlens.documents import pdf as docpdf

        reader = getattr(docpdf, "first_pages_text", None)
        if reader is not None:
            return str(reader(data, max_pages=max_pages))
    except ImportError:
        pass
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(min(len(pdf), max_pages)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        pdf.close()


def _first_page_gray(data: bytes, settings: Settings, dpi: int = 150) -> Any:
    """First page (PDF) or the image itself as a grey array at reduced resolution, for a quick OCR.

    A hint needs no more than a letter page at `dpi`: a page of any size in points is rendered
    within QUICK_OCR_PIXELS (and `max_pixels`), so a huge MediaBox costs no more than a small one.
    """
    import numpy as np

    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            if len(pdf) == 0:
                return None
            page = pdf[0]
            width, height = page.get_size()
            within_budget = (QUICK_OCR_PIXELS / max(width * height, 1.0)) ** 0.5
            scale = min(render_scale(width, height, dpi, settings), within_budget)
            image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        finally:
            pdf.close()
    else:
        from ledgerlens.documents.images import open_image

        with open_image(data, settings) as src:  # the pixel limit, Pillow's included
            image = src.convert("L")
            longest = max(image.size)
            # OCR wants text about 30 px high: shrink big photos, enlarge small screenshots
            if longest > 2000 or longest < 1400:
                ratio = min(2000 / longest, 2.5) if longest > 2000 else min(1600 / longest, 2.5)
                image = image.resize((int(image.width * ratio), int(image.height * ratio)))
    return np.asarray(image, dtype=np.uint8)


def _quick_ocr(gray: Any, settings: Settings, timeout: float = 20.0) -> str:
    """One OCR pass with the documents engine (Tesseract, else RapidOCR), English only for speed."""
    from ledgerlens.documents.ocr import get_engine

    settings = settings.model_copy(update={"ocr_languages": "eng"})
    try:
        engine = get_engine(settings)
        words = engine.recognize(gray, timeout=timeout)
    except Exception:  # no engine, a timeout or a crash: the upload is simply "other"
        return ""
    return " ".join(w.text for w in words)


def classify_bytes(data: bytes, settings: Settings | None = None) -> DocType:
    """Classify an upload fast: the PDF text layer of the first pages, else OCR of the first page only."""
    settings = settings or get_settings()
    text = ""
    try:
        if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
            text = _pdf_text(data)
        if len(re.findall(r"[A-Za-z]{3,}", text)) < 5:
            gray = _first_page_gray(data, settings)
            text = _quick_ocr(gray, settings) if gray is not None else ""
    except Exception:
        return "other"
    return classify_text(text)
