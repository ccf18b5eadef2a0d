"""Bytes in, `Document` out: PDF text layer, rasterising, OCR."""

from ledgerlens.documents.model import BBox, Document, Page, Word

__all__ = ["BBox", "Document", "Page", "Word"]
