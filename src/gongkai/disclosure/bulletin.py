"""The printable A4 notice for the bulletin board (公示栏), in the GB/T 9704 look.

GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; title in 2号小标宋 (22 pt), body in 3号仿宋 (16 pt).
Fonts fall back (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋) on machines without them:
Word picks the first installed font named in the east-Asian slot, so we name
the official one and set a fallback through the document defaults.  The page
and font setters are shared with the annual report and the letters:
:mod:`gongkai.officedoc`.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

from docx import Document

from gongkai.officedoc import (
    CENTER,
    FALLBACKS,
    LINE_SPACING,
    RIGHT,
    TITLE_FONT,
    TITLE_SIZE,
    a4_gbt9704,
    add_paragraph,
    set_normal_font,
)

from .models import Item

# The document default (Normal style) is 宋体, the title font's substitute; each
# run names its official font in all three of its slots.
FALLBACK_FONT = FALLBACKS[TITLE_FONT]

_TAG_RE = re.compile(r"<[^>]+>")


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
    set_normal_font(document, FALLBACK_FONT)
    a4_gbt9704(document)

    add_paragraph(document, item.title, font=TITLE_FONT, size=TITLE_SIZE, align=CENTER)
    if item.document_number:
        add_paragraph(document, item.document_number, align=CENTER)

    def body_line(text: str, *, indent: bool = True, align=None):
        return add_paragraph(
            document,
            text,
            align=align,
            first_line_chars=2 if indent else None,
            line_spacing=LINE_SPACING,
        )

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
    body_line(item.organization.name, indent=False, align=RIGHT)
    body_line(cn_date(issued_on), indent=False, align=RIGHT)
    if item.index_number:
        body_line(f"索引号：{item.index_number}", indent=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
