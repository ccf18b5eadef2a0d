"""Invoice layouts the reader must handle without templates (issue #14): real PDFs drawn here.

Each test draws a small invoice with reportlab (text at explicit positions, as issuers' layouts do)
and asserts what the real extraction returns.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from tests.invoices.helpers import extract

W, H = A4

Item = tuple[float, float, str, int]
"""(x in points, y from the top in points, text, font size)."""


def _pdf(pages: list[list[Item]]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for items in pages:
        for x, y, text, size in items:
            c.setFont("Helvetica", size)
            c.drawString(x, H - y, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _table(y: float, rows: list[tuple[str, str, str, str]]) -> list[Item]:
    out: list[Item] = [
        (50, y, "Description", 9),
        (300, y, "Qty", 9),
        (380, y, "Unit price", 9),
        (480, y, "Amount", 9),
    ]
    for k, (d, q, p, a) in enumerate(rows):
        yy = y + 18 + 14 * k
        out += [(50, yy, d, 9), (300, yy, q, 9), (380, yy, p, 9), (480, yy, a, 9)]
    return out


def _read(pages: list[list[Item]]) -> dict[str, Any]:
    _doc, result = extract(_pdf(pages))
    return result


def test_form_fields_name_address_and_ids_are_not_names() -> None:
    page: list[Item] = [
        (50, 40, "Seller", 10),
        (300, 40, "Customer", 10),
        (50, 58, "Supplier No.:", 9),
        (120, 58, "854921", 9),
        (300, 58, "Customer No.:", 9),
        (380, 58, "519499", 9),
        (50, 72, "Name:", 9),
        (120, 72, "Atelier Lambert SARL", 9),
        (300, 72, "Name:", 9),
        (380, 72, "Keystone Supply Corp.", 9),
        (50, 86, "Address:", 9),
        (120, 86, "12 Rue Haute", 9),
        (300, 86, "Address:", 9),
        (380, 86, "73 Main St", 9),
        (120, 100, "75001 Paris", 9),
        (380, 100, "Austin, TX 78701", 9),
        (50, 114, "GLN:", 9),
        (120, 114, "4012345000009", 9),
        (300, 114, "VAT No.:", 9),
        (380, 114, "DE 115 152 044", 9),
        (50, 128, "VAT No.:", 9),
        (120, 128, "FR40303265045", 9),
        (50, 170, "INVOICE", 14),
        (50, 190, "Invoice No.: INV-2024-77", 9),
        (50, 204, "Invoice date: 2024-03-05", 9),
        *_table(240, [("Consulting", "2", "50.00", "100.00")]),
        (380, 300, "Subtotal", 9),
        (480, 300, "100.00", 9),
        (380, 314, "VAT 20%", 9),
        (480, 314, "20.00", 9),
        (380, 328, "Total", 9),
        (480, 328, "120.00", 9),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Atelier Lambert SARL"
    assert r["customer"]["name"] == "Keystone Supply Corp."
    assert r["vendor"]["address"] == "12 Rue Haute, 75001 Paris"
    assert r["customer"]["address"] == "73 Main St, Austin, TX 78701"
    # the customer's VAT id is not the vendor's
    assert r["vendor"]["tax_id"] == "FR40303265045"
    assert r["customer"]["tax_id"] == "DE115152044"


def test_form_pairs_on_one_line_are_split() -> None:
    page: list[Item] = [
        (50, 40, "From", 10),
        (50, 58, "Vendor ID: 934515", 9),
        (50, 72, "Name: Red Rock Consulting Group Co.", 9),
        (50, 86, "Address: 33 Industrial Pkwy", 9),
        (50, 100, "Austin, TX 78701", 9),
        (50, 170, "INVOICE", 14),
        (50, 190, "Invoice No.: INV-84337", 9),
        *_table(240, [("Consulting", "2", "50.00", "100.00")]),
        (380, 300, "Total", 9),
        (480, 300, "100.00", 9),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Red Rock Consulting Group Co."
    assert r["vendor"]["address"] == "33 Industrial Pkwy, Austin, TX 78701"


def _simple_body(y: float) -> list[Item]:
    return [
        (50, y, "INVOICE", 14),
        (50, y + 20, "Invoice No.: INV-1001", 9),
        (50, y + 34, "Invoice date: 2024-03-05", 9),
        *_table(y + 70, [("Consulting", "2", "50.00", "100.00")]),
        (380, y + 130, "Total", 9),
        (480, y + 130, "100.00", 9),
    ]


def test_vendor_printed_only_in_the_footer_is_the_vendor() -> None:
    page: list[Item] = [
        (50, 50, "Emerald Foods Limited", 10),
        (50, 63, "83 Main Street", 10),
        (50, 76, "Limerick V94 T9PX", 10),
        *_simple_body(140),
        (60, 780, "Corrib Print Ltd · 67 Main Street · Limerick V94 T9PX · VAT ID: IE1411726A", 7),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Corrib Print Ltd"
    assert r["vendor"]["address"] == "67 Main Street, Limerick V94 T9PX"
    assert r["customer"]["name"] == "Emerald Foods Limited"


def test_vendor_in_a_remit_to_block_on_the_last_page() -> None:
    first: list[Item] = [
        (300, 60, "Uhrenatelier Meier AG", 10),
        (300, 73, "Limmatquai 124", 10),
        (300, 86, "3011 Bern", 10),
        *_simple_body(140),
    ]
    last: list[Item] = [
        (50, 100, "Make checks payable to:", 9),
        (50, 113, "Berghof Elektro SA", 9),
        (50, 126, "Dorfstrasse 17", 9),
        (50, 139, "6003 Luzern", 9),
    ]
    r = _read([first, last])
    assert r["vendor"]["name"] == "Berghof Elektro SA"
    assert r["vendor"]["address"] == "Dorfstrasse 17, 6003 Luzern"
    assert r["customer"]["name"] == "Uhrenatelier Meier AG"


def test_logo_heading_over_a_one_line_address_names_the_vendor() -> None:
    page: list[Item] = [
        (240, 40, "Bürobedarf Brandt GmbH & Co. KG", 16),
        (300, 62, "Lindenallee 132 · 60311 Frankfurt am Main · Deutschland", 8),
        (300, 140, "An:", 9),
        (300, 153, "Groupe du Rhône EURL", 9),
        (300, 166, "11 chemin des Vignes", 9),
        (300, 179, "59000 Lille", 9),
        *_simple_body(220),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Bürobedarf Brandt GmbH & Co. KG"
    assert r["vendor"]["address"] == "Lindenallee 132, 60311 Frankfurt am Main, DE"
    assert r["customer"]["name"] == "Groupe du Rhône EURL"


def test_letter_spaced_heading_is_read_as_words() -> None:
    page: list[Item] = []
    x = 50.0
    for word in ("BLUE", "RIDGE", "CONSULTING", "INC."):
        for ch in word:
            page.append((x, 40, ch, 12))
            x += stringWidth(ch, "Helvetica", 12) + 4
        x += 8
    page += [
        (50, 60, "17 Pine Street", 9),
        (50, 72, "Denver, CO 80202", 9),
        (50, 84, "Tel. (224) 555-6017", 9),
        (300, 110, "Bill to:", 9),
        (300, 123, "Brightline Office Solutions Co.", 9),
        (300, 136, "167 Industrial Pkwy", 9),
        (300, 149, "Portland, OR 97204", 9),
        *_simple_body(200),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "BLUE RIDGE CONSULTING INC."
    assert r["customer"]["name"] == "Brightline Office Solutions Co."


def test_ordered_shipped_backordered_bills_the_shipped_quantity() -> None:
    page: list[Item] = [
        (50, 40, "Atelier Lambert SARL", 12),
        (50, 56, "12 Rue Haute", 9),
        (50, 68, "75001 Paris", 9),
        (50, 110, "FACTURE N° FA-2023-3037 du 25/03/2023", 11),
        (50, 150, "Description", 8),
        (230, 150, "Commandé", 8),
        (290, 150, "Livré", 8),
        (330, 150, "Reliquat", 8),
        (390, 150, "Prix unitaire", 8),
        (480, 150, "Total HT", 8),
        (50, 168, "Ramette papier A4 80 g", 8),
        (240, 168, "12", 8),
        (295, 168, "8", 8),
        (340, 168, "4", 8),
        (400, 168, "26,50", 8),
        (480, 168, "212,00", 8),
        (50, 182, "Maintenance chaudière", 8),
        (240, 182, "2", 8),
        (295, 182, "2", 8),
        (340, 182, "0", 8),
        (400, 182, "100,00", 8),
        (480, 182, "200,00", 8),
        (390, 220, "Total HT", 8),
        (480, 220, "412,00", 8),
    ]
    r = _read([page])
    got = [(i["description"], i["quantity"], i["unit_price"], i["amount"]) for i in r["line_items"]]
    assert got == [
        ("Ramette papier A4 80 g", "8", "26.50", "212.00"),
        ("Maintenance chaudière", "2", "100.00", "200.00"),
    ]


def _letterhead() -> list[Item]:
    return [
        (50, 40, "Lieferant GmbH", 12),
        (50, 56, "Hauptstraße 5", 9),
        (50, 68, "80333 München", 9),
    ]


def _short_table(y: float) -> list[Item]:
    return [
        *_table(y, [("Trennblätter A4", "20", "9,90", "198,00")]),
        (380, y + 60, "Gesamtbetrag", 9),
        (480, y + 60, "198,00", 9),
    ]


def test_title_line_type_code_is_not_the_number_and_its_date_beats_the_delivery_date() -> None:
    page: list[Item] = [
        *_letterhead(),
        (380, 40, "Lieferdatum: 01.03.2018", 9),
        (380, 54, "Date de livraison 28.02.2018", 9),
        (50, 110, "Handelsrechnung (380) Nr. 471102 vom 05.03.2018", 12),
        *_short_table(150),
    ]
    r = _read([page])
    assert r["invoice_number"] == "471102"
    assert r["invoice_date"] == "2018-03-05"


def test_credit_note_number_is_its_own_not_the_referenced_invoice() -> None:
    page: list[Item] = [
        *_letterhead(),
        (50, 110, "GUTSCHRIFT", 14),
        (380, 110, "Gutschriftsnummer: G2025/677", 9),
        (380, 124, "Belegdatum: 2025-08-02", 9),
        (380, 138, "Bezug: Rechnung: INV-2025-3404", 9),
        *_short_table(180),
    ]
    r = _read([page])
    assert r["document_type"] == "credit_note"
    assert r["invoice_number"] == "G2025/677"


def test_italian_credit_note_and_original_invoice_reference() -> None:
    page: list[Item] = [
        *_letterhead(),
        (50, 110, "Nota di accredito n. NC2023/581 del 05/09/2023", 12),
        (50, 130, "Rif. fattura: INV-2023-7117", 9),
        *_short_table(170),
    ]
    r = _read([page])
    assert r["document_type"] == "credit_note"
    assert r["invoice_number"] == "NC2023/581"
    assert r["invoice_date"] == "2023-09-05"


def test_contact_person_slogan_and_country_code_lines_of_an_address() -> None:
    page: list[Item] = [
        (50, 40, "Ashford Print Ltd", 14),
        (50, 56, "Since 1987", 8),
        (50, 68, "125 Deansgate", 9),
        (50, 80, "Second Floor", 9),
        (50, 92, "Manchester M1 3BE", 9),
        (50, 104, "Tel. +44 161 555 0101", 9),
        (300, 130, "Bill to:", 9),
        (300, 143, "Kramer KG", 9),
        (300, 156, "z. Hd. Marco Bianchi", 9),
        (300, 169, "Herengracht 158", 9),
        (300, 182, "3011 AD Rotterdam", 9),
        (300, 195, "NL", 9),
        *_simple_body(240),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Ashford Print Ltd"
    assert r["vendor"]["address"] == "125 Deansgate, Second Floor, Manchester M1 3BE"
    assert r["customer"]["name"] == "Kramer KG"
    assert r["customer"]["address"] == "Herengracht 158, 3011 AD Rotterdam, NL"


def test_header_values_carry_page_bbox_and_confidence_confirmed_by_the_arithmetic() -> None:
    page: list[Item] = [
        *_letterhead(),
        (380, 110, "Rechnungsnummer: RE-77", 9),
        (380, 124, "Rechnungsdatum: 05.03.2024", 9),
        *_table(160, [("Trennblätter A4", "20", "9,90", "198,00")]),
        (380, 220, "Zwischensumme", 9),
        (480, 220, "198,00", 9),
        (380, 234, "MwSt. 19 %", 9),
        (480, 234, "37,62", 9),
        (380, 248, "Gesamtbetrag", 9),
        (480, 248, "235,62", 9),
    ]
    r = _read([page])
    fields = r["fields"]
    assert r["invoice_number"] == "RE-77" and r["total"] == "235.62"
    num = fields["invoice_number"]
    assert num["page"] == 1 and 0.55 < num["bbox"][0] < 0.9 and 0 < num["bbox"][1] < 0.2
    assert fields["total"]["confidence"] >= 0.99  # subtotal + tax = total
    assert fields["subtotal"]["confidence"] >= 0.99  # the line sums to it
    assert set(fields) >= {"invoice_number", "invoice_date", "subtotal", "tax_total", "total"}


def test_a_bank_statement_sent_as_an_invoice_gets_a_warning_and_no_invented_fields() -> None:
    from ledgerlens.pipeline import process
    from tests.gen.fuzz_statements import make_fuzzed_statement

    pdf = make_fuzzed_statement(3, scanned=False)[0]
    r = process(pdf, "invoice")
    assert r["document_type"] == "invoice"
    assert r["total"] is None and r["invoice_number"] is None and r["line_items"] == []
    assert r["vendor"]["name"] is None and r["customer"]["name"] is None
    assert any("bank statement" in w for w in r["warnings"])


def test_tax_ids_printed_grouped_with_dots_hyphens_or_as_us_employer_ids() -> None:
    from ledgerlens.extract.taxids import find_tax_ids, valid_abn, valid_vat

    def ids(text: str) -> list[str]:
        return [t.value for t in find_tax_ids(text)]

    assert ids("BTW nr.: BE 1288.684.293") == ["BE1288684293"]
    assert ids("CHE-645.337.350 MWST") == ["CHE645337350"]
    assert ids("Tax ID: 52-2145770") == ["52-2145770"]
    assert ids("Tel: 12-3456789") == []
    assert valid_vat("BE0584457464") and not valid_vat("DE123456789")
    assert valid_abn("51824753556") and not valid_abn("51824753557")


def test_note_sub_lines_stay_out_and_numbers_shifted_into_the_description_are_found() -> None:
    page: list[Item] = [
        *_letterhead(),
        (50, 110, "Invoice No.: INV-5", 9),
        (50, 150, "Pos.", 8),
        (80, 150, "Description", 8),
        (300, 150, "Qty", 8),
        (380, 150, "Unit price", 8),
        (480, 150, "Amount", 8),
        (50, 168, "1", 8),
        (80, 168, "Strategy workshop", 8),
        (300, 168, "2", 8),
        (380, 168, "50.00", 8),
        (480, 168, "100.00", 8),
        (80, 180, "List price: 56.70", 8),
        # a scan's skew: quantity and price drawn inside the description column
        (50, 196, "2", 8),
        (80, 196, "Labour technician 144 h 136.85", 8),
        (480, 196, "19,706.40", 8),
        (380, 230, "Total", 8),
        (480, 230, "19,806.40", 8),
    ]
    r = _read([page])
    got = [(i["description"], i["quantity"], i["unit_price"], i["amount"]) for i in r["line_items"]]
    assert got == [
        ("Strategy workshop", "2", "50.00", "100.00"),
        ("Labour technician", "144", "136.85", "19706.40"),
    ]


def test_due_dates_from_spanish_and_italian_payment_lines() -> None:
    base: list[Item] = [
        *_letterhead(),
        (50, 110, "Factura n.º FV-2018-8958 - 15/11/2018", 11),
        *_short_table(150),
    ]
    r = _read([[*base, (50, 300, "Fecha límite de pago: 29/11/2018", 9)]])
    assert r["invoice_date"] == "2018-11-15" and r["due_date"] == "2018-11-29"
    r = _read([[*base, (50, 300, "Forma de pago: Pago a 30 días", 9)]])
    assert r["due_date"] == "2018-12-15"
    r = _read([[*base, (50, 300, "Modalità di pagamento: Bonifico bancario 30 gg d.f.", 9)]])
    assert r["due_date"] == "2018-12-15"


def test_sender_and_addressee_in_one_column_split_at_the_paragraph_gap() -> None:
    page: list[Item] = [
        (50, 40, "Huber Tischlerei OG", 12),
        (50, 55, "Industriezeile 108", 9),
        (50, 65, "6020 Innsbruck", 9),
        (50, 75, "E-Mail: accounts@huber.example.at", 9),
        (50, 110, "Donau Weinbau e.U.", 9),
        (50, 120, "Industriezeile 51", 9),
        (50, 130, "1010 Wien", 9),
        (380, 110, "Rechnungsnummer: RE-2020/995", 9),
        *_short_table(180),
    ]
    r = _read([page])
    assert r["vendor"]["name"] == "Huber Tischlerei OG"
    assert r["vendor"]["address"] == "Industriezeile 108, 6020 Innsbruck"
    assert r["customer"]["name"] == "Donau Weinbau e.U."
    assert r["customer"]["address"] == "Industriezeile 51, 1010 Wien"


def test_dutch_factuurbedrag_is_the_total() -> None:
    page: list[Item] = [
        *_letterhead(),
        (50, 110, "Factuurnummer: 2023/103", 9),
        *_table(150, [("Binnenband 28 inch", "2", "10,00", "20,00")]),
        (380, 200, "Totaal excl. btw", 9),
        (480, 200, "20,00", 9),
        (380, 214, "Btw 21%", 9),
        (480, 214, "4,20", 9),
        (380, 228, "Factuurbedrag", 9),
        (480, 228, "24,20", 9),
    ]
    r = _read([page])
    assert (r["subtotal"], r["tax_total"], r["total"], r["amount_due"]) == ("20.00", "4.20", "24.20", "24.20")


def test_document_title_before_a_party_name_is_not_part_of_it() -> None:
    from ledgerlens.extract.parties import _address_from

    lines = ["COMMERCIAL INVOICE Redwood Catering plc", "48 Deansgate", "Birmingham B3 2BJ"]
    assert _address_from(lines) == ("Redwood Catering plc", "48 Deansgate, Birmingham B3 2BJ")
    assert _address_from(["Invoice processing Ltd", "1 Main St", "Dublin 2"])[0] == "Invoice processing Ltd"


def test_space_grouped_thousands_in_the_totals_keep_their_digits() -> None:
    def amount(x: float, y: float, head: str, tail: str, gap: float) -> list[Item]:
        return [(x, y, head, 9), (x + stringWidth(head, "Helvetica", 9) + gap, y, tail, 9)]

    page: list[Item] = [
        *_letterhead(),
        (50, 110, "Facture N° FA-1 du 05/03/2024", 11),
        *_table(150, [("Maintenance", "1", "34 536,36", "34 536,36")]),
        (330, 210, "Montant HT", 9),
        *amount(470, 210, "34", "536,36", 10),
        (330, 224, "TVA à 20 %", 9),
        *amount(470, 224, "6", "907,27", 10),
        (330, 238, "Montant TTC", 9),
        *amount(470, 238, "41", "443,63", 10),
    ]
    r = _read([page])
    assert (r["subtotal"], r["tax_total"], r["total"]) == ("34536.36", "6907.27", "41443.63")


def test_carried_subtotals_of_a_multi_page_table_are_not_items() -> None:
    first: list[Item] = [
        *_letterhead(),
        (50, 110, "Rechnung Nr. RE-1 vom 05.03.2024", 11),
        *_table(150, [("Kabelkanal", "2", "100,00", "200,00"), ("Faltenbeutel", "1", "100,00", "100,00")]),
        (380, 760, "Übertrag:", 9),
        (480, 760, "300,00", 9),
    ]
    second: list[Item] = [
        *_table(60, []),
        (380, 78, "Übertrag", 9),
        (480, 78, "300,00", 9),
        (50, 92, "Kopierpapier", 9),
        (300, 92, "1", 9),
        (380, 92, "50,00", 9),
        (480, 92, "50,00", 9),
        (380, 130, "Gesamtbetrag", 9),
        (480, 130, "350,00", 9),
    ]
    r = _read([first, second])
    assert [i["amount"] for i in r["line_items"]] == ["200.00", "100.00", "50.00"]
    assert r["total"] == "350.00"
