"""Generated test documents with exact RESULT_SCHEMA truth (fictional banks, vendors and people).

- scan: render_pdf_page / render_pdf, degrade (noise, blur, skew, JPEG, 90/180/270), photo (phone shot
  on a desk), image_to_pdf, image_bytes, multipage_tiff, scan_pdf, encrypt_pdf, page_count.
- statements: STATEMENT_FAMILIES, make_statement(family, seed, **opts) -> (pdf, truth),
  make_scanned_statement(family, seed, **opts).
- invoices: INVOICE_FAMILIES, LINE_DISCOUNT_FAMILIES, make_invoice(family, seed, **opts) -> (pdf, truth),
  make_scanned_invoice(family, seed, **opts).
- einvoice: EINVOICE_FAMILIES, build_cii_xml, embed_xml, make_einvoice(family, seed) -> (pdf, truth, xml).
- common: number/date formatting, IBAN (mod-97), fonts, word wrap shared by page and truth.

Everything is deterministic for (family, seed); options never shift the main random stream.
"""
