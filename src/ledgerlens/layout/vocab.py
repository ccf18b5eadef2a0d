"""Column-header words of transaction tables in EN/DE/FR/ES/NL/IT/PT, mapped to column roles.

Matching is on accent-folded lower case, longest phrase first, so `Value Date` is a value-date column
while `Date` alone is the booking date, and `Money out` beats `out`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

Role = Literal[
    "date",
    "value_date",
    "description",
    "reference",
    "debit",
    "credit",
    "amount",
    "balance",
    "sign",
    "currency",
]
AMOUNT_ROLES: frozenset[str] = frozenset({"debit", "credit", "amount", "balance"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents (cached: header and label tests fold the same lines often)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_VOCAB: dict[Role, tuple[str, ...]] = {
    "value_date": (
        "value date", "value dt", "val date", "valuta", "valutadatum", "wert", "wertstellung", "valeur",
        "date de valeur", "date valeur", "fecha valor",
        "f. valor", "rentedatum", "data valuta", "valuta data",
        "data valor", "dt valeur", "val.",
    ),
    "date": (
        "date", "datum", "fecha", "data", "buchungstag", "buchungsdatum", "bu-tag", "butag", "buchung", "tag",
        "posted date", "posting date", "post date", "transaction date", "trans date", "txn date", "tran date",
        "date operation", "date de l'operation", "date oper.", "fecha operacion", "f. operacion", "f.oper.",
        "boekdatum", "boekingsdatum", "transactiedatum",
        "data operazione", "data contabile", "data movimento",
        "date posted", "booking date", "data mov.", "data lancamento", "dt. operacao", "jour", "posted",
        "booked", "post", "effective date", "date ope.", "date ope", "date op.", "dt op.", "date op",
        "data mov", "fecha mov.", "fecha mov", "data movimento",
    ),
    "description": (
        "description", "details", "transaction details", "particulars", "narration", "narrative",
        "transaction", "transactions", "transaction description", "memo", "payee", "verwendungszweck",
        "buchungstext", "vorgang", "beschreibung", "text", "erlauterung", "umsatzart", "libelle",
        "nature des operations", "operations", "operation", "details de l'operation", "detail", "concepto",
        "descripcion", "movimiento", "omschrijving",
        "naam / omschrijving", "naam/omschrijving", "mededelingen",
        "descrizione", "causale", "dettagli", "descricao", "historico", "descricao do movimento",
        "transaction type", "type de transaction", "naam", "descritivo", "descripcion del movimiento",
        "narrative details", "payee / description", "mededeling",
    ),
    "reference": (
        "reference", "ref", "ref.", "ref no",
        "ref no.", "chq./ref.no.", "chq/ref no", "cheque no", "cheque no.",
        "check no", "check no.", "chq no", "chq. no.", "referenz", "reference no", "referencia", "referentie",
        "kenmerk", "riferimento", "documento",
        "doc no", "num. documento", "n° operation", "ref no./cheque no.",
        "cheque no./ref no.", "chq./ref. no.", "ref./chq. no.",
        "ref/cheque no", "instrument id", "check number",
    ),
    "debit": (
        "debit", "debits", "debit amount", "debit amt", "withdrawal", "withdrawals", "withdrawal amt.",
        "withdrawal amt", "withdrawal amount", "money out", "paid out", "payments", "payments out", "out",
        "soll", "belastung", "lastschriften", "sorties", "debit eur", "cargo", "cargos", "debito", "uitgaven",
        "af", "addebiti", "addebito", "dare", "uscite", "saidas", "debitos", "withdrawals ($)", "spent",
    ),
    "credit": (
        "credit", "credits", "credit amount", "credit amt",
        "deposit", "deposits", "deposit amt.", "deposit amt",
        "deposit amount", "money in", "paid in", "receipts", "payments in", "in", "haben", "gutschrift",
        "gutschriften", "entrees", "abono", "abonos", "haber", "ingresos", "bij", "ontvangsten", "accrediti",
        "accredito", "avere", "entrate", "credito", "entradas", "creditos", "received",
    ),
    "amount": (
        "amount", "amounts", "transaction amount", "betrag",
        "umsatz", "montant", "importe", "bedrag", "importo",
        "valor", "quantia", "montant eur", "betrag eur", "amount ($)", "monto",
    ),
    "balance": (
        "balance", "running balance", "closing balance", "saldo", "kontostand", "solde", "balance ($)",
        "ledger balance", "available balance", "saldo eur",
        "solde eur", "nuevo saldo", "saldo contabilistico",
        "saldo disponivel", "saldo contabile", "kontostand eur",
    ),
    "currency": ("currency", "ccy", "curr.", "wahrung", "devise", "divisa", "moneda", "munt"),
    "sign": (
        "af/bij", "bij/af", "s/h", "soll/haben", "dr/cr",
        "cr/dr", "d/c", "c/d", "debit/credit", "credit/debit",
        "+/-", "-/+", "d/h", "dare/avere", "dr/cr indicator",
    ),
}  # fmt: skip

PHRASES: dict[str, Role] = {}
for _role, _phrases in _VOCAB.items():
    for _p in _phrases:
        PHRASES.setdefault(fold(_p), _role)
MAX_PHRASE_WORDS = max(len(p.split()) for p in PHRASES)


def squeeze(text: str) -> str:
    """Letters and digits only: "Chq/Ref.No." and "Chq./Ref. No." (an OCR read and the print) meet."""
    return "".join(c for c in text if c.isalnum())


MIN_SQUEEZED = 4
"""Shorter squeezed keys ("dc", "sh", "" from "+/-") would match stray OCR marks."""
SQUEEZED: dict[str, Role] = {}
for _phrase, _role in PHRASES.items():
    if len(squeeze(_phrase)) >= MIN_SQUEEZED:
        SQUEEZED.setdefault(squeeze(_phrase), _role)


def header_role(phrase: str) -> Role | None:
    """The role of a folded header phrase; spacing and punctuation that OCR adds or drops don't count."""
    role = PHRASES.get(phrase)
    if role is None and len(key := squeeze(phrase)) >= MIN_SQUEEZED:
        role = SQUEEZED.get(key)
    return role


# Words that may trail a header phrase without changing its role ("Betrag EUR", "Money out £", "(EUR)").
HEADER_FILLER = frozenset(
    {"eur", "usd", "gbp", "chf", "inr", "aud", "cad", "(eur)", "(usd)", "(gbp)", "£", "$", "€", "₹", "(€)",
     "($)", "(£)", "amt", "amt.", "amount", "in", "no", "no.", "nr", "nr.", "/", "-", "&", "dt", "dt.", "rs",
     "rs.", "(rs.)", "(inr)"}
)  # fmt: skip

# Text that marks a non-transaction row (totals, carried/brought forward, page furniture).
SUMMARY_WORDS: tuple[str, ...] = (
    "page total", "page totals", "seitensumme", "total page", "sous-total", "totaux page", "paginatotaal",
    "total", "totals", "subtotal", "sub-total", "sum", "summe", "zwischensumme", "totaal", "totale", "totaux",
    "a reporter", "report", "reporte", "uebertrag",
    "ubertrag", "übertrag", "carried forward", "brought forward",
    "c/f", "b/f", "balance forward", "suma", "somme", "saldo anterior", "saldo actual",
)  # fmt: skip

OPENING_WORDS: tuple[str, ...] = (
    "opening balance", "previous balance", "beginning balance", "start balance", "starting balance",
    "balance brought forward", "brought forward", "balance b/f", "b/f", "anfangssaldo",
    "alter kontostand", "alter saldo", "saldo alt", "vortrag", "solde precedent", "ancien solde",
    "solde initial", "solde de debut", "solde debut", "saldo inicial", "saldo anterior", "beginsaldo",
    "vorig saldo", "oud saldo", "begin saldo", "saldo iniziale", "saldo precedente", "balance at start",
    "start saldo", "startsaldo", "saldo inizio", "opening bal", "previous statement balance",
)  # fmt: skip

CLOSING_WORDS: tuple[str, ...] = (
    "closing balance", "ending balance", "end balance", "new balance", "final balance", "endsaldo",
    "neuer kontostand", "neuer saldo", "saldo neu", "nouveau solde", "solde final", "solde de fin",
    "saldo final", "saldo actual", "eindsaldo", "saldo einde periode", "saldo einde", "nieuw saldo",
    "saldo finale", "saldo attuale",
    "balance at end", "closing bal", "balance carried forward", "carried forward", "c/f", "eind saldo",
)  # fmt: skip

# Opening at the first occurrence, closing at the last: "Kontostand am 28.02.", "Solde créditeur au 30.11."
OPEN_OR_CLOSE_WORDS: tuple[str, ...] = (
    "kontostand am", "kontostand vom", "solde crediteur au", "solde debiteur au", "solde au", "saldo al",
    "saldo per", "saldo op", "saldo am", "balance as at", "balance as of", "balance on", "saldo a",
)  # fmt: skip

END_WORDS: tuple[str, ...] = (
    "transactions stop", "end of statement", "end of transactions", "fin de releve", "ende des auszugs",
    "einde overzicht", "pending transactions", "pending card transactions", "vorgemerkte umsatze",
    "operations en cours", "movimientos pendientes", "movimenti in attesa", "nog te verwerken",
    "transactions not yet posted", "authorisations pending", "authorizations pending",
)  # fmt: skip


def trie_pattern(names: Iterable[str]) -> str:
    """An alternation of literal strings as a prefix tree: it matches the same strings, longer ones
    first, but the regex engine no longer tries every name in turn at every position."""
    tree: dict[str, Any] = {}
    for name in names:
        node = tree
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(tree)


_ANY_PHRASE: dict[tuple[str, ...], re.Pattern[str]] = {}


def contains_phrase(folded: str, phrases: tuple[str, ...]) -> str | None:
    """The first phrase that occurs in `folded` as whole words, or None."""
    # One regex pass says whether any phrase occurs at all (most lines hold none).
    rx = _ANY_PHRASE.get(phrases)
    if rx is None:
        rx = _ANY_PHRASE[phrases] = re.compile(trie_pattern(phrases))
    if rx.search(folded) is None:
        return None
    padded = f" {folded} "
    for p in phrases:
        i = padded.find(p)
        while i >= 0:
            before = padded[i - 1] if i > 0 else " "
            after = padded[i + len(p)] if i + len(p) < len(padded) else " "
            if not before.isalnum() and not after.isalnum():
                return p
            i = padded.find(p, i + 1)
    return None
