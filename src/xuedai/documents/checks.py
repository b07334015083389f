"""Checks on rendered PDFs through poppler-utils (pdftoppm, pdftotext, pdffonts) — for tests of any app.

Why these and not a PDF library: poppler is what Debian's print and preview tools use, so "pdftotext
reads the title back and pdffonts lists only embedded Noto CJK fonts" is close to "it prints right".
A missing glyph shows up one of two ways: Pango falls back to another font (pdffonts then lists a
non-CJK font such as DejaVu), or nothing has the glyph and the font's .notdef (an empty box) is
drawn while the ToUnicode map still names the character, so pdftotext returns it as if all were
well. assert_no_missing_glyphs checks both: every font is Noto CJK, and every character pdftotext
reads back is in the Noto CJK SC character map (fontTools reads it from the installed font).
"""

import functools
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Characters that mean "a glyph went missing" when they come back from pdftotext.
_BAD_CHARS = {"\ufffd": "U+FFFD", "\u25a1": "□ U+25A1", "\u2610": "☐ U+2610", "\x00": "NUL"}
# Compared with the font name lower-cased and without "-"/" ": WeasyPrint writes "Noto-Serif-CJK-SC",
# other producers "NotoSerifCJKsc-Regular".
CJK_FONT_MARKERS = ("notoserifcjk", "notosanscjk", "sourcehanserif", "sourcehansans")


def _run(args: list[str], data: bytes | None = None) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True, timeout=120).stdout


def _to_file(pdf_bytes: bytes, directory: Path) -> Path:
    path = directory / "document.pdf"
    path.write_bytes(pdf_bytes)
    return path


def pdf_to_png(pdf_bytes: bytes, out_dir: Path | None = None, *, dpi: int = 72) -> list[Path]:
    """One PNG per page, in page order. Without out_dir a fresh temporary directory is used."""
    directory = Path(out_dir or tempfile.mkdtemp(prefix="xuedai-pdf-"))
    directory.mkdir(parents=True, exist_ok=True)
    source = _to_file(pdf_bytes, directory)
    _run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(directory / "page")])
    # pdftoppm pads page numbers to the page count's width (page-1 or page-01): sort numerically.
    return sorted(directory.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def pdf_text(pdf_bytes: bytes, *, layout: bool = False) -> str:
    return _run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"],
                pdf_bytes).decode("utf-8")


def pdf_page_count(pdf_bytes: bytes) -> int:
    info = _run(["pdfinfo", "-"], pdf_bytes).decode("utf-8")
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


@dataclass(frozen=True)
class PdfFont:
    name: str  # e.g. "ABCDEF+NotoSerifCJKsc-Regular" (the prefix marks a subset)
    type: str
    embedded: bool
    subset: bool
    to_unicode: bool


def pdf_fonts(pdf_bytes: bytes) -> list[PdfFont]:
    with tempfile.TemporaryDirectory() as tmp:
        # pdffonts cannot read stdin.
        out = _run(["pdffonts", str(_to_file(pdf_bytes, Path(tmp)))]).decode("utf-8")
    lines = out.splitlines()
    # Columns are fixed-width under a dashed rule; split the rule to find each column's span.
    rule = lines[1]
    spans, start = [], 0
    for part in rule.split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    fonts = []
    for line in lines[2:]:
        cols = [line[a:b].strip() for a, b in spans]
        # name, type, encoding, emb, sub, uni, object ID (type may hold a space: "CID Type 0C")
        fonts.append(PdfFont(name=cols[0], type=cols[1], embedded=cols[3] == "yes",
                             subset=cols[4] == "yes", to_unicode=cols[5] == "yes"))
    return fonts


@functools.cache
def noto_cjk_charset() -> frozenset[int]:
    """Code points Noto Serif CJK SC and Noto Sans CJK SC can draw (~44,700), as fontconfig finds them."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        found = _run(["fc-match", "-f", "%{file}:%{index}", family]).decode()
        path, _, index = found.rpartition(":")
        font = TTFont(path, fontNumber=int(index or 0), lazy=True)
        points.update(font.getBestCmap())
        font.close()
    return frozenset(points)


def uncovered_chars(text: str) -> set[str]:
    """Characters of `text` that Noto CJK SC has no glyph for (whitespace and control codes ignored;
    private-use and unassigned code points are kept: those are exactly the ones drawn as boxes)."""
    charset = noto_cjk_charset()
    return {ch for ch in text
            if not ch.isspace() and unicodedata.category(ch) != "Cc" and ord(ch) not in charset}


def assert_no_missing_glyphs(pdf_bytes: bytes, *expected: str) -> str:
    """Every font embedded and a Noto CJK face; each expected string (the title, a name…) read back
    whole; no replacement or empty-box characters. Returns the text for further assertions."""
    fonts = pdf_fonts(pdf_bytes)
    assert fonts, "PDF has no fonts: text was not rendered"
    for font in fonts:
        assert font.embedded, f"font not embedded: {font.name}"
        assert font.to_unicode, f"font without ToUnicode map (text cannot be copied): {font.name}"
        plain = font.name.split("+", 1)[-1].replace("-", "").replace(" ", "").lower()
        assert any(marker in plain for marker in CJK_FONT_MARKERS), (
            f"font {font.name!r} is not a CJK font: some glyph fell back (missing in Noto CJK?)"
        )
    text = pdf_text(pdf_bytes)
    for char, name in _BAD_CHARS.items():
        assert char not in text, f"{name} in the PDF text: a glyph is missing"
    missing = uncovered_chars(text)
    assert not missing, f"drawn as empty boxes (not in Noto CJK SC): {sorted(missing)}"
    # pdftotext may break lines inside long strings; compare without whitespace.
    flat = "".join(text.split())
    for wanted in expected:
        assert "".join(wanted.split()) in flat, f"{wanted!r} not found in the PDF text"
    return text


def png_is_blank(path: Path) -> bool:
    """True when the page image is a single colour (nothing drawn)."""
    from PIL import Image, ImageStat

    with Image.open(path) as image:
        stat = ImageStat.Stat(image.convert("L"))
        return stat.var[0] < 1.0
