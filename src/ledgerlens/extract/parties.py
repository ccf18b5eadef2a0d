"""Vendor (issuer) and customer (bill-to) of an invoice: names, addresses and contact details.

The customer is the block under a bill-to label, or the address window of a letter (the block under
the sender's one-line return address). The vendor is the block under a seller label, else the
sender's return line, the letterhead (a company name at the top, usually with a legal form such as
GmbH or Ltd) or the footer; its VAT id, IBAN, e-mail and phone are taken from anywhere on the page
that is not the customer's block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ledgerlens.extract.accounts import find_bics, find_ibans
from ledgerlens.extract.labels import PageLines, TextLine, fold
from ledgerlens.extract.taxids import find_tax_ids

_CUSTOMER_LABEL = re.compile(
    r"(?<![a-z])(bill(?:ed)?\s+to|invoice\s+to|invoiced\s+to|sold\s+to|customer(?:\s+address)?|buyer(?:\s+\(bill\s+to\))?|"
    r"billing\s+address|rechnungsempfanger|rechnungsadresse|leistungsempfanger|kaufer(?:/leistungsempfanger)?|"
    r"kunde|empfanger|facture\s+a|facturer\s+a|adresse\s+de\s+facturation|client|destinataire|facturar\s+a|"
    r"cliente|datos\s+del\s+cliente|factuuradres|klant|afnemer|destinatario|intestatario|spett(?:\.|abile)|"
    r"to)\s*:?(?![a-z])"
)
_VENDOR_LABEL = re.compile(
    r"(?<![a-z])(from|seller|sold\s+by|supplier|vendor|issuer|issued\s+by|verkaufer|rechnungsersteller|"
    r"rechnungssteller|lieferant|absender|emetteur|vendeur|fournisseur|proveedor|emisor|vendedor|leverancier|"
    r"verkoper|fornitore|cedente|mittente)\s*:?(?![a-z])"
)
_LEGAL = re.compile(
    r"(?<![A-Za-z])(GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|e\.?\s?K\.?|e\.?V\.?|a\.G\.|UG|Ltd\.?|Limited|LLC|L\.L\.C\.|"
    r"Inc\.?|Corp\.?|Corporation|PLC|plc|LLP|Pty\.?\s*Ltd\.?|Pvt\.?\s*Ltd\.?|Private\s+Limited|B\.?V\.?|N\.?V\.?|"
    r"S\.?A\.?S?\.?|SARL|S\.?à\s?r\.?l\.?|EURL|S\.?L\.?U?\.?|S\.?r\.?l\.?|S\.?p\.?A\.?|S\.?n\.?c\.?|Co\.|"
    r"Company|Oy|AB|A/S|ApS|sp\.\s?z\s?o\.?o\.?|Versicherungsverein)(?![A-Za-z])"
)
_STREET = re.compile(
    r"(?:\d+[a-z]?\s*,?\s+[A-Za-zÀ-ÿ]|[A-Za-zÀ-ÿ.]{3,}\s+\d+[a-zA-Z]?(?:\s*[-/]\s*\d+[a-z]?)?\b|"
    r"\b(?:street|st\.|road|rd\.|avenue|ave\.?|lane|way|drive|dr\.?|straße|strasse|str\.|weg|platz|allee|gasse|"
    r"rue|avenue|boulevard|bd|chemin|calle|avenida|plaza|straat|laan|plein|gracht|via|viale|piazza|corso|"
    r"flat|suite|unit|floor|po\s+box|postfach)\b)",
    re.IGNORECASE,
)
_POSTCODE_CITY = re.compile(
    r"(?:^|\s)(?:(?:[A-Z]{1,2})[-\s])?\d{4,6}(?:\s?[A-Z]{2})?\s+[A-Za-zÀ-ÿ]|"  # 80333 München, 3012 CN Rotterdam
    r"[A-Za-z .]+,?\s+[A-Z]{2,3}\s+\d{4,5}(?:-\d{4})?$|"  # Tampa FL 33623, NEW FARM QLD 4005
    r"[A-Z][A-Za-z ]+\s+\d{6}$|"  # BENGALURU 560011
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|"  # UK postcodes
    r"\b(?:Dublin|Cork)\s+\d{1,2}\b"
)
_CONTACT = re.compile(
    r"(?<![a-z])(tel|phone|telefon|telephone|fon|fax|mobile|mob|e-?mail|mail|www|http|web|vat|ust|btw|tva|iva|gst|"
    r"abn|iban|bic|swift|kvk|hrb|hra|siret|siren|rcs|registro|handelsregister|amtsgericht|steuer|tax|account|"
    r"konto|blz|bank|page|seite|invoice|rechnung|facture|factura|factuur|fattura|date|datum|gln|pan|cin|state)"
    r"(?![a-z])",
)
_COUNTRIES: dict[str, str] = {
    "deutschland": "DE", "germany": "DE", "allemagne": "DE", "alemania": "DE", "duitsland": "DE", "germania": "DE",
    "osterreich": "AT", "austria": "AT", "autriche": "AT", "schweiz": "CH", "switzerland": "CH", "suisse": "CH",
    "france": "FR", "frankreich": "FR", "francia": "FR", "frankrijk": "FR", "nederland": "NL", "netherlands": "NL",
    "the netherlands": "NL", "niederlande": "NL", "pays-bas": "NL", "paises bajos": "NL", "paesi bassi": "NL",
    "belgique": "BE", "belgie": "BE", "belgium": "BE", "belgien": "BE", "espana": "ES", "spain": "ES",
    "spanien": "ES", "espagne": "ES", "italia": "IT", "italy": "IT", "italien": "IT", "italie": "IT",
    "luxembourg": "LU", "luxemburg": "LU", "ireland": "IE", "irland": "IE", "united kingdom": "GB", "uk": "GB",
    "great britain": "GB", "england": "GB", "united states": "US", "usa": "US", "united states of america": "US",
    "australia": "AU", "india": "IN", "portugal": "PT", "polska": "PL", "poland": "PL", "danmark": "DK",
    "denmark": "DK", "sverige": "SE", "sweden": "SE", "norway": "NO", "norge": "NO", "suomi": "FI",
    "finland": "FI", "hong kong": "HK", "canada": "CA", "new zealand": "NZ", "singapore": "SG",
    "deutschland / germany": "DE",
}  # fmt: skip
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![a-z])(?:tel(?:efon|ephone)?|phone|fon|ph|t|mob(?:ile)?|tél|telefono|teléfono)\.?\s*(?:no\.?)?\s*[:.]?\s*"
    r"(\+?\(?\d[\d\s()/.\-]{5,20}\d)",
    re.IGNORECASE,
)
_RETURN_SEP = re.compile(r"\s(?:[●•·|∙]|-|–)\s")
_TITLE_ONLY = re.compile(
    r"^(?:tax\s+)?(?:invoice|rechnung|facture|factura|factuur|fattura|receipt|credit\s+note|gutschrift|bill|"
    r"original|copy|kopie|page.*|retail\s+invoices?/bill|tax\s+invoice.*)\.?$"
)


@dataclass(slots=True)
class Block:
    lines: list[TextLine] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def _country_code(text: str) -> str | None:
    t = fold(text).strip(" ,.")
    if t in _COUNTRIES:
        return _COUNTRIES[t]
    parts = [p.strip() for p in re.split(r"[/,]", t) if p.strip()]
    if parts and all(p in _COUNTRIES for p in parts):
        return _COUNTRIES[parts[0]]
    return None


def _segment(tl: TextLine, x0: float, x1: float) -> str:
    """Text of the words of a line that lie within [x0, x1) (by their left edge)."""
    ws = [w for w in tl.words if x0 - 0.005 <= w.x0 < x1]
    return " ".join(w.text for w in ws)


def _column_block(lines: list[TextLine], start: int, x0: float, x1: float, max_lines: int = 7) -> Block:
    """Consecutive lines from `start` that have words in the column [x0, x1), stopping at a gap."""
    block = Block()
    prev_bottom: float | None = None
    for tl in lines[start : start + max_lines + 4]:
        seg = _segment(tl, x0, x1).strip()
        if not seg:
            if block.lines:
                break
            continue
        if prev_bottom is not None and tl.bbox[1] - prev_bottom > 1.6 * max(tl.height, 0.008):
            break
        block.lines.append(tl)
        block.texts.append(seg)
        prev_bottom = tl.bbox[3]
        if len(block.texts) >= max_lines:
            break
    return block


def _column_right(tl: TextLine, x0: float) -> float:
    """Where the column that starts at x0 ends on a line: at the next wide gap between words."""
    ws = [w for w in tl.words if w.x0 >= x0 - 0.005]
    if not ws:
        return 1.0
    end = ws[0].x1
    for w in ws[1:]:
        if w.x0 - end > 0.06:
            return w.x0 - 0.001
        end = w.x1
    return 1.0


def _address_from(texts: list[str]) -> tuple[str | None, str | None]:
    """(name, "street, postcode city, CC") from a block's lines (name first)."""
    lines = [re.sub(r"\s+", " ", t).strip(" ,") for t in texts if t.strip(" ,")]
    lines = [t for t in lines if not _TITLE_ONLY.match(fold(t))]
    if not lines:
        return None, None
    name_parts = [lines[0]]
    rest = lines[1:]
    # a name printed over two lines ("MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.")
    while (
        rest
        and not _LEGAL.search(" ".join(name_parts))
        and _LEGAL.search(rest[0])
        and not _STREET.search(
            rest[0].replace(_LEGAL.search(rest[0]).group(0), "")  # type: ignore[union-attr]
        )
    ):
        name_parts.append(rest.pop(0))
    name = " ".join(name_parts)
    addr: list[str] = []
    country: str | None = None
    seen_street = False
    for t in rest:
        f = fold(t)
        if _CONTACT.search(f) or _EMAIL.search(t):
            if seen_street or addr:
                break
            continue
        cc = _country_code(t)
        if cc:
            country = cc
            break
        m = re.match(r"^([A-Z]{1,2})[-\s](\d{4,5}\s+.+)$", t)
        if m and m.group(1) in (
            "D",
            "DE",
            "A",
            "AT",
            "CH",
            "F",
            "FR",
            "NL",
            "B",
            "BE",
            "L",
            "LU",
            "I",
            "IT",
            "E",
            "ES",
        ):
            cc_map = {"D": "DE", "A": "AT", "F": "FR", "B": "BE", "L": "LU", "I": "IT", "E": "ES"}
            country = cc_map.get(m.group(1), m.group(1))
            addr.append(m.group(2))
            seen_street = True
            continue
        if _STREET.search(t) or _POSTCODE_CITY.search(t) or addr:
            addr.append(t)
            seen_street = True
            if _POSTCODE_CITY.search(t) and len(addr) >= 2:
                continue
        elif not addr:
            # a contact person or department line between name and street
            continue
        if len(addr) >= 4:
            break
    if country:
        addr.append(country)
    return (name or None), (", ".join(addr) if addr else None)


def _find_label_block(pages: list[PageLines], rx: re.Pattern[str], max_y: float = 0.75) -> Block | None:
    for pl in pages[:1]:
        for tl in pl.lines:
            if tl.bbox[1] > max_y:
                break
            m = rx.search(tl.folded)
            if not m:
                continue
            # the label must start its column: nothing but the label in that cell
            x0 = tl.x_at(m.start())
            after = tl.text[m.end() :].strip(" :")
            cell_after = ""
            if after:
                idx = tl.word_at(m.end())
                nxt = [w for w in tl.words[idx:] if w.x0 >= tl.x_at(m.end()) - 0.002]
                if nxt and nxt[0].x0 - tl.x_at(m.end()) < 0.05:
                    cell_after = " ".join(w.text for w in nxt if w.x0 < _column_right(tl, nxt[0].x0))
            if m.group(1).strip() == "to" and m.start() > 0:
                continue
            x1 = _column_right(tl, x0)
            start = tl.index + 1
            block = _column_block(pl.lines, start, x0 - 0.02, max(x1, x0 + 0.2))
            if cell_after and not re.fullmatch(r"[\W\d]*", cell_after):
                block.texts.insert(0, cell_after)
                block.lines.insert(0, tl)
            if block.texts:
                return block
    return None


def _return_address(pages: list[PageLines]) -> tuple[TextLine, list[str]] | None:
    """The sender's one-line return address over the address window: `Name ● Street ● 12345 City`."""
    if not pages:
        return None
    for tl in pages[0].lines:
        if tl.bbox[1] > 0.45:
            break
        parts = [p.strip() for p in _RETURN_SEP.split(tl.text) if p.strip()]
        if len(parts) >= 3 and any(_POSTCODE_CITY.search(p) for p in parts) and tl.height < 0.02:
            return tl, parts
    return None


def _letterhead_name(pages: list[PageLines], exclude: set[int]) -> str | None:
    """A company name in the top part of page 1 (legal form preferred, else the largest text)."""
    if not pages:
        return None
    top = [tl for tl in pages[0].lines if tl.bbox[1] < 0.3 and tl.index not in exclude]
    for tl in top:
        for seg in _segments(tl):
            if _LEGAL.search(seg) and not _CONTACT.search(fold(seg)) and len(seg) < 70:
                return _strip_title(seg)
    cands = [tl for tl in top if re.search(r"[A-Za-z]{3}", tl.text) and not _TITLE_ONLY.match(fold(tl.text))]
    cands = [tl for tl in cands if not _CONTACT.search(tl.folded) and not re.search(r"\d{3}", tl.text)]
    if not cands:
        return None
    biggest = max(cands, key=lambda t: t.height)
    return _strip_title(_segments(biggest)[0])


def _footer_name(pages: list[PageLines]) -> str | None:
    for pl in pages[:1]:
        for tl in pl.lines:
            if tl.bbox[1] < 0.85:
                continue
            for seg in _segments(tl):
                m = _LEGAL.search(seg)
                if m and m.start() > 0:
                    name = seg[: m.end()].strip()
                    words = name.split()
                    if 1 < len(words) <= 6:
                        return name
    return None


def _segments(tl: TextLine) -> list[str]:
    """A line split at wide gaps (columns)."""
    segs: list[list[str]] = [[]]
    prev = None
    for w in tl.words:
        if prev is not None and w.x0 - prev > 0.04:
            segs.append([])
        segs[-1].append(w.text)
        prev = w.x1
    return [" ".join(s) for s in segs if s]


def _strip_title(seg: str) -> str:
    words = seg.split()
    while words and _TITLE_ONLY.match(fold(words[0])):
        words.pop(0)
    return " ".join(words).strip(" ,")


def _customer_lines(block: Block | None) -> set[tuple[int, int]]:
    if block is None:
        return set()
    return {(tl.page, tl.index) for tl in block.lines}


def extract_parties(pages: list[PageLines]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(vendor, customer) dicts in RESULT_SCHEMA shape."""
    customer_block = _find_label_block(pages, _CUSTOMER_LABEL)
    ret = _return_address(pages)
    if customer_block is None and ret is not None:
        tl, _parts = ret
        customer_block = _column_block(
            pages[0].lines, tl.index + 1, tl.bbox[0] - 0.02, _column_right(tl, tl.bbox[0])
        )
    cname, caddr = _address_from(customer_block.texts) if customer_block else (None, None)
    customer: dict[str, Any] = {"name": cname, "address": caddr, "tax_id": None}

    vendor_block = _find_label_block(pages, _VENDOR_LABEL)
    vname: str | None = None
    vaddr: str | None = None
    if vendor_block is not None:
        vname, vaddr = _address_from(vendor_block.texts)
    if vname is None and ret is not None:
        parts = ret[1]
        vname = parts[0]
        street = next((p for p in parts[1:] if _STREET.search(p)), None)
        city = next((p for p in parts[1:] if _POSTCODE_CITY.search(p)), None)
        cc = next((c for p in parts[1:] if (c := _country_code(p))), None)
        vaddr = ", ".join(x for x in (street, city, cc) if x) or None
    excluded = _customer_lines(customer_block)
    if vname is None:
        vname = _letterhead_name(pages, {i for _p, i in excluded})
        if vname is not None and pages:
            # the letterhead block's address: lines right under the name in the same column
            for tl in pages[0].lines:
                if vname in tl.text and (tl.page, tl.index) not in excluded:
                    x0 = tl.x_at(tl.text.index(vname))
                    blk = _column_block(pages[0].lines, tl.index, x0 - 0.01, _column_right(tl, x0))
                    _n, vaddr = _address_from(blk.texts)
                    break
    if vname is None:
        vname = _footer_name(pages)

    # ids and contacts: anywhere outside the customer's block
    texts: list[str] = []
    for pl in pages:
        for tl in pl.lines:
            if (pl.number, tl.index) in excluded:
                continue
            texts.append(tl.text)
    text = "\n".join(texts)
    tax_id = None
    for t in find_tax_ids(text):
        before = fold(text[max(0, t.start - 14) : t.start])
        if re.search(r"(ihre|your|uw|votre|su|vostra|customer|client|kunde|buyer|klant)\W*$", before):
            continue
        if tax_id is None or (tax_id[1] != "vat" and t.kind == "vat"):
            tax_id = (t.value, t.kind)
    ibans = find_ibans(text)
    bics = find_bics(text)
    email = next((m.group(0) for m in _EMAIL.finditer(text)), None)
    phone_m = _PHONE.search(text)
    phone = re.sub(r"\s+", " ", phone_m.group(1)).strip() if phone_m else None
    vendor: dict[str, Any] = {
        "name": vname,
        "address": vaddr,
        "tax_id": tax_id[0] if tax_id else None,
        "email": email,
        "phone": phone,
        "iban": ibans[0] if ibans else None,
        "bic": bics[0] if bics else None,
    }
    if customer_block is not None:
        ctext = "\n".join(tl.text for tl in customer_block.lines)
        cids = find_tax_ids(ctext)
        customer["tax_id"] = cids[0].value if cids else None
    return vendor, customer
