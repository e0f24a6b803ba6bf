"""The printable A4 notice for the bulletin board (公示栏), in the GB/T 9704 look.

GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; title in 2号小标宋 (22 pt), body in 3号仿宋 (16 pt).
Fonts fall back (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋) on machines without them:
Word picks the first installed font named in the east-Asian slot, so we name
the official one and set a fallback through the document defaults.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .models import Item

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
FALLBACK_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

_TAG_RE = re.compile(r"<[^>]+>")


def _set_font(run, name: str, size) -> None:
    run.font.size = size
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def body_paragraphs(item: Item) -> list[str]:
    text = item.body or ""
    if item.body_format == Item.BodyFormat.HTML:
        text = re.sub(r"</p>|<br\s*/?>", "\n", text)
        text = html.unescape(_TAG_RE.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def bulletin_docx(item: Item, *, issued_on: dt.date) -> bytes:
    """The notice as DOCX bytes: title, body, 公示期 sentence, body's name and date."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FALLBACK_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FALLBACK_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(item.title), TITLE_FONT, TITLE_SIZE)
    if item.document_number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(number.add_run(item.document_number), BODY_FONT, BODY_SIZE)

    def body_line(text: str, *, indent: bool = True, align=None):
        paragraph = document.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = Pt(28)
        _set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
        return paragraph

    for line in body_paragraphs(item):
        body_line(line)
    if item.notice_from and item.notice_to:
        body_line(
            f"公示期：{cn_date(item.notice_from)}至{cn_date(item.notice_to)}。"
            "公示期内如有异议，请向本机关反映。"
        )
        org = item.organization
        if org.office_phone:
            body_line(f"联系电话：{org.office_phone}")
    body_line("", indent=False)
    body_line(item.organization.name, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    body_line(cn_date(issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if item.index_number:
        body_line(f"索引号：{item.index_number}", indent=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
