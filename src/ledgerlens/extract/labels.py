"""Invoice labels in EN/DE/FR/ES/NL/IT and where they sit on the page.

An invoice is a set of label–value pairs laid out in two dimensions: the value follows its label on
the same line ("Invoice No: 42") or sits under it ("Invoice Date" over "03/20/2023"). Labels are
matched as patterns over an accent-folded copy of each line's text (same length as the original,
so a match maps back to words and x positions), which also catches labels glued to their value
("n°562044387") and labels split by odd kerning ("Rechnungs nr.").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from ledgerlens.documents.model import Document, Word
from ledgerlens.layout.lines import Line, group_lines


def fold_char(c: str) -> str:
    """One character, lower case and without accents; always exactly one character."""
    d = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in d if not unicodedata.combining(ch))
    base = base[:1] if base else c
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


@dataclass(slots=True)
class TextLine:
    """A line of words with its text, an accent-folded copy and each word's character offset."""

    line: Line
    index: int
    text: str
    folded: str
    starts: list[int]

    @property
    def words(self) -> list[Word]:
        return self.line.words

    @property
    def page(self) -> int:
        return self.line.page

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.line.bbox

    @property
    def height(self) -> float:
        return self.line.height

    def word_at(self, offset: int) -> int:
        """Index of the word containing (or starting after) character `offset`."""
        for i in range(len(self.starts) - 1, -1, -1):
            if self.starts[i] <= offset:
                return i
        return 0

    def x_at(self, offset: int) -> float:
        """Approximate x of a character offset (interpolated inside its word)."""
        i = self.word_at(offset)
        w = self.words[i]
        n = max(len(w.text), 1)
        pos = min(max(offset - self.starts[i], 0), n)
        return w.x0 + (w.x1 - w.x0) * pos / n

    def words_between(self, a: int, b: int) -> list[Word]:
        """Words whose text overlaps the character range [a, b)."""
        out = []
        for i, w in enumerate(self.words):
            s = self.starts[i]
            if s < b and s + len(w.text) > a:
                out.append(w)
        return out


def make_text_line(line: Line, index: int) -> TextLine:
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for w in line.words:
        starts.append(pos)
        parts.append(w.text)
        pos += len(w.text) + 1
    text = " ".join(parts)
    return TextLine(line, index, text, fold(text), starts)


@dataclass(slots=True)
class PageLines:
    number: int
    lines: list[TextLine] = field(default_factory=list)


def document_lines(doc: Document) -> list[PageLines]:
    out: list[PageLines] = []
    for page in doc.pages:
        tl = [make_text_line(ln, i) for i, ln in enumerate(group_lines(page))]
        out.append(PageLines(page.number, tl))
    return out


# ---------------------------------------------------------------- vocabulary
# Patterns are written against folded text (lower case, no accents). `_S` allows the odd space,
# dot or hyphen inside a compound ("Rechnungs-Nr.", "Factuur nummer").
_S = r"[\s.\-]*"
_NO = r"(?:n[°º]|no\b|nr\b|num\b|number\b|nummer\b|numero\b|#|n\b)\.?"

FIELD_LABELS: dict[str, list[tuple[str, int]]] = {
    # (pattern, priority): higher priority wins when several labels of one field are found.
    "invoice_number": [
        (rf"invoice{_S}(?:number|no|nr|num|#|id)\b\.?", 10),
        (r"inv\.?\s*(?:no|#)\.?", 9),
        (rf"bill{_S}(?:no|number)\.?", 8),
        (rf"credit{_S}note{_S}(?:number|no|#)\.?", 10),
        (rf"document{_S}(?:number|no)\.?", 5),
        (rf"rechnungs{_S}(?:nummer|nr|no)\.?", 10),
        (rf"rechnung{_S}(?:nummer|nr|no|#)\.?", 10),
        (rf"gutschrift(?:s)?{_S}(?:nummer|nr|no)\.?", 10),
        (rf"credit{_S}(?:memo|note){_S}(?:number|no|nr|#|id)\.?", 10),
        (rf"(?:avoir|nota{_S}de{_S}credito|nota{_S}de{_S}abono|factura{_S}rectificativa){_S}{_NO}", 10),
        (r"(?:numero|n°|no|nº)\s*(?:de\s+)?(?:l.)?avoir", 10),
        (rf"(?:creditnota|creditfactuur){_S}(?:nummer|nr|no)\.?", 10),
        (rf"nota{_S}di{_S}(?:credito|accredito){_S}{_NO}", 10),
        (
            r"(?:n\.?|numero|num\.?|n°|nº)\s*(?:del?\s+|du\s+)?document[oe]?|documento\s+n\.?|"
            r"document{_S}(?:nummer|nr)\.?|dokument{_S}(?:nummer|nr)\.?",
            5,
        ),
        (rf"beleg{_S}(?:nummer|nr)\.?", 6),
        (rf"facture{_S}{_NO}", 10),
        (r"(?:numero|n°|no|nº)\s*(?:de\s+)?facture", 10),
        (rf"factura{_S}{_NO}", 10),
        (r"(?:numero|n°|no|nº)\s*(?:de\s+)?factura", 10),
        (rf"factuur{_S}(?:nummer|nr|no)\.?", 10),
        (rf"fattura{_S}{_NO}", 10),
        (rf"fatura{_S}{_NO}|(?:numero|n\.?º?)\s*(?:da\s+)?fatura", 10),
        (r"(?:numero|n\.)\s*(?:della\s+)?fattura", 10),
        (r"(?:tax\s+)?invoice|rechnung|facture|factura|factuur|fattura|handelsrechnung|beitragsrechnung", 2),
        (
            r"gutschrift|credit\s+(?:note|memo)|avoir|nota\s+de\s+(?:credito|abono)|factura\s+rectificativa|"
            r"creditnota|creditfactuur|nota\s+di\s+(?:credito|accredito)",
            2,
        ),
        (r"(?<=^)#", 1),
    ],
    "invoice_date": [
        (
            rf"invoice{_S}date|date{_S}of{_S}(?:issue|invoice)|issue{_S}date|date{_S}issued|issued{_S}(?:on|at)",
            10,
        ),
        (r"billing\s+date|invoice\s+dt", 9),
        (rf"rechnungs{_S}datum|ausstellungsdatum|beleg{_S}datum|rechnungsdatum", 10),
        (r"date\s+(?:de\s+(?:la\s+)?)?factur(?:e|ation)|date\s+d.emission", 10),
        (r"fecha\s+(?:de\s+)?(?:la\s+)?(?:factura|emision|expedicion)", 10),
        (rf"factuur{_S}datum|datum\s+factuur", 10),
        (r"data\s+(?:della\s+)?fattura|data\s+(?:di\s+)?emissione|data\s+documento", 10),
        (r"data\s+(?:da\s+)?fatura|data\s+de\s+emissao", 10),
        (r"dated|datum|date|fecha|data", 3),
    ],
    "due_date": [
        (rf"due{_S}date|date{_S}due|payment{_S}due(?:\s+date)?|due\s+(?:by|on)|pay\s+by|payable\s+by", 10),
        (
            r"f(?:a|ae)lligkeits?(?:datum|tag)|f(?:a|ae)llig\s+(?:am|bis)|f(?:a|ae)lligkeit|zahlungsziel|zahlbar\s+bis",
            10,
        ),
        (r"date\s+d.echeance|echeance|date\s+limite(?:\s+de\s+paiement)?|a\s+payer\s+avant\s+le", 10),
        (r"fecha\s+(?:de\s+)?vencimiento|vencimiento|fecha\s+limite\s+de\s+pago|pagar\s+antes\s+del?", 10),
        (rf"verval{_S}datum|vervaldag|uiterste\s+betaaldatum|te\s+betalen\s+voor", 10),
        (r"data\s+(?:di\s+)?scadenza|scadenza", 10),
        (r"data\s+de\s+vencimento|vencimento", 10),
    ],
    "purchase_order": [
        (rf"purchase{_S}order(?:{_S}(?:number|no|nr|#))?\.?|p\.?\s?[o0]\.?{_S}(?:number|no|#)\.?", 10),
        (r"buyer.?s?\s+order\s+(?:no|number)\.?|customer\s+po|your\s+order(?:\s+(?:no|number))?\.?", 9),
        (rf"bestell{_S}(?:nummer|nr)\.?|ihre\s+bestellung(?:\s+nr\.?)?|bestellung", 8),
        (r"bon\s+de\s+commande|(?:n°|no|numero)\s+de\s+commande|commande", 8),
        (r"orden\s+de\s+compra|(?:numero\s+de\s+)?pedido", 8),
        (rf"inkoop{_S}order(?:{_S}nummer)?|bestel{_S}nummer|uw\s+order", 8),
        (r"ordine\s+(?:d.acquisto|n\.?)|numero\s+ordine|rif\.?\s+ordine|riferimento\s+ordine", 8),
        (r"order\s+ref(?:erence)?|ref\.?\s+commande|referencia\s+(?:del\s+)?pedido", 8),
        (r"ref\.?\s+(?:client|klant|cliente|kunde)|customer\s+ref(?:erence)?|client\s+ref(?:erence)?", 7),
        (r"ihre\s+referenz|votre\s+reference|su\s+referencia|uw\s+referentie|vs\.?\s+riferimento", 6),
        (r"reference|your\s+ref(?:erence)?\.?", 3),
    ],
}

MONEY_LABELS: dict[str, list[tuple[str, int]]] = {
    "subtotal": [
        (rf"sub{_S}total|zwischensumme|positionssumme|sous{_S}total|subtotaal|subtotale", 10),
        (r"net\s+total|total\s+net|net\s+amount|summe\s+netto|netto{_S}summe|nettobetrag|gesamt\s+netto", 7),
        (
            r"warenwert|total\s+h\.?t\.?|montant\s+(?:eur\s+)?h\.?t\.?|total\s+hors\s+taxes?|base\s+imponible",
            7,
        ),
        (
            r"total\s+taxable\s+(?:value|amount)|importe\s+neto|totaal\s+excl\.?(?:\s+btw)?|exclusief\s+btw|excl\.?\s+btw|totale\s+imponibile",
            7,
        ),
        (
            r"imponibile|total\s+excl(?:uding|\.)?\s+(?:tax|vat|gst)|amount\s+before\s+tax|total\s+before\s+tax",
            7,
        ),
        (r"grondslag|bemessungsgrundlage|base\s+h\.?t\.?|tax\s+base", 4),
        (r"total\s+h\.?t\.?v\.?a\.?|htva|totaal\s+excl\.?\s+btw", 8),
        (r"total\s+(?:exkl|excl|ex|ohne|net\s+of)\.?\s+(?:mwst|ust|tva|btw|iva|vat|gst|tax)\.?", 8),
        (
            r"gesamtbeitrag|nettobeitrag|taxable\s+(?:value|amount)|rechnungssumme\s+(?:netto|ohne\s+ust)|summe\s+positionen|netto",
            5,
        ),
    ],
    "tax_total": [
        (r"total\s+(?:tax|vat|gst|tva|iva|btw)|tax\s+total|vat\s+total|(?:tax|vat|gst)\s+amount", 10),
        (r"summe\s+(?:umsatzsteuer|mwst|ust)|steuerbetrag|mehrwertsteuer|umsatzsteuer|mwst\.?|ust\.?", 7),
        (r"(?:enthaltene\s+)?versicherungsteuer", 7),
        (r"(?:zzgl|zuzugl|zuzgl)\.?\s+(?:ust|mwst|umsatzsteuer)", 7),
        (r"montant\s+tva|total\s+tva|tva|cuota\s+(?:de\s+)?iva|total\s+iva|iva|btw\s+bedrag|btw", 6),
        (r"imposta|totale\s+iva|igst|cgst|sgst|sales\s+tax|vat|gst|tax", 5),
    ],
    "total": [
        (
            r"(?:beitrag|betrag|total|summe|amount)\s+(?:inkl\.?|inklusive|including|incl\.?)\s+"
            r"(?:\d+(?:[.,]\d+)?\s*%\s+)?(?:versicherungsteuer|ust|mwst|umsatzsteuer|vat|tax|gst|btw|tva|iva)",
            9,
        ),
        (r"grand\s+total|invoice\s+total|total\s+amount|total\s+incl\.?(?:uding)?\s*(?:tax|vat|gst)?", 10),
        (r"total\s+\(incl|total\s+inc\.?\s+gst|gesamtbetrag|rechnungsbetrag|rechnungssumme\s+brutto", 10),
        (r"summe\s+inkl\.?\s+(?:ust|mwst)\.?|total\s+incl\.?\s+(?:vat|tax|btw|gst)|total\s+tvac|tvac", 10),
        (r"total\s+(?:inkl|incl|inc|mit)\.?\s+(?:mwst|ust|tva|btw|iva|vat|gst|tax)\.?", 10),
        (
            rf"bruttosumme|brutto{_S}betrag|summe\s+(?:inkl|brutto)\.?|gesamtsumme|endbetrag|rechnungsbeitrag",
            9,
        ),
        (
            r"total\s+t\.?t\.?c\.?|montant\s+(?:eur\s+)?t\.?t\.?c\.?|importe\s+total",
            10,
        ),
        (r"total\s+factur[ae]|totaal\s+incl\.?(?:\s+btw)?|factuur\s*totaal|totaalbedrag|factuurbedrag", 10),
        (r"totale\s+(?:fattura|documento)|totale", 8),
        (r"totaal|total(?:\s+(?:eur|usd|gbp|aud|inr|chf|cad))?|summe|brutto", 5),
    ],
    "amount_due": [
        (
            r"amount\s+due|balance\s+due|total\s+due|amount\s+payable|due\s+payable|balance\s+owing|to\s+pay",
            10,
        ),
        (
            r"zahlbetrag|offener\s+betrag|zu\s+zahlen(?:de[rn]?\s+(?:betrag|beitrag))?|restbetrag|noch\s+zu\s+zahlen",
            10,
        ),
        (r"net\s+a\s+payer|reste\s+a\s+payer|somme\s+a\s+payer|montant\s+du|a\s+payer", 10),
        (r"importe\s+a\s+pagar|total\s+a\s+pagar|a\s+pagar", 9),
        (r"te\s+betalen|openstaand\s+bedrag", 10),
        (r"da\s+pagare|importo\s+dovuto|netto\s+a\s+pagare", 10),
    ],
    "charges": [
        (r"gesamtbetrag\s+der\s+(?:zuschlage|abschlage)|summe\s+(?:der\s+)?(?:zuschlage|abschlage)", 10),
        (r"total\s+(?:discounts?|charges|allowances)|shipping|versandkosten|frais\s+de\s+port|discount", 5),
        (r"rabatt|skonto|sondernachlass|remise|descuento|korting|sconto|round\s*off|rundung", 5),
    ],
    "prepaid": [
        (
            r"(?:already\s+)?paid|prepaid|prepayment|deposit|bereits\s+bezahlt|anzahlung|erhaltene\s+anzahlungen",
            10,
        ),
        (r"acompte|deja\s+paye|anticipo|aanbetaling|reeds\s+betaald|acconto|gia\s+pagato", 10),
    ],
}

# Words that stop a value run on the same line: labels of other things.
STOP_LABELS = [
    r"customer|client|kunde|klant|cliente|page|seite|phone|tel|fax|email|e-mail|web|order|ref",
    r"kundennummer|kundennr|klantnummer|ordernummer|orderdatum|leistungsdatum|lieferdatum|delivery",
]


def _compile(pats: list[tuple[str, int]]) -> list[tuple[re.Pattern[str], int]]:
    return [(re.compile(rf"(?<![a-z0-9_])(?:{p})(?![a-z_])"), prio) for p, prio in pats]


FIELD_RX = {k: _compile(v) for k, v in FIELD_LABELS.items()}
MONEY_RX = {k: _compile(v) for k, v in MONEY_LABELS.items()}
STOP_RX = re.compile(r"(?<![a-z0-9])(?:" + "|".join(STOP_LABELS) + r")(?![a-z])")


@dataclass(slots=True)
class LabelHit:
    field: str
    priority: int
    page: int
    line: TextLine
    start: int
    end: int
    """Character range of the label in `line.text`."""

    @property
    def x0(self) -> float:
        return self.line.x_at(self.start)

    @property
    def x1(self) -> float:
        return self.line.x_at(max(self.end - 1, self.start)) + 0.005


def _column_gap(tl: TextLine, start: int, end: int) -> int | None:
    """Offset of the first column gap inside a multi-word match ("Data   Scadenza" are two titles)."""
    ws = tl.words_between(start, end)
    for a, b in itertools.pairwise(ws):
        if b.x0 - a.x1 > 1.5 * max(a.height, b.height, 0.006):
            return tl.starts[tl.words.index(a)] + len(a.text)
    return None


def _label_matches(rx: re.Pattern[str], tl: TextLine) -> list[tuple[int, int]]:
    """Matches of a label pattern that do not cross a column gap.

    "Total   INR" keeps "Total"; "Data   Scadenza" yields "Scadenza" from the next column.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    text = tl.folded
    while pos <= len(text):
        m = rx.search(text, pos)
        if m is None:
            break
        a, b = m.start(), m.end()
        if b <= a:
            pos = a + 1
            continue
        cut = _column_gap(tl, a, b)
        if cut is None:
            out.append((a, b))
            pos = b
            continue
        m2 = rx.match(text, a, cut)
        if m2 is not None and m2.end() > a and _column_gap(tl, a, m2.end()) is None:
            out.append((a, m2.end()))
        pos = cut
    return out


def find_hits(pages: list[PageLines], table: dict[str, list[tuple[re.Pattern[str], int]]]) -> list[LabelHit]:
    """Every label occurrence, longest match first where two overlap."""
    hits: list[LabelHit] = []
    for pl in pages:
        for tl in pl.lines:
            found: list[LabelHit] = []
            for name, pats in table.items():
                for rx, prio in pats:
                    for a, b in _label_matches(rx, tl):
                        found.append(LabelHit(name, prio, pl.number, tl, a, b))
            found.sort(key=lambda h: (-(h.end - h.start), -h.priority))
            kept: list[LabelHit] = []
            for h in found:
                if all(h.end <= k.start or h.start >= k.end for k in kept):
                    kept.append(h)
            hits.extend(sorted(kept, key=lambda h: h.start))
    return hits


def all_label_spans(tl: TextLine) -> list[tuple[int, int]]:
    """Character spans of anything label-like in a line (field, money and stop labels)."""
    spans: list[tuple[int, int]] = []
    for table in (FIELD_RX, MONEY_RX):
        for pats in table.values():
            for rx, _prio in pats:
                spans.extend((m.start(), m.end()) for m in rx.finditer(tl.folded) if m.end() > m.start())
    spans.extend((m.start(), m.end()) for m in STOP_RX.finditer(tl.folded))
    return spans
