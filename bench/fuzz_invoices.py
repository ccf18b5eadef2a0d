"""Fuzzed-invoice benchmark: write fresh-seed invoices from tests/gen/fuzz_invoices.py, score them with the
shared scorer, and break the scores down by failure class.

    python bench/fuzz_invoices.py OUT_DIR [--start 20000] [--n 200] [--scanned auto|none|all]
        [--score [--pred PRED_DIR]] [--report PRED_DIR] [--json FILE]

Writes OUT_DIR/digital/fz-<seed>.pdf and OUT_DIR/scanned/fz-<seed>.pdf, each with <name>.json (truth,
RESULT_SCHEMA invoice shape) and <name>.meta.json ({layout, scan, pages, seed, classes, table_features,
dims}), so `bench/accuracy.py OUT_DIR` scores them. --score runs bench/accuracy.py (the real pipeline and
../shared/tools/score.py) and then prints the breakdown; --report PRED_DIR prints the breakdown for
predictions made earlier (e.g. `bench/accuracy.py OUT_DIR/digital --out PRED_DIR/digital`). Scanned
documents are about a third of the seeds; --scanned none/all forces them (the layout stays the same).

Breakdown: per failure class (documents that exercise it), per items-table feature and per sampled
dimension: documents, header field accuracy (INV_FIELDS, as the scorer counts them), line-item micro F1,
share of perfect documents and of correct document types, digital and scanned apart; then every header
field's accuracy with example seeds for the most frequent wrong values, and the line-item count errors.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.gen.fuzz_invoices import CLASSES, TABLE_FEATURES, make_fuzzed_invoice  # noqa: E402

SCORER = REPO.parent / "shared" / "tools" / "score.py"
DIMS = (
    "lang",
    "country",
    "vendor_style",
    "customer_style",
    "meta_style",
    "font",
    "num",
    "cur_display",
    "col_order",
    "num_align",
    "totals_style",
    "due_mode",
    "page",
)


def write_corpus(out: Path, seeds: Iterable[int], scanned: str) -> list[dict[str, Any]]:
    force = {"auto": None, "none": False, "all": True}[scanned]
    manifest: list[dict[str, Any]] = []
    for seed in seeds:
        pdf, truth, meta = make_fuzzed_invoice(seed, scanned=force)
        sub = out / ("scanned" if meta["scan"] else "digital")
        sub.mkdir(parents=True, exist_ok=True)
        name = f"fz-{seed}"
        (sub / f"{name}.pdf").write_bytes(pdf)
        (sub / f"{name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (sub / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
        manifest.append(
            {
                "file": f"{sub.name}/{name}.pdf",
                "seed": seed,
                "scan": meta["scan"],
                "classes": meta["classes"],
                "pages": meta["pages"],
            }
        )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ledgerlens_shared_score", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the shared scorer {SCORER}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_docs(out: Path, pred: Path, sc: ModuleType) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for truth_path in sorted(out.rglob("fz-*.json")):
        if truth_path.name.endswith(".meta.json"):
            continue
        rel = truth_path.relative_to(out)
        meta = json.loads(truth_path.with_name(truth_path.stem + ".meta.json").read_text(encoding="utf-8"))
        gt = json.loads(truth_path.read_text(encoding="utf-8"))
        pp = pred / rel if (pred / rel).exists() else pred / truth_path.name
        if not pp.exists():
            continue  # not predicted (a partial run): left out of the breakdown, not counted wrong
        try:
            p = json.loads(pp.read_text(encoding="utf-8"), parse_float=Decimal)
        except ValueError:
            p = None
        missing = not isinstance(p, dict)
        s = sc.score_invoice(gt, p if not missing else None, missing)
        s.update(
            seed=meta["seed"],
            meta=meta,
            truth=gt,
            pred=p if not missing else {},
            type_ok=(not missing) and p.get("document_type") == gt["document_type"],
        )
        docs.append(s)
    return docs


def agg(group: list[dict[str, Any]], sc: ModuleType) -> dict[str, Any]:
    if not group:
        return {"n": 0}
    fields = [v for d in group for v in d["fields"].values()]
    matched = sum(d["matched"] for d in group)
    n_true = sum(d["n_true"] for d in group)
    n_pred = sum(d["n_pred"] for d in group)
    _, _, f1 = sc.prf(matched, n_true, n_pred)
    return {
        "n": len(group),
        "fields": sum(fields) / len(fields),
        "item_f1": f1,
        "perfect": sum(d["perfect"] for d in group) / len(group),
        "type_ok": sum(d["type_ok"] for d in group) / len(group),
    }


def fmt_row(label: str, a: dict[str, Any], dig: dict[str, Any], scn: dict[str, Any]) -> str:
    def cell(x: dict[str, Any]) -> str:
        if not x.get("n"):
            return f"{'-':>27}"
        return f"{x['n']:4d} {x['fields']:6.3f} {x['item_f1']:6.3f} {x['perfect']:6.0%}"

    return f"  {label:34s}{cell(a)} {a.get('type_ok', 0):6.0%}  |{cell(dig)}  |{cell(scn)}"


Pick = Callable[[dict[str, Any]], bool]


def _always(d: dict[str, Any]) -> bool:
    return True


def _no_class(d: dict[str, Any]) -> bool:
    return not set(d["meta"]["classes"]) - {"scanned"}


def _in_list(key: str, value: str) -> Pick:
    return lambda d: value in d["meta"][key]


def _dim_is(dim: str, value: str) -> Pick:
    return lambda d: str(d["meta"]["dims"][dim]) == value


def report(docs: list[dict[str, Any]], sc: ModuleType) -> dict[str, Any]:
    def split(group: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        return (
            agg(group, sc),
            agg([d for d in group if not d["meta"]["scan"]], sc),
            agg([d for d in group if d["meta"]["scan"]], sc),
        )

    summary: dict[str, Any] = {}
    head = (
        f"  {'':34s}{'n':>4} {'fields':>6} {'itemF1':>6} {'perf.':>6} {'type':>6}  |"
        f"{'digital: n fields itemF1 perf.':>29}  |{'scanned: n fields itemF1 perf.':>29}"
    )

    def section(title: str, groups: list[tuple[str, Pick]]) -> None:
        print(f"== {title} ==")
        print(head)
        for label, pick in groups:
            a, dg, sn = split([d for d in docs if pick(d)])
            summary[f"{title}/{label}"] = {"all": a, "digital": dg, "scanned": sn}
            if a["n"]:
                print(fmt_row(label, a, dg, sn))

    section("overall", [("all", _always)])
    section("class", [(c, _in_list("classes", c)) for c in CLASSES] + [("(none of the classes)", _no_class)])
    section("table feature", [(f, _in_list("table_features", f)) for f in TABLE_FEATURES])
    for dim in DIMS:
        values = sorted({str(d["meta"]["dims"][dim]) for d in docs})
        section(f"dim {dim}", [(v, _dim_is(dim, v)) for v in values])

    print("== header fields: accuracy, most frequent failures (seed: truth -> prediction) ==")
    by_field: dict[str, list[tuple[int, Any, Any]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for d in docs:
        for f, ok in d["fields"].items():
            counts[f] += 1
            if not ok:
                by_field[f].append((d["seed"], sc.get(d["truth"], f), sc.get(d["pred"], f)))
    field_acc = {}
    for f in sc.INV_FIELDS:
        if not counts[f]:
            continue
        wrong = by_field[f]
        field_acc[f] = 1 - len(wrong) / counts[f]
        cls = Counter(
            c for seed, _, _ in wrong for c in next(x for x in docs if x["seed"] == seed)["meta"]["classes"]
        )
        print(f"  {f:18s} {field_acc[f]:.3f}  wrong {len(wrong):3d}  classes: {dict(cls.most_common(4))}")
        for seed, t, p in wrong[:3]:
            print(f"      {seed}: {str(t)[:60]!r} -> {str(p)[:60]!r}")
    summary["field_acc"] = field_acc

    print("== line items ==")
    over = [d for d in docs if d["n_pred"] > d["n_true"]]
    under = [d for d in docs if d["n_pred"] < d["n_true"]]
    unmatched = [d for d in docs if d["n_pred"] == d["n_true"] and d["matched"] < d["n_true"]]
    for label, group in (
        ("more lines than truth", over),
        ("fewer lines than truth", under),
        ("same count, some unmatched", unmatched),
    ):
        feats = Counter(f for d in group for f in d["meta"]["table_features"])
        seeds = ", ".join(f"{d['seed']}({d['n_true']}->{d['n_pred']})" for d in group[:8])
        print(f"  {label:28s} {len(group):3d}  features: {dict(feats.most_common(5))}")
        print(f"      e.g. {seeds}")
    up = [x for d in docs for x in d["unit_price_ok"]]
    dex = [x for d in docs for x in d["desc_exact"]]
    if up:
        print(f"  unit price right among matched lines: {sum(up) / len(up):.3f}")
    if dex:
        print(f"  description exact among matched lines: {sum(dex) / len(dex):.3f}")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--start", type=int, default=20000)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--scanned", choices=["auto", "none", "all"], default="auto")
    ap.add_argument(
        "--score", action="store_true", help="run bench/accuracy.py on OUT_DIR, then the breakdown"
    )
    ap.add_argument(
        "--pred", type=Path, help="prediction folder for --score (default OUT_DIR/../<name>-pred)"
    )
    ap.add_argument(
        "--report", type=Path, metavar="PRED_DIR", help="only the breakdown of existing predictions"
    )
    ap.add_argument("--json", type=Path, help="also write the breakdown as JSON")
    a = ap.parse_args(argv)
    out: Path = a.out_dir
    if a.report is None:
        t0 = time.monotonic()
        manifest = write_corpus(out, range(a.start, a.start + a.n), a.scanned)
        n_scan = sum(m["scan"] for m in manifest)
        cls = Counter(c for m in manifest for c in m["classes"])
        print(f"wrote {len(manifest)} invoices ({n_scan} scanned) to {out} in {time.monotonic() - t0:.1f}s")
        print("classes: " + ", ".join(f"{c} {cls[c]}" for c in CLASSES))
    pred = a.report
    if a.score:
        pred = a.pred or out.parent / f"{out.name}-pred"
        rc = subprocess.call(
            [sys.executable, str(REPO / "bench" / "accuracy.py"), str(out), "--out", str(pred), "--quiet"]
        )
        if rc:
            return rc
    if pred is None:
        return 0
    sc = load_scorer()
    docs = score_docs(out, pred, sc)
    if not docs:
        print(f"no predictions under {pred}", file=sys.stderr)
        return 2
    summary = report(docs, sc)
    if a.json:
        a.json.write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
