"""Which of the configured Tesseract languages a document actually uses, from its first OCR'd page.

Every extra language roughly adds the cost of another recognition pass (all six: ~2x English alone),
so the remaining pages of a long scan are read with English plus only the languages seen on page 1.
"""

from __future__ import annotations

from ledgerlens.documents.model import Word


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# language: (characteristic words, lower case, none that English statements also use; letters)
_MARKERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "deu": (
        _words(
            "und der die das mit für von auf zum zur datum betrag buchung kontoauszug überweisung "
            "lastschrift gutschrift rechnung summe gesamt netto mwst ust kontostand seite"
        ),
        frozenset("äöüß"),
    ),
    "fra": (
        _words(
            "le la les des du et pour au aux montant solde facture relevé débit crédit ttc tva "
            "virement prélèvement échéance"
        ),
        frozenset("éèêàçùœ"),
    ),
    "spa": (
        _words(
            "el los las del para fecha importe saldo factura concepto cargo abono transferencia "
            "recibo iva página"
        ),
        frozenset("ñáíóú¿¡"),
    ),
    "nld": (
        _words(
            "de het een van en voor datum bedrag saldo factuur omschrijving af bij overboeking "
            "rekening totaal btw pagina"
        ),
        frozenset("ĳ"),
    ),
    "ita": (
        _words(
            "il lo gli della data importo saldo fattura descrizione addebito accredito bonifico totale "
            "iva pagina"
        ),
        frozenset("àèìòù"),
    ),
}
MIN_HITS = 2
RELATIVE_HITS = 0.3
MIN_WORDS = 30
"""Fewer words than this say nothing about the language."""


def detect_languages(words: list[Word], configured: str) -> str:
    """Narrow a '+'-joined language list to English plus the languages the words show.

    Returns `configured` unchanged when nothing can be said (too few words).
    """
    langs = [lang for lang in configured.split("+") if lang]
    if len(langs) <= 1 or len(words) < MIN_WORDS:
        return configured
    tokens = [w.text.lower().strip(".,:;()") for w in words]
    keep = [lang for lang in langs if lang == "eng" or lang not in _MARKERS]
    scores: dict[str, int] = {}
    for lang in langs:
        if lang not in _MARKERS:
            continue
        vocab, letters = _MARKERS[lang]
        hits = len({t for t in tokens if t in vocab})
        scores[lang] = hits + sum(1 for t in tokens if any(ch in letters for ch in t))
    best = max(scores.values(), default=0)
    # "de" and "en" are Dutch, French and Spanish: a language is kept only when it is as much at
    # home on the page as the best one (a Belgian page in French and Dutch keeps both)
    keep += [lang for lang, hits in scores.items() if hits >= max(MIN_HITS, RELATIVE_HITS * best)]
    ordered = [lang for lang in langs if lang in keep]
    return "+".join(ordered) if ordered else configured
