"""The one processing function every entry point calls: bytes + declared type -> result dict.

The worker, `ledgerlens parse` and the benchmarks all go through `process`, so a document gives
the same answer whichever way it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ledgerlens.config import Settings, get_settings
from ledgerlens.documents.loader import load_document, probe
from ledgerlens.documents.model import Document
from ledgerlens.export.json import to_jsonable
from ledgerlens.extract.classify import classify, classify_bytes
from ledgerlens.extract.custom_fields import apply_custom_fields
from ledgerlens.extract.invoice import extract_invoice, not_an_invoice
from ledgerlens.extract.statement import extract_statement, not_a_statement

DeclaredType = Literal["auto", "bank_statement", "invoice"]
ProgressCallback = Callable[[int, int], None]
"""Called with (pages_done, pages_total) as ingestion advances."""


@dataclass(slots=True)
class ProcessOptions:
    password: str | None = None
    custom_schemas: list[dict[str, Any]] = field(default_factory=list)
    """`schema_string` objects of the tenant's active schemas for this document type."""
    progress: ProgressCallback | None = None
    settings: Settings | None = None


def probe_upload(data: bytes, settings: Settings, emit: Callable[[tuple[Any, ...]], None]) -> None:
    """What an upload is answered with: ("probe", FileProbe), then ("type", DocType).

    The probe (format, page tree, page count) rejects a bad file by raising `DocumentError`; the
    type is only a hint, sent second so that a classification that fails or runs out of time
    still leaves the file accepted. Runs in a sandboxed child (`jobs.sandbox`), never in the API.
    """
    info = probe(data, settings)
    emit(("probe", info))
    emit(("type", "other" if info.encrypted else classify_bytes(data, settings)))


OCR_RETRY_MAX_PAGES = 12
"""A text-layer reading that does not add up is read again by OCR up to this many pages."""


def _has_text_layer(document: Document) -> bool:
    return any(p.source == "text_layer" for p in document.pages)


def _worth_reading_again(document: Document, result: dict[str, Any]) -> bool:
    if not _has_text_layer(document) or len(document.pages) > OCR_RETRY_MAX_PAGES:
        return False
    return not result["transactions"] or result["validation"]["reconciled"] is False


def _statement_rank(result: dict[str, Any]) -> tuple[int, int]:
    """Which of two readings of a statement to keep: one that reconciles over one that does not
    (or that has no balances to check), any rows over none; on a tie the first reading stays."""
    reconciled = result["validation"]["reconciled"]
    return (2 if reconciled else 1 if reconciled is None else 0, 1 if result["transactions"] else 0)


def process(
    data: bytes, declared_type: DeclaredType, options: ProcessOptions | None = None
) -> dict[str, Any]:
    """Turn one document into its RESULT_SCHEMA payload (JSON-ready: strings, not Decimals).

    Raises `DocumentError` with an API error code for unreadable, encrypted or over-limit input.
    """
    options = options or ProcessOptions()
    settings = options.settings or get_settings()
    document = load_document(data, password=options.password, settings=settings, progress=options.progress)
    doc_type = classify(document) if declared_type == "auto" else declared_type
    if doc_type == "other" and declared_type == "auto" and _has_text_layer(document):
        # A cipher-like text layer the page-level check let through classifies as nothing.
        ocr_document = load_document(data, password=options.password, settings=settings, force_ocr=True)
        ocr_type = classify(ocr_document)
        if ocr_type != "other":
            document, doc_type = ocr_document, ocr_type
    result: dict[str, Any]
    if doc_type == "bank_statement":
        result = extract_statement(document)
        if _worth_reading_again(document, result):
            # The text layer's reading does not add up: read the pages by OCR and keep the reading
            # that reconciles (a font whose ToUnicode map is broken for some of its glyphs only).
            ocr_document = load_document(data, password=options.password, settings=settings, force_ocr=True)
            second = extract_statement(ocr_document)
            if _statement_rank(second) > _statement_rank(result):
                document, result = ocr_document, second
                result["warnings"].append(
                    "the text layer's reading did not reconcile; the pages were read by OCR instead"
                )
        # Sent as a statement, reads as an invoice, and no reading adds up: say so, rather than
        # report an "account holder" made from a hotel's address.
        if (
            declared_type == "bank_statement"
            and not result["validation"]["reconciled"]
            and classify(document) == "invoice"
        ):
            result = not_a_statement(document, "invoice")
    elif doc_type == "invoice":
        result = extract_invoice(document, data)
        detected = classify(document) if declared_type == "invoice" else "invoice"
        if detected == "bank_statement":
            # sent as an invoice, reads as a statement: keep the invoice reading only when its own
            # arithmetic closes (a misread type), else answer with nothing invented
            closes = any(
                c["status"] == "pass"
                for c in result["validation"]["checks"]
                if c["name"] in ("line_items_sum_to_subtotal", "subtotal_plus_tax_equals_total")
            )
            if result.get("source") != "embedded_xml" and not closes:
                result = not_an_invoice(document, detected)
            else:
                result["warnings"].append(
                    "the document reads like a bank statement; it was read as an invoice as requested"
                )
    else:
        result = {
            "document_type": "other",
            "pages": len(document.pages),
            "text": "\n\n".join(p.text for p in document.pages),
            "warnings": [],
        }
    if options.custom_schemas and result["document_type"] != "other":
        result["custom_fields"] = apply_custom_fields(document, result, options.custom_schemas)
    jsonable: dict[str, Any] = to_jsonable(result)
    return jsonable
