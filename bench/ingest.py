"""Ingestion benchmark: digital pages/s, OCR s/page and accuracy per engine, peak memory at 500 pages.

Run from the repo root: `.venv/bin/python bench/ingest.py [--quick] [--engines tesseract,rapidocr]
[--only digital,generated,corpus,parallel,memory]`. Everything runs on one core (page_workers=1,
OMP_THREAD_LIMIT=1) except `parallel`, the wall time of a multi-page scan with 1 and `--workers`
page workers; the machine may be shared, so timings are upper bounds.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from PIL import Image  # noqa: E402
from tests.gen.scan import degrade, image_bytes, image_to_pdf, render_pdf_page  # noqa: E402
from tests.gen.statements import STATEMENT_FAMILIES, make_statement  # noqa: E402

from ledgerlens.config import Settings  # noqa: E402
from ledgerlens.documents.loader import load_document  # noqa: E402
from ledgerlens.documents.model import Page  # noqa: E402
from ledgerlens.documents.ocr import available_engines, preload  # noqa: E402
from ledgerlens.layout.lines import group_lines  # noqa: E402

CORPUS = Path(os.environ.get("LEDGERLENS_CORPUS", REPO.parent / "shared" / "corpus"))
AMOUNT = re.compile(r"^[-(]?[$€£]?\d{1,3}(?:[,.' ]\d{3})*[.,]\d{2}\)?$|^[-(]?[$€£]?\d+[.,]\d{2}\)?$")


def _page_text(page: Page) -> str:
    return "\n".join(line.text for line in group_lines(page))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as a child)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bench_digital(pages_wanted: int) -> None:
    pdf, _truth = make_statement(STATEMENT_FAMILIES[0], seed=1, n_tx=pages_wanted * 40, wrap_share=0.1)
    settings = Settings(page_workers=1)
    load_document(pdf, settings=settings)  # warm-up (imports, font caches)
    best = best_cpu = float("inf")
    doc = None
    for _ in range(3):
        started, cpu = time.perf_counter(), _cpu()
        doc = load_document(pdf, settings=settings)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, _cpu() - cpu)
    assert doc is not None
    n = len(doc.pages)
    words = sum(len(p.words) for p in doc.pages)
    print(
        f"digital: {n} pages, {words / n:.0f} words/page: wall {best:.3f} s -> {n / best:.0f} pages/s; "
        f"CPU {best_cpu:.3f} s -> {n / best_cpu:.0f} pages/s (one core, best of 3)"
    )


def _amount_tokens(words: list[str]) -> list[str]:
    return [w for w in words if AMOUNT.match(w)]


def _scored(truth_words: list[str], ocr_words: list[str]) -> tuple[float, float, int, int]:
    """(word recall, char similarity, amounts found, amounts total)."""
    remaining: dict[str, int] = {}
    for w in ocr_words:
        remaining[w] = remaining.get(w, 0) + 1
    hit = 0
    for w in truth_words:
        if remaining.get(w, 0) > 0:
            remaining[w] -= 1
            hit += 1
    amounts = _amount_tokens(truth_words)
    ocr_set = set(ocr_words)
    found = sum(1 for a in amounts if a in ocr_set)
    chars = difflib.SequenceMatcher(None, " ".join(truth_words), " ".join(ocr_words), autojunk=False).ratio()
    return hit / max(len(truth_words), 1), chars, found, len(amounts)


def _label(engine: str) -> str:
    """The engine, and for Tesseract how it runs (in-process tesserocr or the CLI)."""
    if engine != "tesseract":
        return engine
    from ledgerlens.documents.ocr.tesseract import TesseractEngine

    return f"tesseract/{TesseractEngine(backend=Settings().tesseract_backend).backend}"


def _scanned(pdf: bytes, seed: int) -> Image.Image:
    """Page 1 of `pdf` as the benches' scan: 300 DPI, noise, blur, ±1.5° skew, JPEG artefacts."""
    page = render_pdf_page(pdf, 0, dpi=300)
    return degrade(page, seed=seed, noise=6.0, blur=0.5, skew_deg=1.5, jpeg_quality=75)


def bench_generated_scans(engines: list[str], n_pages: int) -> None:
    cases = []
    for i, family in enumerate(STATEMENT_FAMILIES[:n_pages]):
        pdf, _ = make_statement(family, seed=100 + i, n_tx=25)
        truth_page = load_document(pdf, settings=Settings(page_workers=1)).pages[0]
        truth_words = [w for line in group_lines(truth_page) for w in (x.text for x in line.words)]
        cases.append((family, truth_words, image_bytes(_scanned(pdf, i), "JPEG", quality=80)))
    for engine in engines:
        settings = Settings(page_workers=1, ocr_engine=engine)  # type: ignore[arg-type]
        preload(settings)  # what the worker's fork server loads before any job (`jobs/warmup.py`)
        total_t, total_cpu, rec, chars, found, amounts, words_total = 0.0, 0.0, 0.0, 0.0, 0, 0, 0
        for _family, truth_words, data in cases:
            started, cpu = time.perf_counter(), _cpu()
            doc = load_document(data, settings=settings)
            total_t += time.perf_counter() - started
            total_cpu += _cpu() - cpu
            ocr_words = [w.text for w in doc.pages[0].words]
            r, c, f, a = _scored(truth_words, ocr_words)
            rec += r * len(truth_words)
            words_total += len(truth_words)
            chars += c
            found += f
            amounts += a
        n = len(cases)
        print(
            f"generated scans [{_label(engine)}]: {n} pages (300 DPI, noise+blur+skew+JPEG), "
            f"wall {total_t / n:.2f} s/page, CPU {total_cpu / n:.2f} s/page, "
            f"word accuracy {rec / max(words_total, 1):.3f}, "
            f"char similarity {chars / n:.3f}, "
            f"amounts exact {found}/{amounts} ({found / max(amounts, 1):.3f})"
        )


def bench_parallel_scan(engines: list[str], n_pages: int, workers: int) -> None:
    """Wall time of one scanned PDF of `n_pages` pages with its pages spread over `workers`
    processes: what a user waits for a long scan (the per-core figures above are CPU time)."""
    images = []
    for i in range(n_pages):
        family = STATEMENT_FAMILIES[i % len(STATEMENT_FAMILIES)]
        pdf, _ = make_statement(family, seed=200 + i, n_tx=25)
        images.append(_scanned(pdf, i))
    data = image_to_pdf(images)
    for engine in engines:
        for n in sorted({1, workers}):
            settings = Settings(page_workers=n, ocr_engine=engine)  # type: ignore[arg-type]
            preload(settings)
            started = time.perf_counter()
            doc = load_document(data, settings=settings)
            wall = time.perf_counter() - started
            print(
                f"scanned PDF [{_label(engine)}]: {len(doc.pages)} pages, {n} page worker(s): "
                f"wall {wall:.1f} s -> {wall / len(doc.pages):.2f} s/page"
            )


def _canon_amount(token: str) -> Decimal | None:
    t = re.sub(r"^[$€£(+\-]+|(?:CR|DR|[)\-])+$", "", token.strip())
    if not re.fullmatch(r"\d{1,3}(?:[,. '\u202f]\d{2,3})*[.,]\d{2}|\d+[.,]\d{2}", t):
        return None
    digits = re.sub(r"[^\d]", "", t)
    try:
        return Decimal(digits) / 100
    except InvalidOperation:
        return None


def _truth_amounts(truth: dict[str, Any]) -> list[Decimal]:
    out: list[Decimal] = []
    for tx in truth.get("transactions") or []:
        for key in ("amount", "balance"):
            v = tx.get(key)
            if v not in (None, ""):
                out.append(abs(Decimal(str(v))))
    for key in ("total", "subtotal", "tax_total"):
        v = truth.get(key)
        if v not in (None, ""):
            out.append(abs(Decimal(str(v))))
    for item in truth.get("line_items") or []:
        v = item.get("amount")
        if v not in (None, ""):
            out.append(abs(Decimal(str(v))))
    return [a for a in out if a != 0]


def bench_corpus_scans(engines: list[str], max_pages: int) -> None:
    if not CORPUS.is_dir():
        print(f"corpus scans: skipped ({CORPUS} not found)")
        return
    files: list[Path] = []
    for meta in sorted((CORPUS / "synthetic").glob("*.meta.json")):
        if json.loads(meta.read_text()).get("scan"):
            stem = meta.name.removesuffix(".meta.json")
            files += [p for p in (meta.parent / f"{stem}.pdf", meta.parent / f"{stem}.jpg") if p.exists()]
    files += sorted((CORPUS / "invoices").glob("*-png.png"))
    for engine in engines:
        settings = Settings(page_workers=1, ocr_engine=engine, max_pages=max_pages)  # type: ignore[arg-type]
        preload(settings)
        pages = 0
        seconds = cpu_seconds = 0.0
        found = total = 0
        for path in files:
            truth = json.loads(path.with_suffix(".json").read_text())
            wanted = _truth_amounts(truth)
            data = path.read_bytes()
            started, cpu = time.perf_counter(), _cpu()
            try:
                doc = load_document(data, settings=settings)
            except Exception as exc:  # over max_pages in quick mode
                print(f"  {path.name}: {type(exc).__name__}: {exc}")
                continue
            seconds += time.perf_counter() - started
            cpu_seconds += _cpu() - cpu
            pages += len(doc.pages)
            seen: dict[Decimal, int] = {}
            for p in doc.pages:
                for line in group_lines(p):
                    texts = [w.text for w in line.words]
                    # "4 915,00": space-grouped amounts are separate words, as printed
                    for i in range(len(texts)):
                        for j in (1, 2, 3):
                            v = _canon_amount(" ".join(texts[i : i + j])) if i + j <= len(texts) else None
                            if v is not None:
                                seen[v] = seen.get(v, 0) + 1
            for a in wanted:
                total += 1
                if seen.get(a, 0) > 0:
                    seen[a] -= 1
                    found += 1
        print(
            f"corpus scans [{_label(engine)}]: {len(files)} files, {pages} pages, "
            f"wall {seconds / max(pages, 1):.2f} s/page, CPU {cpu_seconds / max(pages, 1):.2f} s/page, "
            f"truth amounts read exactly {found}/{total} ({found / max(total, 1):.3f})"
        )


_MEMORY_CHILD = """
import sys, time
sys.path.insert(0, {src!r})


def hwm():  # peak RSS of this process image (ru_maxrss would include the forking parent's peak)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


from ledgerlens.config import Settings
from ledgerlens.documents.loader import load_document
data = open({path!r}, "rb").read()
before = hwm()
t = time.perf_counter()
doc = load_document(data, settings=Settings(page_workers=1, max_pages=1000))
t = time.perf_counter() - t
print(len(doc.pages), round(t, 2), before, hwm(), len(data) // 1024)
"""


def bench_memory(pages: int = 500) -> None:
    import tempfile

    pdf, _ = make_statement(STATEMENT_FAMILIES[0], seed=5, n_tx=pages * 46, wrap_share=0.1)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        code = _MEMORY_CHILD.format(src=str(REPO / "src"), path=tmp.name)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, secs, before, peak, size_kb = out.stdout.split()
    print(
        f"memory: {n}-page digital PDF ({size_kb} KB) loaded in {secs} s in a fresh process, "
        f"peak RSS {peak} MB (after imports {before} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer pages (smoke run)")
    parser.add_argument("--engines", default=",".join(available_engines()))
    parser.add_argument("--only", default="digital,generated,corpus,parallel,memory", help="parts to run")
    parser.add_argument("--gen-pages", type=int, default=3, help="generated scan pages (max 6 families)")
    parser.add_argument("--workers", type=int, default=2, help="page workers for the `parallel` part")
    parser.add_argument("--parallel-pages", type=int, default=6, help="pages of the `parallel` scanned PDF")
    parser.add_argument("--languages", default=None, help="override LEDGERLENS_OCR_LANGUAGES")
    args = parser.parse_args()
    if args.languages:
        os.environ["LEDGERLENS_OCR_LANGUAGES"] = args.languages
    parts = set(args.only.split(","))
    engines = [e for e in args.engines.split(",") if e in available_engines()]
    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, engines {engines}")
    if "digital" in parts:
        bench_digital(40 if args.quick else 200)
    if "generated" in parts:
        bench_generated_scans(engines, 1 if args.quick else args.gen_pages)
    if "corpus" in parts:
        bench_corpus_scans(engines, 2 if args.quick else 50)
    if "parallel" in parts:
        bench_parallel_scan(engines, 2 if args.quick else args.parallel_pages, args.workers)
    if "memory" in parts:
        bench_memory()


if __name__ == "__main__":
    main()
