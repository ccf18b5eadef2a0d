"""Statement throughput: digital statements end to end (load_document + extract_statement) in one
process, pages per second on one core, interpreter start-up excluded.

    python bench/speed.py [--families N] [--repeat R] [--profile]

Uses the generated statement families (tests/gen/statements.py), so it needs no corpus. Prints wall
and CPU (process_time) rates, and the load / extract split: on a shared machine the CPU figure is
the one that says what the code costs.
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
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="cProfile extract_statement, top 25 by tottime")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        # one core, the last: core 0 takes most of the machine's interrupts and services (on the
        # 2-core build machine: 64 pages/s pinned to core 0, 91 on core 1, same code, same minute)
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    from tests.gen import statements as gen

    from ledgerlens.documents.loader import load_document
    from ledgerlens.extract.statement import extract_statement

    families = gen.STATEMENT_FAMILIES[: args.families or None]
    pdfs = [gen.make_statement(f, 0)[0] for f in families]
    extract_statement(load_document(pdfs[0]))  # warm imports and caches
    if args.profile:
        import cProfile
        import pstats

        docs = [load_document(pdf) for pdf in pdfs]
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.repeat):
            for doc in docs:
                extract_statement(doc)
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "tottime")).print_stats(30)
        return 0
    pages = 0
    load_cpu = extract_cpu = 0.0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for pdf in pdfs:
            t0 = time.process_time()
            doc = load_document(pdf)
            t1 = time.process_time()
            extract_statement(doc)
            t2 = time.process_time()
            load_cpu += t1 - t0
            extract_cpu += t2 - t1
            pages += len(doc.pages)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(
        f"{pages} pages ({len(pdfs)} statements x {args.repeat}): "
        f"wall {wall:.2f}s = {pages / wall:.1f} pages/s, "
        f"CPU {cpu:.2f}s = {pages / cpu:.1f} pages/s on one core"
    )
    print(f"CPU per page: load {1000 * load_cpu / pages:.2f} ms, extract {1000 * extract_cpu / pages:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
