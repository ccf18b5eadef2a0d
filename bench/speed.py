"""Statement throughput: digital statements end to end (load_document + extract_statement) in one
process, pages per second on one core, interpreter start-up excluded.

    python bench/speed.py [--families N] [--repeat R]

Uses the generated statement families (tests/gen/statements.py), so it needs no corpus.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--families", type=int, default=0, help="limit to the first N families (0 = all)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from tests.gen import statements as gen

    from ledgerlens.documents.loader import load_document
    from ledgerlens.extract.statement import extract_statement

    families = gen.STATEMENT_FAMILIES[: args.families or None]
    pdfs = [gen.make_statement(f, 0)[0] for f in families]
    load_document(pdfs[0])  # warm imports and caches
    pages = 0
    started = time.perf_counter()
    for _ in range(args.repeat):
        for pdf in pdfs:
            doc = load_document(pdf)
            extract_statement(doc)
            pages += len(doc.pages)
    elapsed = time.perf_counter() - started
    print(
        f"{pages} pages in {elapsed:.2f}s: {pages / elapsed:.1f} pages/s on one core ({len(pdfs)} statements)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
