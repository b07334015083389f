"""PDF infrastructure: fonts resolve to embedded Noto CJK, the glyph checks catch what they claim to,
and downloads carry a Chinese file name without personal data."""

from urllib.parse import unquote

import pytest

from xuedai.documents import checks
from xuedai.documents.pdf import content_disposition, html_to_pdf, pdf_response, render_pdf_many

PAGE = '<html><body style="font-family: \'Noto Serif CJK SC\'"><h1>国家助学贷款</h1><p>{}</p></body></html>'


def test_fonts_are_embedded_noto_cjk():
    pdf = html_to_pdf(PAGE.format("金额 ¥6,000.00（陆仟元整）—— 2024年9月1日 √ ABC"))
    fonts = checks.pdf_fonts(pdf)
    assert fonts and all(f.embedded and f.subset and f.to_unicode for f in fonts)
    assert all("Noto" in f.name and "CJK" in f.name for f in fonts)
    checks.assert_no_missing_glyphs(pdf, "国家助学贷款", "陆仟元整")


def test_a_fallback_font_is_caught():
    # ☐ is not in Noto CJK: Pango borrows it from DejaVu, which pdffonts then lists.
    pdf = html_to_pdf(PAGE.format("选项 ☐"))
    with pytest.raises(AssertionError, match="not a CJK font"):
        checks.assert_no_missing_glyphs(pdf)


def test_an_empty_box_is_caught():
    # A private-use code point has no glyph anywhere: .notdef is drawn in the Noto font itself and
    # pdftotext still returns the character — only the character-map check sees it.
    pdf = html_to_pdf(PAGE.format("缺字\ue000"))
    with pytest.raises(AssertionError, match="empty boxes"):
        checks.assert_no_missing_glyphs(pdf)


def test_a_missing_title_is_caught():
    pdf = html_to_pdf(PAGE.format("正文"))
    with pytest.raises(AssertionError, match="not found"):
        checks.assert_no_missing_glyphs(pdf, "借款合同")


def test_png_pages_are_drawn(tmp_path):
    pdf = html_to_pdf(PAGE.format("第一页"))
    pages = checks.pdf_to_png(pdf, tmp_path)
    assert [p.name for p in pages] == ["page-1.png"]
    assert not checks.png_is_blank(pages[0])
    blank = checks.pdf_to_png(html_to_pdf("<html><body></body></html>"), tmp_path / "blank")
    assert checks.png_is_blank(blank[0])


def test_render_many_keeps_pages_in_order():
    pdf = render_pdf_many([("documents/print_base.html", {"title": "甲"}),
                           ("documents/print_base.html", {"title": "乙"})])
    assert checks.pdf_page_count(pdf) == 2


def test_content_disposition_is_rfc5987():
    header = content_disposition("借款合同-2024-SC0001.pdf")
    assert header.startswith('attachment; filename="____-2024-SC0001.pdf"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == "借款合同-2024-SC0001.pdf"
    assert content_disposition('a"b;c.pdf', inline=True).startswith('inline; filename="a_b_c.pdf"')


def test_pdf_response_is_private():
    response = pdf_response(b"%PDF-1.7", "受理证明.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''%E5%8F%97" in response["Content-Disposition"]
