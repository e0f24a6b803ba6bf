"""The printable 政府信息公开申请表 of one body, as DOCX and PDF.

条例第二十九条第二款 lists what an application contains: (一) 申请人的姓名或者名称、
身份证明、联系方式; (二) 申请公开的政府信息的名称、文号或者便于查询的其他特征性描述;
(三) 申请公开的政府信息的形式要求，包括获取信息的方式、途径.  The form has one
row for each, and the body's own details (name, office, address, postcode,
phone, fax) so that a person who applies in person, by post or by fax
(条例第二十九条第一款) knows where it goes.

The DOCX uses the shared official-document helpers (``gongkai.officedoc``); the
PDF uses ReportLab's built-in CID font STSong-Light, which needs no font file
(any PDF reader supplies a Song face for the Adobe-GB1 collection), so the
platform ships no Chinese font and the form renders on every server.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongkai import officedoc

TITLE = "政府信息公开申请表"

# (section, [(label, hint)]) — the rows of 条例第二十九条第二款, in its order.
APPLICANT_ROWS: tuple[tuple[str, str], ...] = (
    ("申请人类型", "□ 公民　□ 法人　□ 其他组织"),
    ("姓名或者名称", ""),
    ("身份证明（证件名称及号码）", "公民填写身份证件；法人或其他组织填写统一社会信用代码"),
    ("法定代表人或负责人（法人、其他组织填写）", ""),
    ("联系人", ""),
    ("联系电话", ""),
    ("通信地址及邮政编码", ""),
    ("电子邮箱", ""),
)
INFORMATION_ROWS: tuple[tuple[str, str], ...] = (
    ("所需政府信息的名称", ""),
    ("文号", "如知道，请填写"),
    ("便于查询的其他特征性描述", "如信息形成的时间、制作机关、涉及的事项或地点"),
)
DELIVERY_ROWS: tuple[tuple[str, str], ...] = (
    ("获取信息的方式", "□ 邮寄　□ 电子邮件　□ 传真　□ 自行领取　□ 当场阅读、抄录"),
    ("信息的载体形式", "□ 纸质　□ 电子文档　□ 光盘"),
)
SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("申请人信息（条例第二十九条第二款第（一）项）", APPLICANT_ROWS),
    ("所需政府信息（条例第二十九条第二款第（二）项）", INFORMATION_ROWS),
    ("获取信息的方式、途径（条例第二十九条第二款第（三）项）", DELIVERY_ROWS),
)
NOTES = (
    "申请应当采用书面形式，可以当面提交、邮寄或者传真，也可以在本机关政府信息公开网站在线提交；"
    "采用书面形式确有困难的，可以口头提出，由受理机构代为填写（条例第二十九条第一款）。",
    "请随本表提供身份证明复印件（法人或其他组织提供营业执照等证明文件复印件）。",
    "本机关自收到申请之日起20个工作日内答复；需要延长的，延长期限最长不超过20个工作日"
    "（条例第三十三条）。依申请提供政府信息不收取费用（条例第四十二条）。",
)


@dataclass(frozen=True)
class BodyDetails:
    name: str
    office_name: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    hours: str = ""
    website: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) of the receiving body, empty values left out."""
        rows = [
            ("受理机关", self.name),
            ("受理机构", self.office_name),
            ("通信地址", self.address),
            ("邮政编码", self.postcode),
            ("联系电话", self.phone),
            ("传真", self.fax),
            ("电子邮箱", self.email),
            ("办公时间", self.hours),
            ("网站", self.website),
        ]
        return [(label, value) for label, value in rows if value]


# --- DOCX ---------------------------------------------------------------------------

SMALL = Pt(12)  # 小四: the form's cells
HEADING = Pt(14)  # 四号


def _cell_text(cell, text: str, *, bold: bool | None = None, size=SMALL) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    officedoc.set_run_font(run, officedoc.BODY_FONT, size, bold=bold)


def form_docx(body: BodyDetails) -> bytes:
    document = Document()
    officedoc.a4_gbt9704(document)
    officedoc.set_normal_font(document, officedoc.BODY_FONT, SMALL)
    officedoc.add_paragraph(
        document,
        f"{body.name}{TITLE}",
        font=officedoc.TITLE_FONT,
        size=officedoc.TITLE_SIZE,
        align=officedoc.CENTER,
        space_after=Pt(12),
    )
    for section, rows in SECTIONS:
        officedoc.add_paragraph(
            document, section, font=officedoc.HEADING_FONT, size=HEADING, space_after=Pt(4)
        )
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, hint in rows:
            cells = table.add_row().cells
            _cell_text(cells[0], label, bold=True)
            _cell_text(cells[1], hint)
    officedoc.add_paragraph(
        document, "申请人签名（盖章）：　　　　　　　申请日期：　　年　　月　　日", size=SMALL
    )
    officedoc.add_paragraph(
        document, "受理机关", font=officedoc.HEADING_FONT, size=HEADING, space_after=Pt(4)
    )
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in body.rows():
        cells = table.add_row().cells
        _cell_text(cells[0], label, bold=True)
        _cell_text(cells[1], value)
    officedoc.add_paragraph(
        document, "填表说明", font=officedoc.HEADING_FONT, size=HEADING, space_after=Pt(4)
    )
    for n, note in enumerate(NOTES, start=1):
        officedoc.add_paragraph(document, f"{n}. {note}", size=SMALL)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------

PDF_FONT = "STSong-Light"


def _register_font() -> None:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def form_pdf(body: BodyDetails) -> bytes:
    _register_font()
    # wordWrap="CJK": Chinese lines break between any two characters.
    base = ParagraphStyle("base", fontName=PDF_FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1)
    heading = ParagraphStyle("heading", parent=base, fontSize=12, leading=18, spaceBefore=8)
    cell = ParagraphStyle("cell", parent=base)
    hint = ParagraphStyle("hint", parent=base, textColor=colors.HexColor("#555555"))
    width = A4[0] - 2 * 20 * mm
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )

    def table(rows, value_style):
        data = [[Paragraph(_esc(a), cell), Paragraph(_esc(b), value_style)] for a, b in rows]
        t = Table(data, colWidths=[width * 0.32, width * 0.68])
        t.setStyle(style)
        return t

    story = [Paragraph(_esc(f"{body.name}{TITLE}"), title), Spacer(1, 4 * mm)]
    for section, rows in SECTIONS:
        story += [Paragraph(_esc(section), heading), table(rows, hint)]
    story += [
        Spacer(1, 4 * mm),
        # Paragraph collapses runs of spaces: the blanks to write in are &nbsp;.
        Paragraph(
            f"申请人签名（盖章）：{_gap(24)}申请日期：{_gap(8)}年{_gap(4)}月{_gap(4)}日", base
        ),
        Paragraph("受理机关", heading),
        table(body.rows(), cell),
        Paragraph("填表说明", heading),
    ]
    story += [Paragraph(_esc(f"{n}. {note}"), base) for n, note in enumerate(NOTES, start=1)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{body.name}{TITLE}",
        author=body.name,
        invariant=True,  # same input, same bytes: the form is cached per body version
    )
    doc.build(story)
    return out.getvalue()


def _gap(n: int) -> str:
    return "&nbsp;" * n


def _esc(text: str) -> str:
    """ReportLab's Paragraph reads a little markup: escape what a body typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
