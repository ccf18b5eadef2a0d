"""Whether a text layer says words: common words of the languages the service reads.

A PDF whose font carries a broken ToUnicode map renders correctly but extracts as a cipher
("hontoauszugW mostbank" for "Kontoauszug Postbank"): every character is valid, so character
statistics pass it, but almost no token is a word of any language. Statements and invoices always
print some short common words and some of their own vocabulary; a page with many words and nearly
none of these is read by OCR instead.
"""

from __future__ import annotations

import re

_WORDS = """
the and of to in for on at by with from is are be this that your you our we it not no all any per
account statement balance date amount total page bank payment payments transfer card debit credit
description details transaction transactions opening closing previous new interest fee fees charge
charges deposit deposits withdrawal withdrawals purchase purchases refund direct salary rent cash
atm online pos value number reference ref customer invoice tax vat net gross due subtotal quantity
qty price unit item items order terms thank please period from to summary available limit minimum
street road avenue ltd inc llc gmbh plc bv sa sas co company bill ship sold paid pay check cheque
der die das und von zu mit im in den dem des fur auf an ist nicht ein eine einer bei aus nach uber
konto kontoauszug saldo betrag datum buchung buchungstag wert valuta verwendungszweck uberweisung
lastschrift gutschrift rechnung summe gesamt netto brutto mwst ust seite alter neuer kunde zahlung
le la les de des du et en un une pour par sur au aux avec dans est pas vous votre nos
compte releve solde montant date operation operations libelle debit credit virement prelevement
carte facture total page client paiement echeance tva ht ttc reference ancien nouveau
el los las y del con por para en su sus es un una al
cuenta extracto saldo importe fecha concepto movimiento movimientos pago factura total cliente iva
het een van en in op te voor met aan bij naar is niet uw
rekening afschrift saldo bedrag datum omschrijving betaling overschrijving factuur totaal klant btw
il lo gli le di da del della per con su non al nel
conto estratto saldo importo data descrizione movimento pagamento fattura totale cliente iva
"""
LEXICON = frozenset(_WORDS.split())
_TOKEN = re.compile(r"[^\W\d_]{2,}")


def lexicon_share(text: str) -> tuple[int, float]:
    """(letter tokens of 2+ letters, share of them that are common words)."""
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    if not tokens:
        return 0, 0.0
    known = sum(1 for t in tokens if _fold(t) in LEXICON)
    return len(tokens), known / len(tokens)


def _fold(token: str) -> str:
    return token.translate(_ACCENTS)


_ACCENTS = str.maketrans("àáâäãåçèéêëìíîïñòóôöõùúûüýÿß", "aaaaaaceeeeiiiinooooouuuuyys")
