"""HTML → PDF through WeasyPrint, on A4, with the Noto CJK fonts Debian ships (fonts-noto-cjk).

WeasyPrint finds fonts through fontconfig, so `font-family: "Noto Serif CJK SC"` in
`documents/print_base.html` resolves to /usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc and the
glyphs are embedded as a subset. `checks.assert_no_missing_glyphs` verifies that in the tests.
"""

import logging
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

# WeasyPrint logs every layout step at INFO ("Step 5 - Creating layout"); keep warnings (bad CSS).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# One FontConfiguration per process: building it scans fontconfig, which costs ~100 ms per PDF.
_font_config = None


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str) -> bytes:
    # Imported lazily: WeasyPrint pulls in Pango through cffi, which pages that never print need not load.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(font_config=_fonts())


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template that extends `documents/print_base.html` (A4 portrait unless it overrides)."""
    return html_to_pdf(render_to_string(template_name, context))


def render_pdf_many(parts: list[tuple[str, dict]]) -> bytes:
    """Several templates in one PDF, each keeping its own @page rules and page numbering: the laid-out
    pages are joined, not the PDF bytes (WeasyPrint's documented way; no PDF-merging library needed)."""
    from weasyprint import HTML

    documents = [HTML(string=render_to_string(name, ctx)).render(font_config=_fonts())
                 for name, ctx in parts]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266/5987: an ASCII fallback plus filename*=UTF-8'' for the Chinese name.

    The caller names the document, not the person (e.g. "借款合同-2024-000123.pdf"): file names end
    up in download folders, mail attachments and proxy logs, where personal data must not travel.
    """
    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_"
                         for ch in filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(data: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    # Printed forms carry identity numbers: never keep them in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    return file_response(pdf_bytes, filename, "application/pdf", inline=inline)
