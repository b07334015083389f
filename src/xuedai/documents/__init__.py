"""Documents: PDF forms (WeasyPrint), Excel tables (xlsxwriter), imports (openpyxl) — DOMAIN.md §7.

Other apps call the builders here; nothing in this app writes to the database.

- pdf: render_pdf, render_pdf_many, pdf_response (Chinese file names, RFC 5987)
- amounts: amount_in_words (大写金额), money
- xlsx: xlsx_table, table_response (CSV past Excel's row limit)
- imports / parsers / import_templates: read_xlsx with row-by-row errors; the empty template
- checks: poppler-based PDF checks for tests (fonts embedded, no missing glyphs, PNG pages)
- home_county: 申请表, 借款合同 ×4, 受理证明, 违约责任告知书, signing pack (+ the summaries below)
- summaries: 借款申请汇总表 (county), 省汇总表 (by county)
- campus: 申请审批表, 学生审核信息表, 审查合格名册, 贷款台账
- archive: 档案清单 per contract (new loan / renewal)
"""
