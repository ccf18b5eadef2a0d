"""What a printed amount looks like, for OCR clean-up rules that must never damage one.

Deliberately narrower than `extract.numbers`: two decimals, digits grouped by 2 or 3 (1,234.56;
1.234,56; 2'563.12; 1,18,503.29), with signs, brackets, a currency symbol or CR/DR around them.
"""

from __future__ import annotations

import re

_AMOUNT = re.compile(r"\d{1,3}(?:[,.' ]\d{2,3})*[.,]\d{2}|\d+[.,]\d{2}")
_MARKS = "-+()−$€£¥₹ "


def is_amount(text: str) -> bool:
    core = text.strip(_MARKS)
    for suffix in ("CR", "DR", "Cr", "Dr"):
        core = core.removesuffix(suffix)
    return _AMOUNT.fullmatch(core.strip(_MARKS)) is not None
