"""Invoice extraction: embedded e-invoice XML when the PDF has one, else the page read by geometry.

No per-vendor templates: header fields come from label–value pairs (value right of or under its
label, labels in six languages), parties from the letterhead / bill-to blocks and footer, line items
from the table under an items header, and totals from labelled amounts chosen so that they agree
with each other (subtotal + tax = total). The arithmetic checks then feed the confidences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ledgerlens.documents.model import Document
from ledgerlens.extract.currency import find_currency
from ledgerlens.extract.dates import DateOrder, detect_date_order
from ledgerlens.extract.einvoice import read_embedded_einvoice
from ledgerlens.extract.fieldvalues import Found, dates_in, money_amounts, segment_after, value_for
from ledgerlens.extract.labels import (
    FIELD_RX,
    MONEY_RX,
    LabelHit,
    PageLines,
    document_lines,
    find_hits,
    fold,
)
from ledgerlens.extract.line_items import extract_line_items, is_items_header
from ledgerlens.extract.numbers import detect_decimal_separator
from ledgerlens.extract.parties import extract_parties
from ledgerlens.validate.invoice_checks import run_checks

_CREDIT_NOTE = re.compile(
    r"(?<![a-z])(credit\s+note|credit\s+memo|gutschrift|rechnungskorrektur|avoir|facture\s+d.avoir|"
    r"nota\s+de\s+credito|nota\s+de\s+abono|factura\s+rectificativa|creditnota|creditfactuur|nota\s+di\s+credito|"
    r"nota\s+di\s+accredito)(?![a-z])"
)
_TERMS = re.compile(
    r"(?<![a-z])(?:net|netto|within|innerhalb(?:\s+von)?|binnen|entro|dans\s+les|a|sous|en)\s+(\d{1,3})\s*"
    r"(?:days?|tagen?|jours?|dias?|dagen|giorni|gg|d\b)|(?<![a-z])net\s*(\d{1,3})(?![0-9])|"
    r"(\d{1,3})\s*(?:days?|tage|jours|dias|dagen|giorni)\s+(?:net|netto|nach|after|from|date)|"
    r"(\d{1,3})\s*(?:gg|giorni|jours|dias|days|tage|dagen)\.?\s+(?:d\.?\s?f\.?|data\s+fattura|date\s+de\s+facture|"
    r"fecha\s+(?:de\s+)?factura|invoice\s+date|rechnungsdatum|factuurdatum)",
)
_END_OF_MONTH = re.compile(r"fin\s+de\s+mois|f\.\s?m\.|end\s+of\s+(?:the\s+)?month|monatsende|fine\s+mese")
_TERMS_LINE = re.compile(
    r"(?<![a-z])(payment\s+terms?|terms|zahlungsbedingungen|zahlbar|conditions\s+de\s+(?:paiement|reglement)|"
    r"condiciones\s+de\s+pago|betalingsvoorwaarden|betalingstermijn|termini\s+di\s+pagamento|"
    r"condizioni\s+di\s+pagamento|mode/terms\s+of\s+payment|forma\s+de\s+pago|modalita\s+di\s+pagamento|"
    r"reglement|mode\s+de\s+paiement|betalingsconditie|zahlungsziel)(?![a-z])"
)
_DUE_HINT = re.compile(
    r"(?<![a-z])(bis\s+zum|remit\s+until|until|spatestens|netto\s+bis|bis|avant\s+le|before)(?![a-z])"
)


@dataclass(slots=True)
class Ctx:
    doc: Document
    pages: list[PageLines]
    order: DateOrder
    decimal_sep: str | None
    warnings: list[str]


_FULL_DATE = re.compile(r"(?<![\d.,])(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})(?!\d)")


def _date_order(texts: list[str]) -> DateOrder:
    """Day-first or month-first from full numeric dates only (prices such as 96.12 are no evidence)."""
    dmy = mdy = 0
    for text in texts:
        for m in _FULL_DATE.finditer(text):
            x, z = int(m.group(1)), int(m.group(3))
            if x > 12 >= z:
                dmy += 1
            elif z > 12 >= x:
                mdy += 1
    if mdy > dmy:
        return "MDY"
    if dmy > mdy:
        return "DMY"
    return detect_date_order(texts)


def _best(hits: list[LabelHit], field: str) -> list[LabelHit]:
    """Hits of one field, best label first (priority, then page order)."""
    cands = [h for h in hits if h.field == field]
    return sorted(cands, key=lambda h: (-h.priority, h.page, h.line.index))


_REFERENCE_BEFORE = re.compile(
    r"(?<![a-z])(?:original(?:e|a)?|bezug|zu|zur|zum|auf|ref(?:erence)?|referenz|betreft|betrifft|relatif|"
    r"relative|rectificad[ao]|rectifica|corrige|correcting|corrects|storno|regarding|sobre|riferimento|rif|"
    r"orig|(?:de\s+)?la\s+factura|(?:a\s+)?la\s+facture|alla\s+fattura)\W*$"
)


_OTHER_DATE = re.compile(
    r"(?<![a-z])(?:ship\w*|deliver\w*|dispatch\w*|livraison|liefer\w*|leistung\w*|entrega|envio|consegna|"
    r"spedizione|lever\w*|supply|order|ordine|pedido|commande|bestell\w*|due|fallig\w*|echeance|"
    r"vencimiento|scadenza|verval\w*|period\w*|zeitraum|service|prestation|servicio|print\w*|druck\w*)(?![a-z])"
)


def _phrase_around(h: LabelHit) -> str:
    """The label's phrase: its words and the words next to them without a column gap."""
    words = h.line.words
    inside = h.line.words_between(h.start, h.end)
    if not inside:
        return ""
    i, j = words.index(inside[0]), words.index(inside[-1])

    def tight(a: int, b: int) -> bool:
        return words[b].x0 - words[a].x1 <= 1.5 * max(words[a].height, words[b].height, 0.006)

    while i > 0 and i > words.index(inside[0]) - 3 and tight(i - 1, i):
        i -= 1
    while j + 1 < len(words) and j < words.index(inside[-1]) + 3 and tight(j, j + 1):
        j += 1
    return " ".join(w.text for w in words[i : j + 1])


def _header_field(
    ctx: Ctx, hits: list[LabelHit], field: str, kind: str
) -> tuple[Found | None, LabelHit | None]:
    for h in _best(hits, field):
        if field == "invoice_number" and _REFERENCE_BEFORE.search(
            h.line.folded[max(0, h.start - 24) : h.start]
        ):
            continue  # "Bezug: Rechnung: INV-1", "Original invoice: F-2": the invoice a credit note corrects
        if field == "invoice_date" and h.priority <= 3 and _OTHER_DATE.search(fold(_phrase_around(h))):
            continue  # "Ship date", "Date de livraison", "Order date": another date, not the invoice's
        if field == "invoice_number" and h.priority <= 2:
            # a bare title ("Invoice", "Rechnung") only counts with an id right after it, or under it
            # when it heads a column in a row of labels ("Klant  Order  Factuur  Vervaldatum")
            row = sum(1 for x in hits if x.line is h.line) >= 2
            f = value_for(h, "ref", ctx.pages, order=ctx.order, allow_below=row)
        else:
            f = value_for(h, kind, ctx.pages, order=ctx.order, decimal_sep=ctx.decimal_sep)  # type: ignore[arg-type]
        if f is not None and (field != "purchase_order" or any(c.isdigit() for c in str(f.value))):
            return f, h
    return None, None


def _date_after_number(hit: LabelHit | None, found: Found | None, order: DateOrder) -> date | None:
    """`Rechnung # RE-1 vom 19.05.2014`, `Facture n° 5 du 02 Juillet 2015`: the date after the number."""
    if hit is None or found is None:
        return None
    rest = hit.line.text[hit.end :]
    pos = rest.find(str(found.value))
    if pos < 0:
        return None
    tail = rest[pos + len(str(found.value)) :]
    for m in dates_in(tail, order):
        if m.has_year and m.start <= 16:
            return m.value
    return None


def _date_on_title_line(hits: list[LabelHit], order: DateOrder) -> date | None:
    """`Beitragsrechnung 24. Januar 2014`: the date printed on the document's title line."""
    for h in hits:
        if h.field == "invoice_number" and h.priority <= 2 and h.page == 1:
            for m in dates_in(h.line.text[h.end :], order):
                if m.has_year:
                    return m.value
    return None


def _first_date_on_top(pages: list[PageLines], order: DateOrder) -> date | None:
    """An unlabelled letter date at the top of page 1 (`18. April 2014`), not part of a period."""
    if not pages:
        return None
    for tl in pages[0].lines:
        if tl.bbox[1] > 0.45:
            break
        if re.search(
            r"(?<![a-z])(bis|to|au|al|tot|until|from|von|vom|du|period|zeitraum|periode)(?![a-z])", tl.folded
        ):
            continue
        found = [m for m in dates_in(tl.text, order) if m.has_year]
        if len(found) == 1:
            return found[0].value
    return None


def _payment_terms(ctx: Ctx) -> tuple[str | None, int | None]:
    """Printed payment terms (the line) and the number of days they give, if any."""
    for pl in ctx.pages:
        for tl in pl.lines:
            m = _TERMS_LINE.search(tl.folded)
            days = _TERMS.search(tl.folded)
            if m or (days and re.search(r"(?<![a-z])(net|netto|zahlbar|payable|payment)", tl.folded)):
                text = tl.text[m.end() :].strip(" :") if m and m.start() < 3 else tl.text.strip()
                if not text:
                    continue
                n = None
                if days:
                    n = int(next(g for g in days.groups() if g))
                return text, n
    return None, None


def _due_from_text(ctx: Ctx) -> date | None:
    """`Bitte überweisen Sie bis zum 09.06.2014`, `Please remit until 2020-12-12`."""
    for pl in ctx.pages:
        for tl in pl.lines:
            for m in _DUE_HINT.finditer(tl.folded):
                for d in dates_in(tl.text[m.end() :], ctx.order):
                    if d.has_year and d.start <= 4:
                        return d.value
    return None


def _money_candidates(ctx: Ctx, hits: list[LabelHit]) -> dict[str, list[tuple[int, Decimal, Found]]]:
    out: dict[str, list[tuple[int, Decimal, Found]]] = {}
    claimed: set[tuple[int, int, tuple[float, float, float, float]]] = set()
    near_header: set[tuple[int, int]] = set()
    for pl in ctx.pages:
        for tl in pl.lines:
            if is_items_header(tl, ctx.decimal_sep):
                near_header.update((pl.number, tl.index + k) for k in range(-2, 3))
    for h in hits:
        # an items-table header ("Qty  Price  Amount", "ohne MwSt.") is not a totals label: nothing under it
        below = (h.page, h.line.index) not in near_header
        f = value_for(h, "money", ctx.pages, decimal_sep=ctx.decimal_sep, allow_below=below)
        if f is None or not isinstance(f.value, Decimal):
            continue
        key = (f.page, h.line.index if not f.below else -1, f.bbox)
        if key in claimed:
            continue  # "Rechnungssumme Netto (exkl. USt.) 193,83": the amount belongs to the first label
        claimed.add(key)
        out.setdefault(h.field, []).append((h.priority, f.value, f))
    return out


def _choose_totals(
    cands: dict[str, list[tuple[int, Decimal, Found]]], line_sum: Decimal | None
) -> dict[str, Decimal | None]:
    """Pick subtotal / tax / total / amount due so that they agree where the page allows.

    Each field has its labelled candidates; the chosen combination maximises label strength plus
    agreement: a subtotal equal to the sum of the lines, a net amount (subtotal or net after
    discounts) plus the tax equal to the total.
    """

    def vals(name: str) -> list[tuple[int, Decimal]]:
        best: dict[Decimal, int] = {}
        for prio, v, _f in cands.get(name, []):
            best[v] = max(best.get(v, 0), prio)
        return sorted(((p, v) for v, p in best.items()), key=lambda x: -x[0])

    totals = vals("total")
    subs = vals("subtotal")
    taxes = vals("tax_total")
    dues = vals("amount_due")
    nets = {v for _p, v in subs}
    any_tax = any(v != 0 for _p, v in taxes)
    gross = {v for _p, v in totals} | {v for _p, v in dues}
    sub_opts: list[tuple[int, Decimal | None]] = [*subs, (0, None)]
    tax_opts: list[tuple[int, Decimal | None]] = [*taxes, (0, None)]
    tot_opts: list[tuple[int, Decimal | None]] = [*totals, *[(p - 3, v) for p, v in dues], (0, None)]
    best: tuple[float, Decimal | None, Decimal | None, Decimal | None] | None = None
    for sp, s in sub_opts:
        for tp, t in tax_opts:
            for gp, g in tot_opts:
                score: float = sp + tp + gp
                if t is not None and g is not None:
                    if any(n + t == g for n in nets | ({s} if s is not None else set())):
                        score += 40
                    if t >= g and g > 0:
                        score -= 40
                if s is not None and any_tax and (s == g or s in gross):
                    score -= 60  # a "subtotal" equal to the gross total is not the net amount
                if s is not None and g is not None and s > g > 0:
                    score -= 30
                if s is not None and line_sum is not None and s == line_sum:
                    score += 50
                if g is not None:
                    score += 5
                    if g <= 0 < (s or 0):
                        score -= 40
                if best is None or score > best[0]:
                    best = (score, s, t, g)
    assert best is not None
    _, s, t, g = best
    due: Decimal | None = None
    if dues:
        prepaid = [v for _p, v, _f in cands.get("prepaid", [])]
        options = [v for _p, v in dues]
        if g is not None:
            due = next((v for v in options if v == g), None) or next(
                (v for v in options if any(g - abs(pp) == v for pp in prepaid)), None
            )
            if due is None:
                strong = dues[0][0] >= 10
                due = options[0] if (0 <= options[0] <= g or strong) else g
        else:
            due = options[0]
    if g is None and due is not None:
        g = due
    if s is None and line_sum is not None and g is not None and line_sum == g and not any_tax:
        s = line_sum  # no tax printed and the lines add up to the total: that total is the net sum
    return {"subtotal": s, "tax_total": t, "total": g, "amount_due": due if due is not None else g}


_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def _taxes(ctx: Ctx, hits: list[LabelHit], tax_total: Decimal | None) -> list[dict[str, Any]]:
    """Per-rate tax lines: `USt 19% von 336,00 63,84`, `VAT 21% € 124,61`, `Tax 15% on $112.90 $16.94`."""
    out: list[dict[str, Any]] = []
    seen_lines: set[tuple[int, int]] = set()
    for h in hits:
        if h.field != "tax_total":
            continue
        key = (h.page, h.line.index)
        if key in seen_lines:
            continue
        seen_lines.add(key)
        tail = h.line.text[h.end :]
        m = _RATE.search(tail) or _RATE.search(h.line.text[: h.start])
        if not m:
            continue
        rate = Decimal(m.group(1).replace(",", "."))
        _seg, words = segment_after(h, money=True)
        amts = [a for a in money_amounts(words, ctx.decimal_sep) if not a.word.text.endswith("%")]
        if not amts:
            continue
        amount = amts[-1].value
        base = abs(amts[-2].value) if len(amts) >= 2 else None  # "(1.847,42)": a base in parentheses
        if base is not None and (base * rate / 100 - amount).copy_abs() > Decimal("0.02"):
            base = None if amts[-2].value < amount else base
        entry = {
            "rate": rate.normalize() if rate == rate.to_integral() else rate,
            "base": base,
            "amount": amount,
        }
        out.append(entry)  # one entry per printed line: CGST 9% and SGST 9% are two taxes
    for e in out:
        r = e["rate"]
        if isinstance(r, Decimal) and r == r.to_integral_value():
            e["rate"] = r.quantize(Decimal(1))
    if out and tax_total is not None and len(out) > 1 and sum(e["amount"] for e in out) != tax_total:
        # a rate line that repeats the total ("Summe USt 19% ...") is not a separate rate
        out = [e for e in out if e["amount"] != tax_total] or out
    return out


def _currency(ctx: Ctx, iban: str | None) -> str | None:
    text = "\n".join(tl.text for pl in ctx.pages for tl in pl.lines)
    found = find_currency(text, iban)
    if found is None and re.search(r"\$\s?\d", text):
        found = "USD"  # a bare dollar sign with no other clue
    return found


def _document_type(ctx: Ctx) -> str:
    head = " ".join(tl.folded for tl in ctx.pages[0].lines[:25]) if ctx.pages else ""
    return "credit_note" if _CREDIT_NOTE.search(head) else "invoice"


def extract_visual(doc: Document) -> dict[str, Any]:
    """Read an invoice from its page content only."""
    pages = document_lines(doc)
    all_text = [tl.text for pl in pages for tl in pl.lines]
    order = _date_order(all_text)
    ctx = Ctx(doc, pages, order, detect_decimal_separator(all_text), [])
    hits = find_hits(pages, FIELD_RX)
    money_hits = find_hits(pages, MONEY_RX)

    number, number_hit = _header_field(ctx, hits, "invoice_number", "ref")
    inv_date, date_hit = _header_field(ctx, hits, "invoice_date", "date")
    due, due_hit = _header_field(ctx, hits, "due_date", "date")
    po, po_hit = _header_field(ctx, hits, "purchase_order", "text")

    where: dict[str, dict[str, Any]] = {}
    if number is not None and number_hit is not None:
        where["invoice_number"] = _where(number, number_hit.priority)
    if po is not None and po_hit is not None:
        where["purchase_order"] = _where(po, po_hit.priority)
    titled = _date_after_number(number_hit, number, order)
    if inv_date and date_hit is not None and date_hit.priority <= 3 and titled is not None:
        inv_date = None  # "Rechnung Nr. 4711 vom 05.03.2018" beats a bare "Date" elsewhere
    if inv_date is not None and date_hit is not None:
        where["invoice_date"] = _where(inv_date, date_hit.priority)
    elif titled is not None and number is not None:
        where["invoice_date"] = {**_where(number, 8), "confidence": 0.85}
    if due is not None and due_hit is not None:
        where["due_date"] = _where(due, due_hit.priority)
    invoice_date = inv_date.value if inv_date else titled
    if invoice_date is None:
        invoice_date = _date_on_title_line(hits, order)
    if invoice_date is None:
        invoice_date = _first_date_on_top(pages, order)
    if not isinstance(invoice_date, date):
        invoice_date = None
    due_date = due.value if due and isinstance(due.value, date) else None
    if due_date is not None and invoice_date is not None and due_date < invoice_date - timedelta(days=400):
        due_date = None
    terms, days = _payment_terms(ctx)
    if due_date is None:
        due_date = _due_from_text(ctx)
        if due_date is not None and invoice_date is not None and due_date < invoice_date:
            due_date = None
    if due_date is None and days is not None and invoice_date is not None:
        if terms is not None and _END_OF_MONTH.search(fold(terms)):
            # "45 jours fin de mois": conventions differ on how to count; say so instead of guessing
            ctx.warnings.append(
                f"due_date not printed and not computed: the payment terms ({terms!r}) count from a month end"
            )
        else:
            # computed from the printed terms, not read: the warning tells the client which it is
            due_date = invoice_date + timedelta(days=days)
            ctx.warnings.append(
                f"due_date not printed; computed from the payment terms ({days} days after the invoice date)"
            )

    items = extract_line_items(pages, ctx.decimal_sep)
    line_sum = sum((i["amount"] for i in items if i["amount"] is not None), Decimal(0)) if items else None
    cands = _money_candidates(ctx, money_hits)
    taxes = _taxes(ctx, money_hits, None)
    if len(taxes) > 1:
        # several rates and no printed tax total: their sum is a candidate
        summed = sum((t["amount"] for t in taxes), Decimal(0))
        cands.setdefault("tax_total", []).append((8, summed, Found(summed, str(summed), 1, (0, 0, 0, 0))))
    totals = _choose_totals(cands, line_sum)
    taxes = _taxes(ctx, money_hits, totals["tax_total"])

    for name in ("subtotal", "tax_total", "total", "amount_due"):
        chosen = totals[name]
        for prio, value, found in cands.get(name, []) + (
            cands.get("total", []) if name == "amount_due" else []
        ):
            if value == chosen and found.bbox != (0, 0, 0, 0):
                where[name] = _where(found, prio)
                break

    vendor, customer = extract_parties(pages)
    purchase_order = (
        po.value if po and isinstance(po.value, str) and any(c.isdigit() for c in po.value) else None
    )
    result: dict[str, Any] = {
        "document_type": _document_type(ctx),
        "invoice_number": number.value if number else None,
        "invoice_date": invoice_date,
        "due_date": due_date,
        "purchase_order": purchase_order,
        "currency": _currency(ctx, vendor.get("iban")),
        "vendor": vendor,
        "customer": customer,
        "line_items": items,
        "taxes": taxes,
        "subtotal": totals["subtotal"],
        "tax_total": totals["tax_total"],
        "total": totals["total"],
        "amount_due": totals["amount_due"],
        "payment_terms": terms,
        "source": "visual",
        "pages": len(doc.pages),
        "warnings": ctx.warnings,
    }
    # where each header value was read: only values the result carries get an entry
    result["fields"] = {k: v for k, v in where.items() if result.get(k) is not None}
    return result


def _where(found: Found, priority: int) -> dict[str, Any]:
    """Where a header value was read and how sure the label makes it (the checks raise it later)."""
    conf = 0.9 if priority >= 8 else (0.8 if priority >= 5 else 0.7)
    return {"page": found.page, "bbox": [round(float(v), 4) for v in found.bbox], "confidence": conf}


_CONFIRMS = {
    "line_items_sum_to_subtotal": ("subtotal",),
    "subtotal_plus_tax_equals_total": ("subtotal", "tax_total", "total", "amount_due"),
}


def _confirm_fields(result: dict[str, Any]) -> None:
    """Values a passing arithmetic check confirms are near certain; a failing one lowers them."""
    fields = result.get("fields")
    if not isinstance(fields, dict):
        return
    for check in result.get("validation", {}).get("checks", []):
        for name in _CONFIRMS.get(check.get("name"), ()):
            entry = fields.get(name)
            if entry is None:
                continue
            if check.get("status") == "pass":
                entry["confidence"] = max(entry["confidence"], 0.99)
            elif check.get("status") == "fail":
                entry["confidence"] = min(entry["confidence"], 0.5)


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(s))


def _page_disagreements(xml: dict[str, Any], doc: Document, visual: dict[str, Any]) -> list[str]:
    """Where the visible page shows something else than the embedded XML (number, date, total)."""
    text = _norm(doc.text)
    warnings: list[str] = []
    num = xml.get("invoice_number")
    if num and _norm(str(num)) not in text:
        warnings.append(f"the page does not show the embedded XML's invoice number {num!r}")
    total = xml.get("total")
    if isinstance(total, Decimal):
        shown = {_norm(f"{total:,.2f}"), _norm(f"{total:.2f}")}
        if not any(s in text for s in shown):
            warnings.append(f"the page does not show the embedded XML's total {total}")
    issued = xml.get("invoice_date")
    vdate = visual.get("invoice_date")
    if isinstance(issued, date) and isinstance(vdate, date) and vdate != issued:
        warnings.append(
            f"the page's invoice date {vdate.isoformat()} differs from the embedded XML's {issued}"
        )
    return warnings


def extract_invoice(doc: Document, data: bytes | None) -> dict[str, Any]:
    """RESULT_SCHEMA invoice payload (Decimals and dates; the pipeline makes it JSON)."""
    reading = read_embedded_einvoice(data)
    visual = extract_visual(doc)
    if reading.result is None:
        visual["warnings"] = reading.warnings + visual["warnings"]
        visual["validation"] = run_checks(visual)
        _confirm_fields(visual)
        return visual
    result = dict(reading.result)
    for item in result.get("line_items", []):
        item.setdefault("page", None)
        item.setdefault("bbox", None)
        item["confidence"] = 1.0
    result["source"] = "embedded_xml"
    result["pages"] = len(doc.pages)
    result["warnings"] = reading.warnings + _page_disagreements(result, doc, visual)
    result["validation"] = run_checks(result)
    # the page shows where the XML's values are printed where the visual reading found the same value
    result["fields"] = {
        k: {**v, "confidence": 1.0}
        for k, v in (visual.get("fields") or {}).items()
        if result.get(k) is not None and result.get(k) == visual.get(k)
    }
    return result


def not_an_invoice(doc: Document, detected: str) -> dict[str, Any]:
    """The answer for a document sent as an invoice that reads as something else (a bank statement):
    the invoice shape with nothing filled in and a warning that says why, never invented fields."""
    empty_party: dict[str, Any] = {"name": None, "address": None, "tax_id": None}
    result: dict[str, Any] = {
        "document_type": "invoice",
        "invoice_number": None,
        "invoice_date": None,
        "due_date": None,
        "purchase_order": None,
        "currency": None,
        "vendor": {**empty_party, "email": None, "phone": None, "iban": None, "bic": None},
        "customer": dict(empty_party),
        "line_items": [],
        "taxes": [],
        "subtotal": None,
        "tax_total": None,
        "total": None,
        "amount_due": None,
        "payment_terms": None,
        "source": "visual",
        "pages": len(doc.pages),
        "warnings": [
            f"the document was sent as an invoice but reads as a {detected.replace('_', ' ')}: "
            "no invoice fields were extracted (send it as that type, or with the type detected automatically)"
        ],
        "fields": {},
    }
    result["validation"] = run_checks(result)
    return result
