"""Shared helpers for invoice tests: load documents the way the service does, compare like the scorer."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType
from typing import Any

from ledgerlens.documents.loader import load_document
from ledgerlens.documents.model import Document
from ledgerlens.export.json import to_jsonable
from ledgerlens.extract.invoice import extract_invoice


def extract(data: bytes) -> tuple[Document, dict[str, Any]]:
    """Bytes -> (document, JSON-ready invoice result), through the real loader."""
    doc = load_document(data)
    return doc, to_jsonable(extract_invoice(doc, data))


def dec(v: Any) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def norm(v: Any) -> str:
    s = unicodedata.normalize("NFKC", str(v)).casefold()
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def same(truth: Any, pred: Any) -> bool:
    """Numbers as decimals, everything else case- and space-insensitively."""
    if truth is None or pred is None:
        return truth is None and pred is None
    td, pd = dec(truth), dec(pred)
    if td is not None and pd is not None:
        return td == pd
    return norm(truth) == norm(pred)


def score_module(corpus: Path) -> ModuleType | None:
    """The project's shared scorer (../shared/tools/score.py) when it is there."""
    path = corpus.parent / "tools" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("ll_shared_score", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
