"""Value parsers on real-world strings as banks and invoices print them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledgerlens.extract.accounts import (
    currency_for_iban,
    find_account_number,
    find_bics,
    find_ibans,
    valid_iban,
)
from ledgerlens.extract.currency import find_currency
from ledgerlens.extract.dates import detect_date_order, find_dates, infer_year, parse_date
from ledgerlens.extract.numbers import detect_decimal_separator, parse_amount, parse_amount_ex

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", D("1234.56")),
        ("1.234,56", D("1234.56")),
        ("1 234,56", D("1234.56")),
        ("1\u00a0234,56", D("1234.56")),
        ("1\u202f234,56", D("1234.56")),
        ("1'234.56", D("1234.56")),
        ("1’234.56", D("1234.56")),
        ("1,23,456.78", D("123456.78")),
        ("12,34,56,789.00", D("123456789.00")),
        ("(1,234.56)", D("-1234.56")),
        ("1,234.56-", D("-1234.56")),
        ("-1,234.56", D("-1234.56")),
        ("\u22121,234.56", D("-1234.56")),
        ("1,234.56 DR", D("-1234.56")),
        ("250,01S", D("-250.01")),  # OCR lost the space before the Soll mark
        ("595,08H", D("595.08")),
        ("1,234.56 Dr", D("-1234.56")),
        ("3978.53 CR", D("3978.53")),
        ("90,350 CR", D("90350")),
        ("S 1.234,56", D("-1234.56")),
        ("1.234,56 H", D("1234.56")),
        ("1.108,20+", D("1108.20")),
        ("315,57-", D("-315.57")),
        ("€ 12,50", D("12.50")),
        ("$1,000.00", D("1000.00")),
        ("$811.28 DR", D("-811.28")),
        ("-$45.10", D("-45.10")),
        ("EUR 1.234,00", D("1234.00")),
        ("1.234,00 EUR", D("1234.00")),
        ("0.00", D("0.00")),
        ("12,5", D("12.5")),
    ],
)
def test_parse_amount(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["12.03.2024", "2024-03-12", "abc", "", "1.2.3", "12,34,5", "+49 30 1234"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_ambiguous_grouping_uses_document_separator() -> None:
    assert parse_amount("1,234", ",") == D("1.234")
    assert parse_amount("1,234", ".") == D("1234")
    assert parse_amount("1.234", ",") == D("1234")
    assert parse_amount_ex("100.00 CR") is not None


def test_detect_decimal_separator() -> None:
    assert detect_decimal_separator(["1.234,56", "12,00", "3,50"]) == ","
    assert detect_decimal_separator(["1,234.56", "12.00"]) == "."
    assert detect_decimal_separator(["no numbers"]) is None


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("03/04/2025", "DMY", date(2025, 4, 3)),
        ("03/04/2025", "MDY", date(2025, 3, 4)),
        ("13/04/2025", None, date(2025, 4, 13)),
        ("04/13/2025", None, date(2025, 4, 13)),
        ("2025-04-03", None, date(2025, 4, 3)),
        ("03.04.25", "DMY", date(2025, 4, 3)),
        ("03-04-2025", "DMY", date(2025, 4, 3)),
        ("3 Apr 2025", None, date(2025, 4, 3)),
        ("03-APR-25", None, date(2025, 4, 3)),
        ("3. März 2025", None, date(2025, 3, 3)),
        ("3 Maerz 2025", None, date(2025, 3, 3)),
        ("1er décembre 2025", None, date(2025, 12, 1)),
        ("12 févr. 2025", None, date(2025, 2, 12)),
        ("3 de abril de 2025", None, date(2025, 4, 3)),
        ("3 mei 2025", None, date(2025, 5, 3)),
        ("3 maggio 2025", None, date(2025, 5, 3)),
        ("Apr 3, 2025", None, date(2025, 4, 3)),
        ("June 12, 2023", None, date(2023, 6, 12)),
        ("Jan 31,2025", None, date(2025, 1, 31)),  # OCR lost the space after the comma
        ("Feb 22,2023", None, date(2023, 2, 22)),
    ],
)
def test_parse_date(text: str, order: str | None, expected: date) -> None:
    assert parse_date(text, order) == expected  # type: ignore[arg-type]


def test_month_day_glued_to_an_amount_takes_no_year() -> None:
    assert [m.value for m in find_dates("Jan 3,1234.56", default_year=2025)] == [date(2025, 1, 3)]
    assert [m.value for m in find_dates("Jan 3, 2024 12.50", default_year=2025)] == [date(2024, 1, 3)]


def test_day_month_takes_year_from_period_across_new_year() -> None:
    period = (date(2024, 12, 15), date(2025, 1, 14))
    assert parse_date("20 Dec", period=period) == date(2024, 12, 20)
    assert parse_date("03 JAN", period=period) == date(2025, 1, 3)
    assert parse_date("12 déc.", period=period) == date(2024, 12, 12)
    assert parse_date("14.02.", "DMY", period=period) == date(2025, 2, 14)
    assert parse_date("05/15", "MDY", period=(date(2023, 5, 13), date(2023, 6, 12))) == date(2023, 5, 15)
    assert infer_year(2, 29, None, None, 2024) == 2024


def test_date_order_from_evidence() -> None:
    assert detect_date_order(["12/20/2023 - 01/19/2024"]) == "MDY"
    assert detect_date_order(["20/12/2023"]) == "DMY"
    assert detect_date_order(["01/02/2023"], hint="MDY") == "MDY"


def test_find_dates_in_period_lines() -> None:
    found = find_dates("Kontoauszug vom 01.03.2025 bis 31.03.2025")
    assert [m.value for m in found] == [date(2025, 3, 1), date(2025, 3, 31)]
    found = find_dates("Periode 2024-12-20 t/m 2025-01-19")
    assert [m.value for m in found] == [date(2024, 12, 20), date(2025, 1, 19)]
    assert find_dates("Tel 0800 123 456") == []


def test_iban_and_bic() -> None:
    assert valid_iban("DE89 3704 0044 0532 0130 00")
    assert not valid_iban("DE89 3704 0044 0532 0130 01")
    assert valid_iban("GB82WEST12345698765432")
    assert find_ibans("IBAN: FR14 2004 1010 0505 0001 3M02 606, BIC x") == ["FR1420041010050500013M02606"]
    assert find_ibans("NL91ABNA0417164300 and NL91ABNA0417164301") == ["NL91ABNA0417164300"]
    assert find_bics("IBAN DE89 BIC: COBADEFFXXX") == ["COBADEFFXXX"]
    assert find_bics("SWIFTBIC TCBKGB2L") == []  # glued label: not a labelled BIC
    assert currency_for_iban("NL91ABNA0417164300") == "EUR"
    assert currency_for_iban("CH9300762011623852957") == "CHF"
    assert currency_for_iban("GB82WEST12345698765432") == "GBP"
    # OCR can put a non-ASCII letter into an IBAN-like token: refused, never an exception
    assert not valid_iban("DE89 3704 0044 0532 0130 Ö0")
    assert find_ibans("IBAN DE89 3704 0044 0532 0130 Ö0") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Account: 38970577-S10", "38970577-S10"),
        ("Account No : 50100280450140 PRIME", "50100280450140"),
        ("Account Number 5348 8359", "5348 8359"),
        ("N° de compte 74460404658 Clé 93", "74460404658"),
        ("Girokonto Konto-Nr. 4855038405", "4855038405"),
        ("A/C Open Date : no number here", None),
    ],
)
def test_account_number(text: str, expected: str | None) -> None:
    assert find_account_number(text) == expected


def test_currency() -> None:
    assert find_currency("Currency : INR") == "INR"
    assert find_currency("Total 12,00 €") == "EUR"
    assert find_currency("Balance $12.00 BSB 062-000") == "AUD"
    assert find_currency("RALEIGH NC 27648 Routing Number") == "USD"
    assert find_currency("IBAN", iban="FR7630004523837446040465893") == "EUR"
    assert find_currency("Balance $12.00") is None


def test_amounts_are_no_date_order_evidence() -> None:
    assert detect_date_order(["03/01/2024 Coffee -3.50 13.45"]) == "DMY"
    assert detect_date_order(["Coffee -3.50 13.45"], hint="MDY") == "MDY"


def test_prefix_tree_pattern_matches_like_the_plain_alternation() -> None:
    import re

    from ledgerlens.extract.dates import MONTHS
    from ledgerlens.layout.vocab import contains_phrase, trie_pattern

    names = sorted(MONTHS, key=len, reverse=True)
    plain = re.compile("(?:" + "|".join(re.escape(n) for n in names) + ")")
    tree = re.compile("(?:" + trie_pattern(names) + ")")
    extra = ["marzo 2025", "3 mars", "juillet", "juin", "sept.", "maart", "mrt", "xjanx", "dezembro", "foo"]
    samples = [*names, *extra]
    for s in samples:
        a, b = plain.search(s), tree.search(s)
        assert (a and (a.start(), a.group())) == (b and (b.start(), b.group())), s
    phrases = ("closing balance", "opening balance")
    assert contains_phrase("opening balance 12.00", phrases) == "opening balance"
    assert contains_phrase("reopening balances", ("opening balance",)) is None
    assert contains_phrase("nothing here", ("opening balance",)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Kontoauszug März 2025", (2025, 3)), ("Relevé de mars 2025", (2025, 3)), ("March 2025", (2025, 3))],
)
def test_find_month_year(text: str, expected: tuple[int, int]) -> None:
    from ledgerlens.extract.dates import find_month_year

    assert find_month_year(text) == expected
