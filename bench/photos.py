"""Phone photos of statements, end to end: how many transactions come out right, flattening on and off.

    python bench/photos.py [--cases N] [--seed S] [--off]

Each case is a generated statement (tests/gen/statements.py, families in turn) printed, laid on a
desk and photographed (tests/gen/scan.py `photo`: perspective, turn, desk around it, uneven light,
blur, noise, JPEG), then `load_document` + `extract_statement` on one core. A transaction counts
when its (date, amount) is in the truth; a statement is exact when the whole list matches in order.
`--off` replaces `documents/perspective.flatten` with "no sheet found", the reading before it.
Needs Tesseract; no corpus.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.gen.statements import STATEMENT_FAMILIES, make_scanned_statement  # noqa: E402

from ledgerlens.config import Settings  # noqa: E402
from ledgerlens.documents import perspective  # noqa: E402
from ledgerlens.documents.loader import load_document  # noqa: E402
from ledgerlens.extract.statement import extract_statement  # noqa: E402


def _keys(transactions: list[Any]) -> list[tuple[str, Decimal]]:
    return [(str(t["date"]), Decimal(str(t["amount"]))) for t in transactions]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0, help="first seed; case i uses seed + i")
    ap.add_argument("--off", action="store_true", help="no flattening (the reading before it)")
    args = ap.parse_args()
    if args.off:
        perspective.flatten = lambda gray: (gray, False)  # type: ignore[assignment]
    settings = Settings(page_workers=1, ocr_engine="tesseract")
    matched = total = exact = 0
    cpu_total = 0.0
    for i in range(args.cases):
        family, seed = STATEMENT_FAMILIES[i % len(STATEMENT_FAMILIES)], args.seed + i
        data, truth = make_scanned_statement(family, seed, n_tx=10, photo=True)
        started = time.process_time()
        result = extract_statement(load_document(data, settings=settings))
        cpu_total += time.process_time() - started
        want, got = _keys(truth["transactions"]), _keys(result["transactions"])
        found = sum(1 for k in want if k in got)
        matched, total, exact = matched + found, total + len(want), exact + (got == want)
        print(f"  {family}:{seed} matched {found}/{len(want)}{' exact' if got == want else ''}", flush=True)
    print(
        f"photos [{'flatten off' if args.off else 'flatten on'}]: {args.cases} statements, transactions "
        f"matched {matched}/{total} ({matched / max(total, 1):.3f}), exact statements {exact}/{args.cases}, "
        f"CPU {cpu_total / max(args.cases, 1):.2f} s/statement"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
