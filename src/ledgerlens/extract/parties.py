"""Vendor (issuer) and customer (bill-to) of an invoice: names, addresses and contact details.

The customer is the block under a bill-to label, or the address window of a letter (the block under
the sender's one-line return address). The vendor is the block under a seller label, else the
sender's return line, the letterhead (a company name at the top, usually with a legal form such as
GmbH or Ltd) or the footer; its VAT id, IBAN, e-mail and phone are taken from anywhere on the page
that is not the customer's block.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from ledgerlens.documents.model import Word
from ledgerlens.extract.accounts import find_bics, find_ibans
from ledgerlens.extract.labels import FIELD_RX, MONEY_RX, PageLines, fold
from ledgerlens.extract.taxids import find_tax_ids, valid_vat

_CUSTOMER_LABEL = re.compile(
    r"(?<![a-z])(bill(?:ed)?\s+to|invoice\s+to|invoiced\s+to|sold\s+to|customer(?:\s+address)?|buyer(?:\s+\(bill\s+to\))?|"
    r"billing\s+address|rechnungsempfanger|rechnungsadresse|leistungsempfanger|kaufer(?:/leistungsempfanger)?|"
    r"kunde|empfanger|facture\s+a|facturer\s+a|adresse\s+de\s+facturation|client|destinataire|facturar\s+a|"
    r"cliente|datos\s+del\s+cliente|factuuradres|klant|afnemer|destinatario|intestatario|spett(?:\.|abile)|"
    r"(?:ship|deliver)\s+to|delivery\s+address|shipping\s+address|afleveradres|lieferadresse|lieferanschrift|"
    r"adresse\s+de\s+livraison|direccion\s+de\s+entrega|indirizzo\s+di\s+consegna)\s*:?(?![a-z'’])"
)
_VENDOR_LABEL = re.compile(
    r"(?<![a-z])(from|seller|sold\s+by|supplier|vendor|issuer|issued\s+by|service\s+provider|supplied\s+by|verkaufer|rechnungsersteller|"
    r"rechnungssteller|lieferant|absender|emetteur|vendeur|fournisseur|proveedor|emisor|vendedor|leverancier|"
    r"verkoper|fornitore|cedente|mittente)\s*:?(?![a-z'’])"
)
_PAYEE_LABEL = re.compile(
    r"(?<![a-z])(titulaire\s+du\s+compte|account\s+holder|account\s+name|beneficiary|payee(?=\s*:)|payable\s+to|"
    r"in\s+fav(?:ou|o)r\s+of|kontoinhaber|begunstigter|rekeninghouder|ten\s+name\s+van|intestato\s+a|"
    r"beneficiario|titular(?:\s+de\s+la\s+cuenta)?)\s*:?(?![a-z])"
)
_TRAILING_POSTCODE = re.compile(
    r"^[A-Za-zÀ-ÿ .'-]+,?\s+(?:[A-Z]{2,3}\s+)?\d{4,6}(?:-\d{4})?$|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$"
)
_COURTESY = re.compile(
    r"^(?:spett\.?(?:le|abile)?|egr\.?(?:egio)?|gent\.?(?:mo|ma|ile)?|att(?:n|ention)?\.?:?|a\.?c\.?)\s*",
    re.I,
)
_SALUTATION = re.compile(
    r"^(?:herrn?|frau|firma|mr|mrs|ms|messrs|m\.|mme|mlle|sr\.?|sra\.?|dhr\.?|mevr\.?|sig\.?(?:ra)?)\.?$"
)
_LEGAL = re.compile(
    r"(?<![A-Za-z])(GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|e\.?\s?K\.?|e\.?V\.?|a\.G\.|UG|Ltd\.?|Limited|LLC|L\.L\.C\.|"
    r"Inc\.?|Corp\.?|Corporation|PLC|plc|LLP|Pty\.?\s*Ltd\.?|Pvt\.?\s*Ltd\.?|Private\s+Limited|B\.?V\.?|N\.?V\.?|"
    r"S\.?A\.?S?\.?|SARL|S\.?à\s?r\.?l\.?|EURL|S\.?L\.?U?\.?|S\.?r\.?l\.?|S\.?p\.?A\.?|S\.?n\.?c\.?|Co\.|"
    r"Company|INC\.?|CORP\.?|LTD\.?|LIMITED|COMPANY|LLP|Oy|AB|A/S|ApS|sp\.\s?z\s?o\.?o\.?|Versicherungsverein|OG|e\.\s?U\.|SRL|S\.R\.L\.|DAC|"
    r"V\.?O\.?F\.?|BVBA|S\.a\.s\.|KGaA|GbR|Sagl|SE|CV|LP|PLLC|P\.C\.)(?![A-Za-z])"
)
_STREET = re.compile(
    r"(?:\d+[a-z]?\s*,?\s+[A-Za-zÀ-ÿ]|[A-Za-zÀ-ÿ.]{3,}\s+\d+[a-zA-Z]?(?:\s*[-/]\s*\d+[a-z]?)?\b|"
    r"\b(?:street|st\.|road|rd\.|avenue|ave\.?|lane|way|drive|dr\.?|straße|strasse|str\.|weg|platz|allee|gasse|"
    r"rue|avenue|boulevard|bd|chemin|calle|avenida|plaza|straat|laan|plein|gracht|via|viale|piazza|corso|"
    r"flat|suite|unit|floor|po\s+box|postfach)\b)",
    re.IGNORECASE,
)
_POSTCODE_CITY = re.compile(
    # 80333 München, 3012 CN Rotterdam
    r"(?:^|\s)(?:(?:[A-Z]{1,2})[-\s])?\d{4,6}(?:\s?[A-Z]{2})?\s+[A-Za-zÀ-ÿ]|"
    r"[A-Za-z .]+,?\s+[A-Z]{2,3}\s+\d{4,5}(?:-\d{4})?$|"  # Tampa FL 33623, NEW FARM QLD 4005
    r"[A-Z][A-Za-z ]+\s+\d{6}$|"  # BENGALURU 560011
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|"  # UK postcodes
    r"\b(?:Dublin|Cork)\s+\d{1,2}\b|"
    r"\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b"  # Irish Eircode
)
_CONTACT = re.compile(
    r"(?<![a-z])(tel|phone|telefon|telephone|fon|fax|mobile|mob|e-?mail|mail|www|http|web|vat|ust|btw|tva|iva|gst|"
    r"abn|iban|bic|swift|kvk|hrb|hra|siret|siren|rcs|registro|handelsregister|amtsgericht|steuer|tax|account|"
    r"konto|blz|bank|page|seite|invoice|rechnung|facture|factura|factuur|fattura|date|datum|gln|pan|cin|state|"
    r"steuernummer|steuer-?nr|st\.-?nr|gstin(?:/uin)?|ust-?id(?:nr)?|uid|siret|kvk-?nummer)"
    r"(?![a-z])",
)
_COUNTRIES: dict[str, str] = {
    "deutschland": "DE", "germany": "DE", "allemagne": "DE", "alemania": "DE", "duitsland": "DE",
        "germania": "DE",
    "osterreich": "AT", "austria": "AT", "autriche": "AT", "schweiz": "CH", "switzerland": "CH",
        "suisse": "CH",
    "france": "FR", "frankreich": "FR", "francia": "FR", "frankrijk": "FR", "nederland": "NL",
        "netherlands": "NL",
    "the netherlands": "NL", "niederlande": "NL", "pays-bas": "NL", "paises bajos": "NL", "paesi bassi": "NL",
    "belgique": "BE", "belgie": "BE", "belgium": "BE", "belgien": "BE", "espana": "ES", "spain": "ES",
    "spanien": "ES", "espagne": "ES", "italia": "IT", "italy": "IT", "italien": "IT", "italie": "IT",
    "luxembourg": "LU", "luxemburg": "LU", "ireland": "IE", "irland": "IE", "united kingdom": "GB",
        "uk": "GB",
    "great britain": "GB", "england": "GB", "united states": "US", "usa": "US",
        "united states of america": "US",
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
COUNTRY_AS_CODE = True
"""Printed country names become ISO codes ("Deutschland" -> "DE"), the corpus address convention."""
_ID_LINE = re.compile(
    r"^(?:(?:gln|iln|globale\s+nummer|nummer|number|nr|no|lief|kd|kunden|customer\s+(?:no|id)|id|ust|vat|gstin|pan)"
    r"\b[^a-z]*\d|(?:nummer|number)\s*:?$)"
)
_RETURN_SEP = re.compile(r"\s(?:[●•·|∙]|-|–)\s")
_TITLE_ONLY = re.compile(
    r"^(?:tax\s+)?(?:invoice|rechnung|facture|factura|factuur|fattura|receipt|credit\s+note|gutschrift|bill|"
    r"original|copy|kopie|page.*|retail\s+invoices?/bill|tax\s+invoice.*)\.?$"
)


@dataclass(slots=True)
class Cell:
    """A run of words on one line between wide gaps: one column's text on that line."""

    page: int
    words: list[Word]
    x0: float
    x1: float
    y0: float
    y1: float
    text: str
    vx0: float = -1.0

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def value_x0(self) -> float:
        """Where the value starts in a form cell (`Anschrift: Gartenweg 96`), else the cell's left edge."""
        return self.vx0 if self.vx0 >= 0 else self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Block:
    """Cells stacked in one column with line spacing between them (an address block, a label's value)."""

    cells: list[Cell] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


_ISO_CODES = frozenset(
    [
        "DE",
        "AT",
        "CH",
        "FR",
        "NL",
        "BE",
        "ES",
        "IT",
        "LU",
        "IE",
        "GB",
        "US",
        "PT",
        "PL",
        "DK",
        "SE",
        "NO",
        "FI",
        "CZ",
        "SK",
        "HU",
        "SI",
        "HR",
        "RO",
        "BG",
        "GR",
        "CY",
        "MT",
        "EE",
        "LV",
        "LT",
        "CA",
        "AU",
        "NZ",
        "IN",
        "SG",
        "HK",
        "JP",
        "CN",
    ]
)
_ATTN_LINE = re.compile(
    r"^(?:attn\.?|attention|z\.\s?hd\.?|zu\s+handen|a/a|t\.\s?a\.\s?v\.?|ter\s+attentie|"
    r"a\s+l.attention|all.attenzione|c\.a\.|contact(?:\s+person)?:|ansprechpartner|kontakt:)(?![a-z])",
    re.I,
)
_TAGLINE = re.compile(
    r"(?<![a-z])(?:since|seit|depuis|dal|desde|sinds|est\.|established|gegrundet|fondee?|fondata|"
    r"quality|qualitat|qualite|qualita|kwaliteit|calidad)(?![a-z])"
)


def _country_code(text: str) -> str | None:
    if text.strip(" ,.") in _ISO_CODES:
        return text.strip(" ,.")
    t = fold(text).strip(" ,.")
    if t in _COUNTRIES:
        return _COUNTRIES[t]
    parts = [p.strip() for p in re.split(r"[/,]", t) if p.strip()]
    if parts and all(p in _COUNTRIES for p in parts):
        return _COUNTRIES[parts[0]]
    return None


def _cells(pl: PageLines) -> list[Cell]:
    """Cells of a page, built from its words with a stricter line test than body text needs.

    A big letterhead name next to two small address lines must not become one line, so words only
    share a line when they overlap vertically by most of their height and have similar sizes.
    """
    words = sorted((w for tl in pl.lines for w in tl.words), key=lambda w: (w.cy, w.x0))
    rows: list[list[Word]] = []
    for w in words:
        placed = False
        for row in reversed(rows[-4:]):
            ref = row[0]
            inter = min(ref.y1, w.y1) - max(ref.y0, w.y0)
            small, big = sorted((max(ref.height, 1e-6), max(w.height, 1e-6)))
            punct = not any(ch.isalnum() for ch in w.text)
            # OCR boxes vary with ascenders and descenders; only text-layer sizes are exact
            limit = 1.35 if w.source == "text_layer" and ref.source == "text_layer" else 1.8
            if inter >= 0.6 * small and (big / small < limit or punct):
                row.append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
    out: list[Cell] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        run: list[Word] = []
        for w in row:
            if run and w.x0 - run[-1].x1 > max(0.03, 2.2 * w.height):
                out.append(_cell(pl.number, run))
                run = []
            run.append(w)
        if run:
            out.append(_cell(pl.number, run))
    return _merge_form_cells(out)


_LABEL_WORD = re.compile(r"^[^\W\d][\w.\-/()'’]*:$")


def _merge_form_cells(cells: list[Cell]) -> list[Cell]:
    """A form prints `Name:` and its value in two columns: one cell, the value's left edge kept."""
    out: list[Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.page == c.page
            and len(prev.words) <= 4
            and prev.text.endswith(":")
            and _LABEL_WORD.match(prev.words[-1].text)
            and abs(prev.y0 - c.y0) < 0.6 * max(prev.height, 0.006)
            and 0 < c.x0 - prev.x1 < 0.2
            and not c.text.endswith(":")
        ):
            merged = _cell(c.page, [*prev.words, *c.words])
            merged.vx0 = c.x0
            out[-1] = merged
            continue
        out.append(c)
    for c in out:
        if c.vx0 < 0:
            for k, w in enumerate(c.words[:4]):
                if _LABEL_WORD.match(w.text) and k + 1 < len(c.words):
                    c.vx0 = c.words[k + 1].x0
                    break
    return out


def _cell(page: int, run: list[Word]) -> Cell:
    return Cell(
        page,
        list(run),
        min(w.x0 for w in run),
        max(w.x1 for w in run),
        min(w.y0 for w in run),
        max(w.y1 for w in run),
        _run_text(run),
    )


def _run_text(run: list[Word]) -> str:
    """Words joined by spaces; a letter-spaced heading (`B L U E  R I D G E`) read back by its gaps."""
    singles = sum(1 for w in run if len(w.text) == 1)
    if len(run) < 4 or singles < 0.8 * len(run):
        return " ".join(w.text for w in run)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(run)]
    small = sorted(gaps)[len(gaps) // 3]
    out = run[0].text
    for g, w in zip(gaps, run[1:], strict=True):
        out += (" " if g > 1.6 * small + 0.002 else "") + w.text
    return out


def _blocks(pl: PageLines) -> list[Block]:
    """Cells grouped into column blocks: same left edge, consecutive lines, no paragraph gap."""
    blocks: list[Block] = []
    for c in sorted(_cells(pl), key=lambda c: (c.y0, c.x0)):
        target = None
        for b in blocks:
            last = b.cells[-1]
            if c.y0 < last.y1 - 0.002:
                continue
            gap = c.y0 - last.y1
            h = max(last.height, c.height, 0.008)
            aligned = abs(c.x0 - last.x0) <= 0.01 or (
                last.vx0 >= 0 and abs(c.x0 - last.vx0) <= 0.01 and c.vx0 < 0
            )
            if _SALUTATION.match(fold(c.text.split()[0])) and gap > 0.8 * h:
                continue  # "Herrn" / "Mr" starts an addressee block
            if _CUSTOMER_LABEL.match(c.folded) or _VENDOR_LABEL.match(c.folded):
                continue  # a party label starts its own block
            near = (
                abs(c.x0 - last.x0) <= 0.03
                or (last.vx0 >= 0 and abs(c.x0 - last.vx0) <= 0.03)
                or any(abs(c.x0 - o.x0) <= 0.005 for o in b.cells[-4:])
            )
            spacing = [b.cells[k + 1].y0 - b.cells[k].y1 for k in range(len(b.cells) - 1)]
            typical = sorted(spacing)[len(spacing) // 2] if len(spacing) >= 2 else None
            # a gap far wider than the block's own line spacing starts a new block (sender, then addressee)
            spaced = typical is not None and gap > max(1.3 * h, 3 * max(typical, 0.0) + 0.5 * h)
            if (near and gap <= 1.3 * h) or (aligned and gap <= 3.5 * h and not spaced):
                target = b
        if target is not None:
            target.cells.append(c)
        else:
            blocks.append(Block([c]))
    return blocks


_FORM_NAME = re.compile(
    r"^(?:(?:company|business|legal|trading|firmen|bedrijfs)?\s*name|naam|nom|nombre|nome|denominazione|"
    r"denominacion(?:\s+social)?|razon\s+social|raison\s+sociale|ragione\s+sociale|firma|societe|empresa|"
    r"azienda|bedrijf|company)$"
)
_FORM_ADDR = re.compile(
    r"^(?:(?:postal\s+|street\s+|billing\s+)?address|adresse|adres|anschrift|direccion|domicilio|indirizzo|"
    r"sede(?:\s+legale)?|strasse|street|rue|calle|via|straat)$"
)
_INNER_LABEL = re.compile(r"\s(?=[^\W\d][\w.\-/()'’]*(?:\s[\w.\-/()'’]+){0,2}:(?:\s|$))")
_LEAD_LABEL = re.compile(r"^([^\W\d][\w.\-/()'’]*(?:\s[\w.\-/()'’]+){0,2}):\s*")
_OTHER = "\x00"
"""Stands for a `Label: value` line that is neither name nor address (an id, a phone): not address."""


def _unform(texts: list[str]) -> list[str]:
    """Form lines (`Name: X`, `Anschrift: Y`, `GLN: 123`) as plain address lines.

    A name or address label is dropped and its value kept (a label alone takes the next line as its
    value); any other `Label: value` pair becomes a marker that ends the address; pairs printed on
    one line (`Vendor ID: 934515 Name: Red Rock Co.`) are split first. A block with a name label
    starts at that name.
    """
    pieces: list[str] = []
    for t in texts:
        first = _LEAD_LABEL.match(t)
        if first is None:
            pieces.append(t)
            continue
        # pairs after the first one on the line: `Vendor ID: 934515 Name: Red Rock Co.`
        head, tail = t[: first.end()], t[first.end() :]
        parts = [p.strip() for p in _INNER_LABEL.split(" " + tail) if p.strip()]
        pieces.append((head + parts[0]) if parts else head.strip())
        pieces.extend(parts[1:])
    out: list[str] = []
    name_at: int | None = None
    pending = False
    for p in pieces:
        m = _LEAD_LABEL.match(p)
        label = fold(m.group(1)).strip(" .") if m else ""
        if m and _COURTESY.match(p):
            out.append(p)
            continue
        if m and (_FORM_NAME.match(label) or _FORM_ADDR.match(label)):
            value = p[m.end() :].strip()
            if _FORM_NAME.match(label) and name_at is None:
                name_at = len(out)
            if value:
                out.append(value)
            pending = not value
            continue
        if m and (not _CUSTOMER_LABEL.match(label) and not _VENDOR_LABEL.match(label)):
            if not pending:
                out.append(_OTHER)
            continue
        pending = False
        out.append(p)
    if name_at is not None:
        out = out[name_at:]
    return out


_TITLE_PREFIX = re.compile(
    r"^(?:(?:commercial|tax|sales|proforma|pro-forma)\s+)?(?:invoice|handelsrechnung|rechnung|facture|factura|"
    r"factuur|fattura|credit\s+note|credit\s+memo|gutschrift|avoir)\s+(?=(?-i:[A-Z]))",
    re.IGNORECASE,
)


def _address_from(texts: list[str]) -> tuple[str | None, str | None]:
    """(name, "street, postcode city, CC") from a block's lines (name first)."""
    texts = _unform(texts)
    while texts and texts[0] == _OTHER:
        texts.pop(0)
    # contact persons and slogans are not part of an address
    texts = texts[:1] + [
        t for t in texts[1:] if not _ATTN_LINE.match(t.strip()) and not _TAGLINE.search(fold(t))
    ]
    lines = [_COURTESY.sub("", re.sub(r"\s+", " ", t)).strip(" ,") for t in texts]
    lines = [
        re.sub(r"\b(\d{4,5})(?=[A-ZÄÖÜ][a-zäöüß])", r"\1 ", t) for t in lines if t and not t.startswith("(")
    ]
    lines = [t for t in lines if not _TITLE_ONLY.match(fold(t))]
    while lines and (lines[0] == _OTHER or _ID_LINE.match(fold(lines[0]))):
        lines.pop(0)
    if not lines:
        return None, None
    name_parts = [lines[0]]
    rest = lines[1:]
    if rest and _SALUTATION.match(fold(lines[0])):
        name_parts.append(rest.pop(0))
    # a name printed over two lines ("MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.")
    while (
        rest
        and not _LEGAL.search(" ".join(name_parts))
        and _LEGAL.search(rest[0])
        and not _STREET.search(_LEGAL.sub("", rest[0]))
    ):
        name_parts.append(rest.pop(0))
    name = _TITLE_PREFIX.sub("", " ".join(name_parts)) or " ".join(name_parts)
    addr: list[str] = []
    country: str | None = None
    for t in rest:
        f = fold(t)
        if t == _OTHER:
            if addr:
                break
            continue
        if _CONTACT.search(f) or _EMAIL.search(t) or _ID_LINE.match(f):
            if addr:
                break
            continue
        cc = _country_code(t)
        if cc:
            country = cc if COUNTRY_AS_CODE else t
            break
        m = re.match(r"^([A-Z]{1,2})[-\s](\d{4,5}\s+.+)$", t)
        if m and m.group(1) in _CC_PREFIX:
            country = _CC_PREFIX[m.group(1)]
            addr.append(m.group(2))
            continue
        if re.search(r"\(?\d{3}\)?[\s-]\d{3}-\d{4}|@", t) or t.startswith("#"):
            break
        if (
            addr
            and _POSTCODE_CITY.search(addr[-1])
            and not re.fullmatch(r"[A-Z][A-Z ]{1,30}", t)
            and not _TRAILING_POSTCODE.search(t)
        ):
            break  # after "postcode city" only a region or country line belongs to the address
        if _STREET.search(t) or _POSTCODE_CITY.search(t) or addr:
            addr.append(t)
        elif re.fullmatch(
            r"(?:[A-ZÄÖÜ][a-zäöüßéèà'-]+\s){1,2}[A-ZÄÖÜ][a-zäöüßéèà'-]+", t
        ) and not _LEGAL.search(t):
            addr.append(t)  # a contact person printed between name and street ("Hans Muster")
        if len(addr) >= 5:
            break
    if country:
        addr.append(country)
    return (name or None), (", ".join(addr) if addr else None)


_CC_PREFIX = {
    "D": "DE", "DE": "DE", "A": "AT", "AT": "AT", "CH": "CH", "F": "FR", "FR": "FR", "NL": "NL", "B": "BE",
    "BE": "BE", "L": "LU", "LU": "LU", "I": "IT", "IT": "IT", "E": "ES", "ES": "ES",
}  # fmt: skip

_BILL_TO = re.compile(
    r"bill|invoice|rechnungsempf|rechnungsadr|factur|factuuradres|leistungsempf|kaufer|intestatario"
)


@dataclass(slots=True)
class PartyBlock:
    texts: list[str]
    cells: list[Cell]
    prio: int
    y: float


def _label_blocks(pages: list[PageLines], rx: re.Pattern[str], blocks: list[Block]) -> list[PartyBlock]:
    """Blocks that start with a party label: the label's value is the rest of its cell and the cells below."""
    out: list[PartyBlock] = []
    for b in blocks:
        for i, c in enumerate(b.cells):
            m = rx.search(c.folded)
            if not m or (m.start() > 1 and not re.fullmatch(r"[A-Z0-9 &./-]+", c.text[: m.start()].strip())):
                continue
            after = c.text[m.end() :].strip(" :")
            after = re.sub(r"^\([^)]{0,20}\)\s*:?\s*", "", after)  # "Bill To (Buyer):"
            after = re.sub(r"^/\s*[\w.]+\s*:?\s*", "", after)  # "Client / Klant:" (bilingual labels)
            if after and _LEGAL.fullmatch(after.strip()):
                continue  # "Lieferant GmbH": a company name that starts with a label word
            if after and any(ch.isdigit() for ch in after) and len(after.split()) <= 3:
                continue  # "UID Kunde: CHE-190.524.091 MWST", "Customer: 2": an id, not a party
            if re.match(r"^['’]\s*s\b", after) or re.match(r"^(?:no|nr|number|id|#)\b", fold(after)):
                continue  # "Buyer's Order No.", "Customer No": not a party label
            if after and (
                re.fullmatch(r"[\W\d]*", after)
                or (len(after.split()) == 1 and any(ch.isdigit() for ch in after))
            ):
                continue  # "Customer: 2": a number, not a party
            texts = ([after] if after else []) + [x.text for x in b.cells[i + 1 : i + 8]]
            cells = b.cells[i:]
            right = [
                o.cells[0] for o in blocks
                if o.cells[0].x0 > c.x1 and o.cells[0].x0 - c.x1 < 0.25
                and min(o.cells[0].y1, c.y1) - max(o.cells[0].y0, c.y0) > 0.5 * c.height
            ]  # fmt: skip
            next_is_label = len(b.cells) > i + 1 and _looks_like_label(b.cells[i + 1])
            if not after and (len(b.cells) == i + 1 or next_is_label) and right:
                # "Customer   Coastal Electrical Pty Ltd": the value is the next cell on the line
                nearest = min(right, key=lambda o: o.x0)
                if not _is_label_cell(nearest) and re.search(r"[A-Za-z]{3}", nearest.text):
                    texts, cells = [nearest.text], [c, nearest]
            if not texts:
                # the label stands alone: its value is the block right under it
                under = [
                    o for o in blocks
                    if 0 < o.cells[0].y0 - c.y1 < 4 * max(c.height, 0.008)
                    and abs(o.cells[0].x0 - c.x0) < 0.03
                ]  # fmt: skip
                if not under:
                    continue
                texts = under[0].texts[:8]
                cells = [c, *under[0].cells]
            label = m.group(1)
            ship = re.search(r"ship|deliver|liefer|livraison|aflever|entrega|consegna", label)
            prio = 3 if _BILL_TO.search(label) else (1 if ship else 2)
            out.append(PartyBlock(texts, cells, prio, c.y0))
            break
    return out


def _return_address(blocks: list[Block]) -> tuple[Block, int, list[str]] | None:
    """The sender's one-line return address over the address window: `Name ● Street ● 12345 City`."""
    for b in blocks:
        for k, c in enumerate(b.cells):
            if c.y0 > 0.45:
                break
            parts = [p.strip() for p in _RETURN_SEP.split(c.text) if p.strip()]
            if c.height >= 0.02 or not any(_POSTCODE_CITY.search(p) for p in parts[1:]):
                continue
            # two parts are enough when an address block follows right under it (OCR lost a separator)
            below = b.texts[k + 1 : k + 6]
            if len(parts) >= 3 or (len(parts) == 2 and any(_POSTCODE_CITY.search(t) for t in below)):
                return b, k, parts
    return None


def _has_address(b: Block) -> bool:
    return any(_POSTCODE_CITY.search(t) for t in b.texts[1:6])


def _is_label_cell(c: Cell) -> bool:
    f = c.folded
    return bool(
        _CUSTOMER_LABEL.match(f) or _VENDOR_LABEL.match(f) or _TITLE_ONLY.match(f) or _CONTACT.match(f)
    )


def _looks_like_label(c: Cell) -> bool:
    """A cell that names a field ("Invoice Number", "Amount Due"): a column of labels, not a party."""
    if _is_label_cell(c):
        return True
    f = c.folded
    return any(rx.match(f) for table in (FIELD_RX, MONEY_RX) for pats in table.values() for rx, _p in pats)


def _legal_name(text: str) -> str | None:
    """`Acme Widgets GmbH` out of a letterhead cell (title words and trailing text dropped)."""
    m = _LEGAL.search(text)
    if not m or re.match(r"\s*\d", text[m.end() :]):
        return None  # "NORWOOD SA 5067": a state and postcode, not "S.A."
    words = text[: m.start()].split()
    # the name is the run of capitalised words right before the legal form
    k = len(words)
    while k > 0 and (
        words[k - 1][:1].isupper() or words[k - 1][:1].isdigit() or words[k - 1] in ("&", "-", "+")
    ):
        k -= 1
        if len(words) - k >= 6:
            break
    name = _strip_title(" ".join([*words[k:], m.group(0)]))
    if not name or len(name.split()) < 2 or _CONTACT.search(fold(name)) or re.match(r"\d", name):
        return None
    return name


def _strip_title(seg: str) -> str:
    words = seg.split()
    while words and _TITLE_ONLY.match(fold(words[0])):
        words.pop(0)
    return " ".join(words).strip(" ,")


def _footer_name(pages: list[PageLines]) -> str | None:
    if not pages:
        return None
    for c in _cells(pages[0]):
        if c.y0 < 0.8:
            continue
        for part in re.split(r"\s[-–−|·•]\s", c.text):
            name = _legal_name(part.strip())
            if name and 1 <= len(name.split()) <= 6:
                return name
    return None


def _payee_name(pages: list[PageLines]) -> str | None:
    for pl in pages:
        for c in _cells(pl):
            m = _PAYEE_LABEL.search(c.folded)
            if m:
                after = c.text[m.end() :].strip(" :")
                after = re.split(r"\s[-–|,]\s|,", after)[0].strip()
                if after and re.search(r"[A-Za-z]{2}", after) and len(after.split()) <= 6:
                    return after
    return None


def _vendor_address_elsewhere(vname: str, blocks: list[Block]) -> str | None:
    """The vendor's address when it is not under the name in one column.

    Tried in order: lines centred or right-aligned under the letterhead name, a one-line address
    that starts with the name (`Name · Street · 12345 City` in a footer), a block that starts with it.
    """
    cells = sorted((c for b in blocks for c in b.cells), key=lambda c: (c.y0, c.x0))
    name = next((c for c in cells if c.text.startswith(vname)), None)
    if name is not None:
        centre, right = (name.x0 + name.x1) / 2, name.x1
        under: list[str] = []
        last = name
        for c in cells:
            if c.y0 <= last.y1 - 0.002 or c is name:
                continue
            if c.y0 - last.y1 > 2.5 * max(last.height, 0.008):
                break
            centred = abs((c.x0 + c.x1) / 2 - centre) < 0.03
            aligned = abs(c.x1 - right) < 0.02 or abs(c.x0 - name.x0) < 0.01
            if centred or aligned:
                under.extend(p.strip() for p in _RETURN_SEP.split(c.text) if p.strip())
                last = c
        if under:
            _n, addr = _address_from([vname, *under])
            if addr:
                return addr
    for c in cells:
        if c.text.startswith(vname):
            parts = [p.strip() for p in _RETURN_SEP.split(c.text[len(vname) :]) if p.strip()]
            if len(parts) >= 2 and any(_POSTCODE_CITY.search(p) for p in parts):
                _n, addr = _address_from([vname, *parts])
                if addr:
                    return addr
    for b in blocks:
        if b.cells[0].text.startswith(vname) and len(b.cells) > 1:
            _n, addr = _address_from(b.texts)
            if addr:
                return addr
    return None


_REMIT_LABEL = re.compile(
    r"(?<![a-z])(remit(?:tance)?\s+(?:to|address)|pay\s+to|payable\s+to|zahlungsempfanger|uberweisen\s+an|"
    r"a\s+l.ordre\s+de|a\s+favor\s+de|ten\s+gunste\s+van|intestat[oa]\s+a|beneficiario|beneficiary|"
    r"account\s+holder|account\s+name|kontoinhaber|titulaire\s+du\s+compte|rekeninghouder|titular)"
    r"\s*:?(?![a-z])"
)
_BANKISH = re.compile(r"(?<![a-z])(bank|sparkasse|banque|banco|banca|volksbank|raiffeisen)")


def _has_contact(cells: list[Cell]) -> bool:
    """The sender prints ways to reach it (e-mail, phone, web, bank); an addressee block does not."""
    return any(
        _EMAIL.search(c.text) or _PHONE.search(c.text) or re.search(r"(?<![a-z])(www|iban|http)", c.folded)
        for c in cells
    )


def _party_elsewhere(pages: list[PageLines]) -> tuple[str, str | None, list[Cell]] | None:
    """The issuer as printed away from the letterhead: a remit-to / payee block on any page, else a
    company name with its address in the footer (first page, then the last pages)."""
    for pl in pages:
        blocks = _blocks(pl)
        for b in blocks:
            for i, c in enumerate(b.cells):
                m = _REMIT_LABEL.search(c.folded)
                if not m:
                    continue
                after = c.text[m.end() :].strip(" :")
                after = re.split(r"\s[-–|·•]\s", after)[0].strip() if after else after
                texts = ([after] if after else []) + b.texts[i + 1 : i + 7]
                if not texts:
                    continue
                name, addr = _address_from(texts)
                if (
                    name
                    and re.search(r"[A-Za-z]{3}", name)
                    and not _BANKISH.search(fold(name))
                    and not any(rx.search(name) for rx in (_STREET, _POSTCODE_CITY))
                    and len(name.split()) <= 8
                ):
                    return name, addr, b.cells[i:]
    for pl in [pages[0], *reversed(pages[1:])]:
        for b in _blocks(pl):
            for i, c in enumerate(b.cells):
                if c.y0 < 0.78:
                    continue
                parts = [p.strip() for p in _RETURN_SEP.split(c.text) if p.strip()]
                name = _legal_name(parts[0]) if parts else None
                if not name or _BANKISH.search(fold(name)) or not parts[0].startswith(name):
                    continue
                tail = parts[0][len(name) :].strip(" ,")
                rest = ([tail] if tail else []) + parts[1:] if len(parts) >= 2 else b.texts[i + 1 : i + 5]
                _n, addr = _address_from([name, *rest])
                if addr:
                    return name, addr, b.cells[i:]
    return None


def _addr_key(a: str) -> str:
    return re.sub(r"\W", "", fold(a))


def _same_name(a: str, b: str) -> bool:
    return re.sub(r"\W", "", fold(a)) == re.sub(r"\W", "", fold(b))


def extract_parties(pages: list[PageLines]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(vendor, customer) dicts in RESULT_SCHEMA shape."""
    if not pages:
        empty: dict[str, Any] = {"name": None, "address": None, "tax_id": None}
        return {**empty, "email": None, "phone": None, "iban": None, "bic": None}, dict(empty)
    first = pages[0]
    blocks = _blocks(first)

    cust = sorted(_label_blocks(pages, _CUSTOMER_LABEL, blocks), key=lambda b: (-b.prio, b.y))
    customer_cells: list[Cell] = []
    cname = caddr = None
    if cust:
        cname, caddr = _address_from(cust[0].texts)
        customer_cells = cust[0].cells
    ret = _return_address(blocks)
    if cname is None and ret is not None:
        rblock, k, _parts = ret
        if len(rblock.cells) > k + 1:
            cname, caddr = _address_from(rblock.texts[k + 1 :])
            customer_cells = rblock.cells[k + 1 :]
        else:
            rc = rblock.cells[k]
            below = [
                b for b in blocks if 0 < b.cells[0].y0 - rc.y1 < 0.06 and abs(b.cells[0].x0 - rc.x0) < 0.08
            ]
            if below:
                cname, caddr = _address_from(below[0].texts)
                customer_cells = below[0].cells
    vendor_lab = sorted(_label_blocks(pages, _VENDOR_LABEL, blocks), key=lambda b: b.y)
    vname = vaddr = None
    vendor_cells: list[Cell] = []
    if vendor_lab:
        vname, vaddr = _address_from(vendor_lab[0].texts)
        vendor_cells = vendor_lab[0].cells
    if vname is None and ret is not None:
        parts = list(ret[2])
        rc = ret[0].cells[ret[1]]
        if re.search(r"\d", parts[0]) and _STREET.search(parts[0]) and not _legal_name(parts[0]):
            # `Street 12 · 12345 City` under a logo-like heading: the name is the heading above it
            above = [
                c for b in blocks for c in b.cells
                if 0 <= rc.y0 - c.y1 < 0.07 and re.search(r"[A-Za-z]{3}", c.text)
                and not _looks_like_label(c) and not _STREET.search(c.text)
            ]  # fmt: skip
            if above:
                named = [c for c in above if _legal_name(c.text)]
                head = max(named or above, key=lambda c: (c.height, c.y1))
                parts.insert(0, head.text)
        vname = parts[0]
        legal = _legal_name(parts[0])
        if legal and parts[0].startswith(legal) and len(parts[0]) > len(legal) + 2:
            # "Acme GmbH Hauptstraße 45 - 12345 Stadt": a separator lost between name and street
            vname = legal
            parts.insert(1, parts[0][len(legal) :].strip(" ,-"))
        street = next((p for p in parts[1:] if _STREET.search(p) and not _POSTCODE_CITY.search(p)), None)
        city = next((p for p in parts[1:] if _POSTCODE_CITY.search(p)), None)
        cc = next((c for p in parts[1:] if (c := _country_code(p))), None)
        vaddr = ", ".join(x for x in (street, city, cc) if x) or None

    cust_ids = {id(c) for c in customer_cells}
    top = [
        Block([c for c in b.cells if id(c) not in cust_ids])
        for b in blocks
        if b.cells[0].y0 < 0.3 and id(b.cells[0]) not in cust_ids
    ]
    if vname is None:
        for b in top:
            if cname and any(cname in cell.text for cell in b.cells[:3]):
                continue  # the customer's own address block
            for k, cell in enumerate(b.cells[:10]):
                name = _legal_name(cell.text)
                if name and name != cname:
                    if (
                        k > 0
                        and not _LEGAL.search(b.cells[k - 1].text)
                        and not _is_label_cell(b.cells[k - 1])
                    ):
                        k -= 1  # the name's first line is printed above it
                    vname, vaddr = _address_from(b.texts[k:])
                    vendor_cells = b.cells
                    break
            if vname:
                break
    if vname is None:
        vname = _payee_name(pages) or _footer_name(pages)
    if vname is None:
        cands = [
            b for b in top
            if re.search(r"[A-Za-z]{3}", b.cells[0].text) and not _is_label_cell(b.cells[0])
            and not re.search(r"\d{3}", b.cells[0].text) and b.cells[0].text != cname
        ]  # fmt: skip
        if cands:
            b = max(cands, key=lambda b: (round(b.cells[0].height, 3), -b.cells[0].y0))
            vname, vaddr = _address_from(b.texts)
            vendor_cells = b.cells
    if not vendor_lab and ret is None:
        alt = _party_elsewhere(pages)
        if alt is not None and (vname is None or not _same_name(vname, alt[0])):
            if vname is not None and not cust and not _has_contact(vendor_cells):
                # the block taken for the letterhead is the addressee: the issuer signs in the footer
                cname, caddr, customer_cells = vname, vaddr, vendor_cells
                vname = None
            if vname is None:
                vname, vaddr, vendor_cells = alt
    if vname is not None and vaddr is None:
        vaddr = _vendor_address_elsewhere(vname, blocks)
    elif vname is not None and vaddr is not None and ret is not None:
        # the return line is an abbreviation of the letterhead: the letterhead's address is fuller
        fuller = _vendor_address_elsewhere(vname, blocks)
        if (
            fuller
            and len(_addr_key(fuller)) > len(_addr_key(vaddr))
            and all(_addr_key(p) in _addr_key(fuller) for p in vaddr.split(","))
        ):
            vaddr = fuller
    if customer_cells == [] and vname is not None:
        # an address window without a label: the first address block on page 1 that is not the vendor's
        vids = {id(c) for c in vendor_cells}
        for b in blocks:
            if b.cells[0].y0 > 0.45 or any(id(c) in vids for c in b.cells) or vname in b.cells[0].text:
                continue
            if _has_address(b) and not _is_label_cell(b.cells[0]):
                cname, caddr = _address_from(b.texts)
                customer_cells = b.cells
                break
    if cname and caddr is None:
        # the name came with a label elsewhere (a payment slip): its address block is on the page
        for b in blocks:
            idx = next((i for i, c in enumerate(b.cells) if c.text == cname), None)
            if idx is not None and len(b.cells) > idx + 1:
                _n, caddr = _address_from(b.texts[idx:])
                if caddr:
                    break
    customer: dict[str, Any] = {"name": cname, "address": caddr, "tax_id": None}
    cust_words = {id(w) for c in customer_cells for w in c.words}

    # ids and contacts: anywhere outside the customer's block
    texts: list[str] = []
    for pl in pages:
        for tl in pl.lines:
            kept = [w.text for w in tl.words if id(w) not in cust_words]
            if kept:
                texts.append(" ".join(kept))
    text = "\n".join(texts)
    tax_id = None
    for t in find_tax_ids(text):
        before = fold(text[max(0, t.start - 14) : t.start])
        if re.search(r"(ihre|your|uw|votre|su|vostra|customer|client|kunde|buyer|klant)\W*$", before):
            continue
        rank = (2 + valid_vat(t.value)) if t.kind == "vat" else (1 if t.label else 0)
        if tax_id is None or rank > tax_id[1]:
            tax_id = (t.value, rank)
    if vendor_cells:
        # an id printed in the vendor's own block is the vendor's
        own = find_tax_ids("\n".join(c.text for c in vendor_cells))
        if own and own[0].kind in ("vat", "gstin", "abn", "ein"):
            tax_id = (own[0].value, 4)
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
    if customer_cells:
        ctext = "\n".join(c.text for c in customer_cells)
        cids = find_tax_ids(ctext)
        customer["tax_id"] = cids[0].value if cids else None
    return vendor, customer
