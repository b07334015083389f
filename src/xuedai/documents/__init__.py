"""Documents: PDF forms (WeasyPrint), Excel tables (xlsxwriter), imports (openpyxl) — DOMAIN.md §7.

Other apps call the builders here; nothing in this app writes to the database.
"""
