"""Write a generated benchmark corpus laid out like ../shared/corpus, so score.py can score it.

    python bench/make_corpus.py OUT_DIR [--n-per-family K] [--scanned-share 0.3] [--seed S]
        [--einvoices-per-family E] [--only statements|invoices|einvoice] [--families a,b]

OUT_DIR/statements/<family>-<k>.pdf|.jpg|.png|.tif + .json (truth) + .meta.json ({layout, scan, pages,
edge_case}), the same under OUT_DIR/invoices/, hybrid Factur-X PDFs (XML attached, truth "source":
"embedded_xml") under OUT_DIR/einvoice/, and OUT_DIR/manifest.json. Scanned documents are image-only
PDFs; single pages are sometimes JPEG/PNG images, some of them phone photos (perspective, desk
background, uneven light; edge_case "photo"); some longer ones are multi-page TIFFs; a few are fed
sideways or upside down (edge_case "rotated"). About 15% of statements carry a trap: one misprinted
running balance (truth keeps the printed value) or a table of pending card payments after the statement
(not transactions); edge_case "misprint" / "pending_table".
Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.gen import scan  # noqa: E402
from tests.gen.einvoice import EINVOICE_FAMILIES, make_einvoice  # noqa: E402
from tests.gen.invoices import INVOICE_FAMILIES, make_invoice  # noqa: E402
from tests.gen.statements import STATEMENT_FAMILIES, make_statement  # noqa: E402

Maker = Callable[..., tuple[bytes, dict[str, Any]]]


def _scanned(pdf: bytes, rng: random.Random, seed: int) -> tuple[bytes, str, str | None]:
    """Degrade a digital PDF; returns (bytes, extension, edge_case)."""
    dpi = rng.choice([200, 250, 300])
    pages = scan.render_pdf(pdf, dpi)
    rotate = 0
    edge: str | None = None
    if rng.random() < 0.12:
        rotate = rng.choice([90, 180, 270])
        edge = "rotated"
    noise = rng.uniform(3, 10)
    blur = rng.uniform(0.2, 0.8)
    skew = rng.uniform(0.2, 1.5)
    degraded = [
        scan.degrade(
            p,
            seed=seed * 100 + i,
            noise=noise,
            blur=blur,
            skew_deg=skew,
            jpeg_quality=rng.choice([55, 70, 85]),
            rotate=rotate,
        )
        for i, p in enumerate(pages)
    ]
    if len(degraded) == 1 and rng.random() < 0.4:
        if rng.random() < 0.5 and not rotate:  # a phone photo of the printed page
            shot = scan.photo(
                pages[0], seed=seed, tilt=rng.uniform(0.01, 0.06), rotation_deg=rng.uniform(0, 5)
            )
            return scan.image_bytes(shot, "JPEG", quality=82), "jpg", "photo"
        fmt = rng.choice(["JPEG", "JPEG", "PNG"])
        ext = "jpg" if fmt == "JPEG" else "png"
        return scan.image_bytes(degraded[0], fmt, quality=80, dpi=dpi), ext, edge
    if len(degraded) > 1 and rng.random() < 0.2:
        return scan.multipage_tiff(degraded, dpi), "tif", edge
    return scan.image_to_pdf(degraded, dpi), "pdf", edge


def _einvoice(family: str, seed: int = 0) -> tuple[bytes, dict[str, Any]]:
    pdf, truth, _ = make_einvoice(family, seed)
    return pdf, truth


def build(
    out: Path,
    n_per_family: int,
    scanned_share: float,
    seed: int,
    only: str | None,
    families: set[str] | None,
    n_einvoice: int = 1,
) -> list[dict[str, Any]]:
    groups: list[tuple[str, list[str], Maker, int, float]] = []
    if only in (None, "statements"):
        groups.append(("statements", STATEMENT_FAMILIES, make_statement, n_per_family, scanned_share))
    if only in (None, "invoices"):
        groups.append(("invoices", INVOICE_FAMILIES, make_invoice, n_per_family, scanned_share))
    if only in (None, "einvoice") and n_einvoice:
        groups.append(("einvoice", EINVOICE_FAMILIES, _einvoice, n_einvoice, 0.0))
    manifest: list[dict[str, Any]] = []
    for folder, fams, maker, count, share in groups:
        (out / folder).mkdir(parents=True, exist_ok=True)
        for fam in fams:
            if families and fam not in families:
                continue
            for k in range(count):
                doc_seed = seed * 10_000 + k
                rng = random.Random(f"corpus/{seed}/{fam}/{k}")
                extra: dict[str, Any] = {}
                trap: str | None = None
                if folder == "statements" and rng.random() < 0.15:
                    trap = rng.choice(["misprint", "pending_table"])
                    extra[trap] = True
                pdf, truth = maker(fam, seed=doc_seed, **extra)
                pages = scan.page_count(pdf)
                is_scan = rng.random() < share
                edge: str | None = None
                ext = "pdf"
                data = pdf
                if is_scan:
                    data, ext, edge = _scanned(pdf, rng, doc_seed)
                name = f"{fam}-{k:03d}"
                (out / folder / f"{name}.{ext}").write_bytes(data)
                (out / folder / f"{name}.json").write_text(
                    json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                meta = {"layout": fam, "scan": is_scan, "pages": pages, "edge_case": edge or trap}
                (out / folder / f"{name}.meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
                manifest.append({"file": f"{folder}/{name}.{ext}", "truth": f"{folder}/{name}.json", **meta})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n-per-family", type=int, default=2)
    ap.add_argument("--scanned-share", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--einvoices-per-family", type=int, default=1)
    ap.add_argument("--only", choices=["statements", "invoices", "einvoice"])
    ap.add_argument("--families", help="comma-separated family names to restrict to")
    a = ap.parse_args(argv)
    if not 0.0 <= a.scanned_share <= 1.0:
        ap.error("--scanned-share must be between 0 and 1")
    fams = set(a.families.split(",")) if a.families else None
    unknown = (fams or set()) - set(STATEMENT_FAMILIES) - set(INVOICE_FAMILIES)
    if unknown:
        ap.error(f"unknown families: {sorted(unknown)}")
    t0 = time.monotonic()
    manifest = build(a.out_dir, a.n_per_family, a.scanned_share, a.seed, a.only, fams, a.einvoices_per_family)
    n_scan = sum(1 for m in manifest if m["scan"])
    print(
        f"wrote {len(manifest)} documents ({n_scan} scanned) to {a.out_dir} in {time.monotonic() - t0:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
