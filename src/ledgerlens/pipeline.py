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
from ledgerlens.export.json import to_jsonable
from ledgerlens.extract.classify import classify, classify_bytes
from ledgerlens.extract.custom_fields import apply_custom_fields
from ledgerlens.extract.invoice import extract_invoice
from ledgerlens.extract.statement import extract_statement

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
    result: dict[str, Any]
    if doc_type == "bank_statement":
        result = extract_statement(document)
    elif doc_type == "invoice":
        result = extract_invoice(document, data)
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
