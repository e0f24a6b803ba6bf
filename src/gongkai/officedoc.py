"""The official-document look (GB/T 9704-2012 《党政机关公文格式》) for every DOCX
the platform writes: the annual report (annual/writers/docx.py), the bulletin
notice (disclosure/bulletin.py) and the formal letters (applications/letters.py).

GB/T 9704-2012: A4 (210 mm × 297 mm, 5.1); margins top 37 mm (天头), bottom
35 mm, left 28 mm (订口), right 26 mm (5.2.1); title in 2号小标宋 (7.3.1), body
in 3号仿宋 (7.3.3, 5.2.2), first level of headings in 黑体 (7.3.3); every
paragraph starts two characters in (左空二字, 7.3.3); the issuing body's name and
the date stand four characters from the right (右空四字, 7.3.5).

The three builders differ in details, and each difference is a parameter here
so that every document comes out as it did before these helpers were shared:

- which font goes into the non-East-Asian slots (``latin``): the report names
  the official font everywhere, the letters name a common fallback there;
- whether the complex-script slot is set (``cs``) and bold is written (``bold``);
- the Normal style's font (:func:`set_normal_font`), set by two of them only;
- the font table's fallbacks (:func:`declare_fallbacks`), declared by the report.

Pure: python-docx and lxml only, no Django, so the annual core may use it.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm, Pt
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
# Fonts found on machines without the official ones; Word, WPS and LibreOffice
# substitute a font table entry's w:altName (see declare_fallbacks).
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
LINE_SPACING = Pt(28)  # fixed line height of the bulletin and the letters
PAGE_MM = (210, 297)  # A4, width × height
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RFONTS_EAST_ASIA = f"{{{_W}}}eastAsia"
_RFONTS_CS = f"{{{_W}}}cs"


def a4_gbt9704(document) -> None:
    """Every section on A4 with the GB/T 9704 margins."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])


def set_normal_font(document, name: str, size: Length | None = None) -> None:
    """The Normal style (the document default) in ``name``, East Asian slot included."""
    normal = document.styles["Normal"]
    normal.font.name = name
    if size is not None:
        normal.font.size = size
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(_RFONTS_EAST_ASIA, name)


def set_run_font(
    run,
    east_asian: str,
    size: Length,
    *,
    latin: str | None = None,
    bold: bool | None = None,
    cs: bool = False,
) -> None:
    """Name ``east_asian`` in the run's East Asian slot (w:rFonts/@w:eastAsia),
    which is the slot Chinese text is drawn with.

    ``latin`` goes into the w:ascii and w:hAnsi slots (default: ``east_asian``);
    ``cs=True`` also names it in the complex-script slot; ``bold`` is written
    only when given (``False`` writes an explicit "not bold").
    """
    latin = east_asian if latin is None else latin
    run.font.size = size
    run.font.name = latin  # w:ascii and w:hAnsi
    if bold is not None:
        run.font.bold = bold
    fonts = run._element.rPr.rFonts
    fonts.set(_RFONTS_EAST_ASIA, east_asian)
    if cs:
        fonts.set(_RFONTS_CS, latin)


def shape_paragraph(
    paragraph,
    *,
    size: Length = BODY_SIZE,
    align=None,
    first_line_chars: float | None = None,
    right_chars: float | None = None,
    line_spacing: Length | None = None,
    space_after: Length | None = None,
) -> None:
    """Alignment, indents counted in characters of ``size`` (GB/T 9704 counts
    in characters: 左空二字, 右空四字), exact line height and space after.
    Nothing is written for an argument left at ``None``."""
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if first_line_chars is not None:
        fmt.first_line_indent = Pt(size.pt * first_line_chars)
    if right_chars is not None:
        fmt.right_indent = Pt(size.pt * right_chars)
    if line_spacing is not None:
        fmt.line_spacing = line_spacing
    if space_after is not None:
        fmt.space_after = space_after


def add_paragraph(
    container,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Length = BODY_SIZE,
    latin: str | None = None,
    bold: bool | None = None,
    cs: bool = False,
    align=None,
    first_line_chars: float | None = None,
    right_chars: float | None = None,
    line_spacing: Length | None = None,
    space_after: Length | None = None,
):
    """A new paragraph of ``container`` (a document or a table cell) holding
    ``text`` in one run; see :func:`shape_paragraph` and :func:`set_run_font`."""
    paragraph = container.add_paragraph()
    shape_paragraph(
        paragraph,
        size=size,
        align=align,
        first_line_chars=first_line_chars,
        right_chars=right_chars,
        line_spacing=line_spacing,
        space_after=space_after,
    )
    set_run_font(paragraph.add_run(text), font, size, latin=latin, bold=bold, cs=cs)
    return paragraph


def declare_fallbacks(document, fallbacks: dict[str, str]) -> None:
    """Add a w:font entry with a w:altName for each font to word/fontTable.xml,
    which is how Word, WPS and LibreOffice pick a substitute for a font the
    machine lacks."""
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)  # noqa: S320 - python-docx's own template part
        for name, alt in fallbacks.items():
            font = etree.SubElement(root, f"{{{_W}}}font", {f"{{{_W}}}name": name})
            etree.SubElement(font, f"{{{_W}}}altName", {f"{{{_W}}}val": alt})
            etree.SubElement(font, f"{{{_W}}}charset", {f"{{{_W}}}val": "86"})  # GB2312
            etree.SubElement(font, f"{{{_W}}}family", {f"{{{_W}}}val": "auto"})
            etree.SubElement(font, f"{{{_W}}}pitch", {f"{{{_W}}}val": "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return
