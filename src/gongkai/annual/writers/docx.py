"""DOCX writer (python-docx): the national layout on a GB/T 9704 page.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.  Title in
方正小标宋简体 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt), section headings in
黑体 三号, tables in 五号/小五 so that they fit the type area.  The Chinese fonts
are set as East Asian fonts (w:rFonts/@w:eastAsia) and declared in the font
table with a fallback (w:altName 宋体/仿宋/黑体) for machines without them,
which is how Word, WPS and LibreOffice substitute fonts.  The merged header
cells follow the official template (国办公开办函〔2021〕30号).  The page and font
setters are shared with the bulletin and the letters: :mod:`gongkai.officedoc`.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

from gongkai.annual import format as fmt
from gongkai.annual.model import Report
from gongkai.annual.writers.common import (
    cell_text,
    clean,
    paragraphs,
    section_title,
    t3_label_cells,
    t3_layout,
    title,
)
from gongkai.officedoc import (
    BODY_FONT,
    BODY_SIZE,
    CENTER,
    FALLBACKS,
    HEADING_FONT,
    LEFT,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    TITLE_SIZE,
    a4_gbt9704,
    add_paragraph,
    declare_fallbacks,
    set_normal_font,
    set_run_font,
    shape_paragraph,
)

TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五: tables 3 and 4 have 10 and 15 columns


# Every run names the official font in all four slots and says "not bold";
# substitutes come from the font table (declare_fallbacks), not from the run.
RUN_STYLE = {"bold": False, "cs": True}


def _para(document, text: str, *, font=BODY_FONT, size=BODY_SIZE, center=False, indent=True):
    return add_paragraph(
        document,
        text,
        font=font,
        size=size,
        align=CENTER if center else None,
        first_line_chars=2 if indent and not center else None,
        **RUN_STYLE,
    )


def _set(cell, text: str, size: Pt, *, center: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    shape_paragraph(paragraph, size=size, align=CENTER if center else LEFT, first_line_chars=0)
    set_run_font(paragraph.add_run(text), BODY_FONT, size, **RUN_STYLE)


class _Grid:
    """A table whose cells are looked up once: python-docx's ``table.cell()`` walks
    the whole table on every call.  Merged regions never overlap, so the looked-up
    cells stay valid while merging."""

    def __init__(self, document, rows: int, widths_mm: list[float]):
        self.table = document.add_table(rows=rows, cols=len(widths_mm))
        self.table.style = "Table Grid"
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        for column, width in zip(self.table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # w:gridCol, which LibreOffice and WPS follow
        flat = self.table._cells
        n = len(widths_mm)
        self.cells = [flat[i * n : (i + 1) * n] for i in range(rows)]
        for row in self.cells:
            for cell, width in zip(row, widths_mm, strict=True):
                cell.width = Mm(width)

    def cell(self, r: int, c: int):
        return self.cells[r][c]


def _widths(labels: list[float], values: int) -> list[float]:
    rest = (TEXT_WIDTH_MM - sum(labels)) / values
    return [*labels, *([rest] * values)]


def _merge(table, r1: int, c1: int, r2: int, c2: int, text: str, size: Pt, center=True) -> None:
    cell = table.cell(r1, c1)
    if (r1, c1) != (r2, c2):
        cell = cell.merge(table.cell(r2, c2))
    _set(cell, text, size, center=center)


def _table2(document, report: Report) -> None:
    doc_cols = fmt.T2_DOC_COLUMNS
    width = 1 + len(doc_cols)
    items = []
    for row in fmt.T2_ROWS:
        if not items or items[-1][0] != row.article_item:
            items.append((row.article_item, []))
        items[-1][1].append(row)
    n_rows = sum(2 + len(rows) for _, rows in items)
    table = _Grid(document, n_rows, _widths([40], width - 1))
    size = TABLE_SIZE
    r = 0
    for item, rows in items:
        _merge(table, r, 0, r, width - 1, item, size)
        _set(table.cell(r + 1, 0), fmt.T2_HEADER, size)
        if rows[0].has_columns:
            for i, (_, label) in enumerate(doc_cols):
                _set(table.cell(r + 1, i + 1), label, size)
        else:
            _merge(table, r + 1, 1, r + 1, width - 1, rows[0].column_label or "", size)
        r += 2
        for row in rows:
            _set(table.cell(r, 0), row.label, size)
            if row.has_columns:
                for i, (col, _) in enumerate(doc_cols):
                    _set(table.cell(r, i + 1), cell_text(report, f"t2.{row.key}.{col}"), size)
            else:
                _merge(table, r, 1, r, width - 1, cell_text(report, f"t2.{row.key}"), size)
            r += 1


def _table3(document, report: Report) -> None:
    cols = fmt.T3_COLUMNS
    org_cols = [(k, label) for k, label in cols if k not in ("natural", "total")]
    layout = t3_layout(report)
    width = 3 + len(cols)
    table = _Grid(document, 3 + len(layout), _widths([12, 16, 44], len(cols)))
    size = WIDE_TABLE_SIZE
    _merge(table, 0, 0, 2, 2, fmt.T3_NOTE, size)
    _merge(table, 0, 3, 0, width - 1, fmt.T3_APPLICANT_GROUP_LABEL, size)
    _merge(table, 1, 3, 2, 3, fmt.T3_COLUMN_LABEL["natural"], size)
    _merge(table, 1, 4, 1, 3 + len(org_cols), fmt.T3_ORG_GROUP_LABEL, size)
    _merge(table, 1, width - 1, 2, width - 1, fmt.T3_COLUMN_LABEL["total"], size)
    for i, (_, label) in enumerate(org_cols):
        _set(table.cell(2, 4 + i), label, size)
    first = 3
    for c in t3_label_cells(layout):
        _merge(
            table, first + c.row, c.col, first + c.last_row, c.last_col, c.text, size, not c.left
        )
    for i, (_, _, _, key) in enumerate(layout):
        r = first + i
        for j, (col, _) in enumerate(cols):
            _set(table.cell(r, 3 + j), cell_text(report, f"t3.{key}.{col}"), size)


def _table4(document, report: Report) -> None:
    n = len(fmt.T4_COLUMNS)
    blocks = fmt.T4_BLOCKS
    table = _Grid(document, 4, _widths([], 3 * n))
    size = WIDE_TABLE_SIZE
    _merge(table, 0, 0, 0, n - 1, blocks[0][1], size)
    _merge(table, 0, n, 0, 3 * n - 1, fmt.T4_LITIGATION_LABEL, size)
    for i, (_, label) in enumerate(fmt.T4_COLUMNS):
        _merge(table, 1, i, 2, i, label, size)
        _set(table.cell(2, n + i), label, size)
        _set(table.cell(2, 2 * n + i), label, size)
    _merge(table, 1, n, 1, 2 * n - 1, blocks[1][1], size)
    _merge(table, 1, 2 * n, 1, 3 * n - 1, blocks[2][1], size)
    for i, key in enumerate(fmt.t4_keys()):
        _set(table.cell(3, i), cell_text(report, key), size)


def write_docx(report: Report) -> bytes:
    document = Document()
    a4_gbt9704(document)
    set_normal_font(document, BODY_FONT, BODY_SIZE)
    declare_fallbacks(document, FALLBACKS)
    _para(document, title(report), font=TITLE_FONT, size=TITLE_SIZE, center=True)
    if clean(report.organization).strip():
        _para(document, f"{fmt.ORGANIZATION_LABEL}：{clean(report.organization)}", indent=False)
    tables = {2: _table2, 3: _table3, 4: _table4}
    for section in fmt.SECTIONS:
        present = report.sections.get(section.number)
        if present is None and section.number not in tables:
            continue
        _para(document, section_title(report, section.number), font=HEADING_FONT)
        if present is not None:
            for text in paragraphs(present.text):
                _para(document, text)
        if section.number in tables:
            tables[section.number](document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
