"""Accuracy benchmark: run the real pipeline over every document that has a truth JSON, then score.

    python bench/accuracy.py [CORPUS_DIR] [--out PRED_DIR] [--only statements|invoices] [--quiet] [--json]

Works on the shared corpus and on folders written by bench/make_corpus.py (any tree of documents with a
`<name>.json` truth beside them; `*.meta.json` are breakdown metadata, not truths). Predictions mirror
the relative paths; the shared scorer prints the summary.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOC_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")


def _documents(corpus: Path, only: str | None) -> list[tuple[Path, Path, str]]:
    out: list[tuple[Path, Path, str]] = []
    for truth in sorted(corpus.rglob("*.json")):
        if truth.name.endswith(".meta.json") or truth.name == "manifest.json":
            continue
        doc = next((truth.with_suffix(s) for s in DOC_SUFFIXES if truth.with_suffix(s).exists()), None)
        if doc is None:
            continue
        try:
            kind = json.loads(truth.read_text(encoding="utf-8")).get("document_type", "")
        except (OSError, ValueError):
            continue
        kind = "statements" if kind == "bank_statement" else "invoices"
        if only and kind != only:
            continue
        out.append((doc, truth, kind))
    return out


def _process(data: bytes, kind: str) -> dict[str, Any]:
    try:
        from ledgerlens.pipeline import process

        result: dict[str, Any] = process(data, "auto")
        return result
    except ImportError:
        if kind != "statements":
            raise
        from ledgerlens.documents.loader import load_document
        from ledgerlens.export.json import to_jsonable
        from ledgerlens.extract.statement import extract_statement

        fallback: dict[str, Any] = to_jsonable(extract_statement(load_document(data)))
        return fallback


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--out", help="prediction folder (default: a temporary folder)")
    ap.add_argument("--only", choices=["statements", "invoices"])
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus).resolve()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="ledgerlens-pred-"))
    docs = _documents(corpus, args.only)
    if not docs:
        print(f"no documents with truth under {corpus}", file=sys.stderr)
        return 2
    failures = 0
    started = time.perf_counter()
    for doc, truth, kind in docs:
        rel = truth.relative_to(corpus)
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            result = _process(doc.read_bytes(), kind)
        except Exception as exc:  # a failing document must not stop the benchmark
            failures += 1
            print(f"FAILED {rel}: {exc!r}", file=sys.stderr)
            if not args.quiet:
                traceback.print_exc()
            continue
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    elapsed = time.perf_counter() - started
    if not args.json:
        print(f"processed {len(docs)} documents in {elapsed:.1f}s ({failures} failed); predictions in {out}")
    # The scorer only finds truths; point it at a filtered copy when --only narrows the set.
    truth_root = corpus
    if args.only:
        truth_root = Path(tempfile.mkdtemp(prefix="ledgerlens-truth-"))
        for _doc, truth, _kind in docs:
            dest = truth_root / truth.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(truth.read_bytes())
            meta = truth.with_name(truth.stem + ".meta.json")
            if meta.exists():
                (dest.parent / meta.name).write_bytes(meta.read_bytes())
    scorer = REPO.parent / "shared" / "tools" / "score.py"
    cmd = [sys.executable, str(scorer), str(truth_root), str(out)]
    if args.quiet:
        cmd.append("--quiet")
    if args.json:
        cmd.append("--json")
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
