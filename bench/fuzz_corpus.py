"""Fresh-seed statement benchmark: write fuzzed statements, then break the shared scorer's figures down
by failure class.

    python bench/fuzz_corpus.py generate OUT_DIR --seeds 10000-10299 [--jobs 2] [--scanned auto|none|all]
    python bench/accuracy.py OUT_DIR/digital --out PRED_DIR/digital --quiet
    python bench/accuracy.py OUT_DIR/scanned --out PRED_DIR/scanned --quiet
    python bench/fuzz_corpus.py report OUT_DIR PRED_DIR [--json] [--worst 5] [--dims]

`generate` writes OUT_DIR/{digital,scanned}/fz-<seed>.pdf + .json (truth) + .meta.json ({layout, scan,
pages, edge_case, seed, classes, dims}) and OUT_DIR/manifest.json, so bench/accuracy.py (and the shared
score.py) score it like any corpus folder; digital and scanned land in separate folders so the slow OCR
half can be run apart. `report` scores every truth under OUT_DIR against PRED_DIR (same relative paths)
with the shared scorer's own functions and prints, per class of issue #13 (multiline_header,
us_sections, credit_card, multi_account, continuation_lines, fr_debit_credit, garbled_text, scanned)
and for digital vs scanned: transaction micro F1, account-field accuracy, % perfect documents, the
account fields most often wrong, and the worst documents. Pick seeds the extractor was never tuned on.

To measure a committed revision while others edit src/, export it and put it first on the path:
`git archive REV src | tar -x -C DIR`, then run bench/accuracy.py with PYTHONPATH=DIR/src.

Baseline (issue #13): seeds 10000-10299 (93 scanned, 621 pages), generator ed22148, extractor d736949:
transactions F1 0.603 (P 0.663, R 0.553), account fields 0.785, perfect 15.0 %; digital 0.596 / 0.782 /
19.3 %, scanned 0.616 / 0.791 / 5.4 %. Per class (F1 / fields / perfect): multiline_header 0.569 / 0.781 /
11.5 %, us_sections 0.538 / 0.859 / 20.7 %, credit_card 0.478 / 0.586 / 0 %, multi_account 0.471 / 0.738 /
4.8 %, continuation_lines 0.556 / 0.770 / 9.8 %, fr_debit_credit 0.636 / 0.751 / 8.7 %, garbled_text 0.414 /
0.557 / 4.2 %, none of classes 1-7 0.818 / 0.941 / 51.6 %.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CLASSES = (
    "multiline_header",
    "us_sections",
    "credit_card",
    "multi_account",
    "continuation_lines",
    "fr_debit_credit",
    "garbled_text",
    "scanned",
)


def _seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        elif part:
            out.append(int(part))
    return out


def _one(job: tuple[int, str, str]) -> dict[str, Any]:
    from tests.gen.fuzz_statements import make_fuzzed_statement

    seed, out, mode = job
    scanned = None if mode == "auto" else mode == "all"
    pdf, truth, meta = make_fuzzed_statement(seed, scanned=scanned)
    folder = Path(out) / ("scanned" if meta["scan"] else "digital")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"fz-{seed}"
    (folder / f"{name}.pdf").write_bytes(pdf)
    (folder / f"{name}.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (folder / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    return {
        "file": f"{folder.name}/{name}.pdf",
        "truth": f"{folder.name}/{name}.json",
        "seed": seed,
        "scan": meta["scan"],
        "pages": meta["pages"],
        "layout": meta["layout"],
        "classes": meta["classes"],
    }


def generate(out: Path, seeds: list[int], jobs: int, mode: str) -> list[dict[str, Any]]:
    out.mkdir(parents=True, exist_ok=True)
    work = [(s, str(out), mode) for s in seeds]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as ex:
            manifest = list(ex.map(_one, work, chunksize=4))
    else:
        manifest = [_one(w) for w in work]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


# ------------------------------------------------------------------ report


def _scorer() -> ModuleType:
    path = REPO.parent / "shared" / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("ledgerlens_shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the shared scorer at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _score_all(corpus: Path, preds: Path) -> list[dict[str, Any]]:
    from decimal import Decimal

    sc = _scorer()
    docs: list[dict[str, Any]] = []
    for truth_path in sorted(corpus.rglob("*.json")):
        if truth_path.name.endswith(".meta.json") or truth_path.name == "manifest.json":
            continue
        rel = truth_path.relative_to(corpus)
        gt = json.loads(truth_path.read_text(encoding="utf-8"))
        meta_path = truth_path.with_name(truth_path.stem + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        pred_path = preds / rel
        pred, missing = None, True
        if pred_path.exists():
            try:
                pred = json.loads(pred_path.read_text(encoding="utf-8"), parse_float=Decimal)
                missing = not isinstance(pred, dict)
            except ValueError:
                pred = None
        s = sc.score_statement(gt, pred if not missing else None, missing)
        s.update(
            id=str(rel.with_suffix("")),
            meta=meta,
            missing=missing,
            classes=list(meta.get("classes", [])),
            scanned=bool(meta.get("scan")),
        )
        docs.append(s)
    return docs


def _agg(group: list[dict[str, Any]]) -> dict[str, Any]:
    if not group:
        return {"n": 0}
    matched = sum(d["matched"] for d in group)
    n_true = sum(d["n_true"] for d in group)
    n_pred = sum(d["n_pred"] for d in group)
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_true if n_true else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    fields = [v for d in group for v in d["fields"].values()]
    wrong: Counter[str] = Counter(f for d in group for f, ok in d["fields"].items() if not ok)
    dex = [x for d in group for x in d["desc_exact"]]
    return {
        "n": len(group),
        "txn_f1": f1,
        "txn_precision": p,
        "txn_recall": r,
        "field_acc": sum(fields) / len(fields) if fields else None,
        "perfect": sum(d["perfect"] for d in group) / len(group),
        "desc_exact": sum(dex) / len(dex) if dex else None,
        "missing": sum(d["missing"] for d in group),
        "wrong_fields": dict(wrong.most_common(5)),
    }


_DIMS = (
    "lang",
    "kind",
    "structure",
    "amount_mode",
    "amount_sign",
    "bal_sign",
    "balance_mode",
    "num",
    "year_in_dates",
    "header_breaks",
    "valign",
    "detail_lines",
    "garble",
    "card_print",
    "card_sign",
    "credit_first",
    "vdate_first",
    "newest_first",
    "open_row",
    "summary",
    "carry",
    "page_totals",
    "fr_narrow",
    "header_fill",
    "rules",
    "font",
)


def _dim_value(meta: dict[str, Any], key: str) -> str:
    dims = meta.get("dims", {})
    cols = dims.get("columns", [])
    if key == "credit_first":
        return (
            str(cols.index("credit") < cols.index("debit")) if "credit" in cols and "debit" in cols else "-"
        )
    if key == "vdate_first":
        return str(bool(cols) and cols[0] == "vdate")
    return str(dims.get(key))


def dimension_table(docs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Transaction F1, account-field accuracy and count per value of each sampled dimension."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for key in _DIMS:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in docs:
            groups[_dim_value(d["meta"], key)].append(d)
        out[key] = {
            v: {k: _agg(g)[k] for k in ("n", "txn_f1", "field_acc")} for v, g in sorted(groups.items())
        }
    return out


def report(corpus: Path, preds: Path, as_json: bool, worst: int, dims: bool = False) -> dict[str, Any]:
    docs = _score_all(corpus, preds)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        medium = "scanned" if d["scanned"] else "digital"
        groups["ALL"].append(d)
        groups[medium].append(d)
        cls = d["classes"] or []
        if not [c for c in cls if c != "scanned"]:
            groups["plain (no class 1-7)"].append(d)
        for c in cls:
            if c != "scanned":  # the scanned class is the medium group itself
                groups[c].append(d)
                groups[f"{c} / {medium}"].append(d)
    order = ["ALL", "digital", "scanned", *CLASSES, "plain (no class 1-7)"]
    order += [f"{c} / {m}" for c in CLASSES if c != "scanned" for m in ("digital", "scanned")]
    summary = {k: _agg(groups[k]) for k in order if groups.get(k)}
    worst_docs: dict[str, list[dict[str, Any]]] = {}
    for c in CLASSES:
        g = sorted(groups.get(c, []), key=lambda d: d["f1"] if d["f1"] is not None else 0.0)[:worst]
        worst_docs[c] = [
            {
                "id": d["id"],
                "f1": round(d["f1"] or 0.0, 3),
                "n_true": d["n_true"],
                "n_pred": d["n_pred"],
                "wrong": [f for f, ok in d["fields"].items() if not ok],
            }
            for d in g
        ]
    result: dict[str, Any] = {"documents": len(docs), "groups": summary, "worst": worst_docs}
    if dims:
        result["dimensions"] = dimension_table(docs)
    if as_json:
        print(json.dumps(result, indent=1))
        return result
    print(
        f"{'group':34s} {'n':>4s} {'txn F1':>7s} {'P':>6s} {'R':>6s} {'fields':>7s} {'perfect':>8s} "
        f"{'desc':>6s}  most often wrong fields"
    )

    def fmt(x: float | None) -> str:
        return "   n/a" if x is None else f"{x:6.3f}"

    for k, v in summary.items():
        wrong = ", ".join(f"{f} {n}" for f, n in v["wrong_fields"].items())
        print(
            f"{k:34s} {v['n']:4d} {fmt(v['txn_f1']):>7s} {fmt(v['txn_precision'])} {fmt(v['txn_recall'])} "
            f"{fmt(v['field_acc']):>7s} {fmt(v['perfect']):>8s} {fmt(v['desc_exact'])}  {wrong}"
        )
    if worst:
        print("\nworst documents per class (txn F1, true/pred rows, wrong account fields):")
        for c, rows in worst_docs.items():
            print(
                f"  {c}: "
                + "; ".join(
                    f"{r['id']} F1={r['f1']} {r['n_true']}/{r['n_pred']} [{','.join(r['wrong'][:4])}]"
                    for r in rows
                )
            )
    if dims:
        print("\nper sampled dimension (value: txn F1 / fields, n):")
        for key, values in result["dimensions"].items():
            cells = [f"{v}: {x['txn_f1']:.2f}/{x['field_acc']:.2f} ({x['n']})" for v, x in values.items()]
            print(f"  {key:14s} " + "  ".join(cells))
    a = summary["ALL"]
    print(
        f"\nFUZZ SUMMARY docs={a['n']} txn_F1={a['txn_f1']:.3f} field_acc={a['field_acc']:.3f} "
        f"perfect={a['perfect']:.3f} | digital F1={summary.get('digital', {}).get('txn_f1', 0):.3f} "
        f"scanned F1={summary.get('scanned', {}).get('txn_f1', 0):.3f}"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write fuzzed statements for a seed range")
    g.add_argument("out_dir", type=Path)
    g.add_argument("--seeds", required=True, help="e.g. 10000-10299 or 5,7,9")
    g.add_argument("--jobs", type=int, default=1)
    g.add_argument(
        "--scanned",
        choices=["auto", "none", "all"],
        default="auto",
        help="auto: each seed's own draw (about 30 %% scanned)",
    )
    r = sub.add_parser("report", help="per-class breakdown of predictions")
    r.add_argument("corpus", type=Path)
    r.add_argument("preds", type=Path)
    r.add_argument("--json", action="store_true")
    r.add_argument("--worst", type=int, default=4)
    r.add_argument("--dims", action="store_true", help="also break down by every sampled dimension")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        t0 = time.monotonic()
        manifest = generate(a.out_dir, _seeds(a.seeds), a.jobs, a.scanned)
        n_scan = sum(m["scan"] for m in manifest)
        cls: Counter[str] = Counter(c for m in manifest for c in m["classes"])
        print(
            f"wrote {len(manifest)} statements ({n_scan} scanned, {sum(m['pages'] for m in manifest)} pages) "
            f"to {a.out_dir} in {time.monotonic() - t0:.1f}s; classes: {dict(cls)}"
        )
        return 0
    report(a.corpus, a.preds, a.json, a.worst, a.dims)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
