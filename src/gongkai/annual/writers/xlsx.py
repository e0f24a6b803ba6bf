"""XLSX writer (openpyxl) and the reader of its own layout.

Sheets: 报告信息 (metadata), 表二, 表三, 表四 (the national layout with merged
header cells; numbers as numbers) and 正文 (the section prose).  Every cell goes
through ``gongkai.spreadsheets.xlsx_put``: text that a spreadsheet would take for
a formula ("=…", "+…", "-…", "@…") is stored as text with a quote prefix.  ``t2.fees`` is
written as a number whose display format carries the printed decimals
(1234.567800 → ``0.000000``), so ``read_xlsx`` restores the exact Decimal.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.annual import format as fmt
from gongkai.annual.model import Report, SectionText
from gongkai.annual.readers.errors import ReadError
from gongkai.annual.writers.common import clean, section_title, t3_label_cells, t3_layout, title
from gongkai.spreadsheets import xlsx_append, xlsx_put

SHEET_INFO = "报告信息"
SHEET_T2 = "表二"
SHEET_T3 = "表三"
SHEET_T4 = "表四"
SHEET_PROSE = "正文"
_INFO_FIELDS = (
    ("title", "标题"),
    ("organization", fmt.ORGANIZATION_LABEL),
    ("year", "年度"),
    ("format", "格式"),
    ("level", "机关层级"),
)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_FONT = Font(name="宋体", size=10.5)


class XLSXReadError(ReadError, ValueError):
    """The workbook is not in gongkai's layout; one Chinese line for the user."""


def _put(ws, row: int, col: int, value, *, left: bool = False):
    cell = xlsx_put(ws.cell(row=row, column=col), value)
    cell.border = _BORDER
    cell.alignment = _LEFT if left else _WRAP
    cell.font = _FONT
    return cell


def _merge(ws, r1: int, c1: int, r2: int, c2: int, value, *, left: bool = False) -> None:
    _put(ws, r1, c1, value, left=left)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            if (r, c) != (r1, c1):
                ws.cell(row=r, column=c).border = _BORDER
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _value(ws, row: int, col: int, report: Report, key: str, *, span: int = 1) -> None:
    value = report.cells.get(key)
    if value is None:
        value = clean(report.raw.get(key)) or None  # printed text such as "—" stays text
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        cell = _put(ws, row, col, float(value)) if span == 1 else None
        if span > 1:
            _merge(ws, row, col, row, col + span - 1, float(value))
            cell = ws.cell(row=row, column=col)
        cell.number_format = "0." + "0" * places if places else "0"
        return
    if span > 1:
        _merge(ws, row, col, row, col + span - 1, value)
    else:
        _put(ws, row, col, value)


def _sheet_t2(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(SHEET_T2)
    doc_cols = fmt.T2_DOC_COLUMNS
    width = 1 + len(doc_cols)
    r = 1
    previous_item = None
    for row in fmt.T2_ROWS:
        if row.article_item != previous_item:
            _merge(ws, r, 1, r, width, row.article_item)
            _put(ws, r + 1, 1, fmt.T2_HEADER)
            if row.has_columns:
                for i, (_, label) in enumerate(doc_cols):
                    _put(ws, r + 1, 2 + i, label)
            else:
                _merge(ws, r + 1, 2, r + 1, width, row.column_label)
            r += 2
            previous_item = row.article_item
        _put(ws, r, 1, row.label, left=True)
        if row.has_columns:
            for i, (col, _) in enumerate(doc_cols):
                _value(ws, r, 2 + i, report, f"t2.{row.key}.{col}")
        else:
            _value(ws, r, 2, report, f"t2.{row.key}", span=width - 1)
        r += 1
    ws.column_dimensions["A"].width = 22
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 18


def _sheet_t3(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(SHEET_T3)
    cols = fmt.T3_COLUMNS
    org_cols = [label for k, label in cols if k not in ("natural", "total")]
    last = 3 + len(cols)
    _merge(ws, 1, 1, 3, 3, fmt.T3_NOTE)
    _merge(ws, 1, 4, 1, last, fmt.T3_APPLICANT_GROUP_LABEL)
    _merge(ws, 2, 4, 3, 4, fmt.T3_COLUMN_LABEL["natural"])
    _merge(ws, 2, 5, 2, 4 + len(org_cols), fmt.T3_ORG_GROUP_LABEL)
    _merge(ws, 2, last, 3, last, fmt.T3_COLUMN_LABEL["total"])
    for i, label in enumerate(org_cols):
        _put(ws, 3, 5 + i, label)
    layout = t3_layout(report)
    first = 4
    for c in t3_label_cells(layout):
        _merge(
            ws, first + c.row, 1 + c.col, first + c.last_row, 1 + c.last_col, c.text, left=c.left
        )
    for i, (_, _, _, key) in enumerate(layout):
        r = first + i
        for j, (col, _) in enumerate(cols):
            _value(ws, r, 4 + j, report, f"t3.{key}.{col}")
    for letter, width in (("A", 8), ("B", 14), ("C", 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "D4"


def _sheet_t4(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(SHEET_T4)
    n = len(fmt.T4_COLUMNS)
    blocks = fmt.T4_BLOCKS
    _merge(ws, 1, 1, 1, n, blocks[0][1])
    _merge(ws, 1, n + 1, 1, 3 * n, fmt.T4_LITIGATION_LABEL)
    for i, (_, label) in enumerate(fmt.T4_COLUMNS):
        _merge(ws, 2, 1 + i, 3, 1 + i, label)
        _put(ws, 3, n + 1 + i, label)
        _put(ws, 3, 2 * n + 1 + i, label)
    _merge(ws, 2, n + 1, 2, 2 * n, blocks[1][1])
    _merge(ws, 2, 2 * n + 1, 2, 3 * n, blocks[2][1])
    for i, key in enumerate(fmt.t4_keys()):
        _value(ws, 4, 1 + i, report, key)


def write_xlsx(report: Report) -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = SHEET_INFO
    values = {
        "title": title(report),
        "organization": clean(report.organization) or None,
        "year": report.year,
        "format": report.format,
        "level": fmt.LEVEL_LABEL.get(report.level or "", None),
    }
    for i, (name, label) in enumerate(_INFO_FIELDS, start=1):
        xlsx_put(info.cell(row=i, column=1), label).font = _FONT
        xlsx_put(info.cell(row=i, column=2), values[name]).font = _FONT
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 60
    _sheet_t2(wb, report)
    _sheet_t3(wb, report)
    _sheet_t4(wb, report)
    prose = wb.create_sheet(SHEET_PROSE)
    xlsx_append(prose, ["编号", "章节", "正文"])
    for number, section in sorted(report.sections.items()):
        heading = clean(section.heading) or section_title(report, number)
        xlsx_append(prose, [number, heading, clean(section.text)])
    prose.column_dimensions["B"].width = 36
    prose.column_dimensions["C"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Reading the layout back ---------------------------------------------------------


def looks_like_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _read_value(report: Report, key: str, cell, sheet: str) -> None:
    value = cell.value
    where = f"{sheet} {cell.coordinate}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return  # blank is missing, not zero
    if isinstance(value, bool):
        report.raw[key] = str(value)
    elif fmt.is_decimal_key(key) and isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        fmt_code = cell.number_format or ""
        if "." in fmt_code:
            places = len(fmt_code.split(".", 1)[1].rstrip(";").split(";")[0].rstrip("#"))
            if places:
                number = number.quantize(Decimal(1).scaleb(-places))
        elif number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        report.set_cell(key, number, where)
        return
    elif isinstance(value, int):
        report.set_cell(key, value, where)
        return
    elif isinstance(value, float) and value.is_integer():
        report.set_cell(key, int(value), where)
        return
    else:
        text = str(value).strip()
        if text.isdigit():
            report.set_cell(key, int(text), where)
            return
        report.raw[key] = text
    report.provenance[key] = where


def _sheet(wb, name: str):
    if name not in wb.sheetnames:
        raise XLSXReadError(f"工作簿缺少工作表「{name}」：不是 gongkai 导出的年度报告表格。")
    return wb[name]


def read_xlsx(data: bytes) -> Report:
    """Read a workbook written by ``write_xlsx`` back into a Report."""
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise XLSXReadError(f"无法打开 Excel 文件：{exc.__class__.__name__}") from exc
    report = Report(source_format="xlsx")
    info = _sheet(wb, SHEET_INFO)
    by_label = {
        str(row[0]): row[1]
        for row in info.iter_rows(values_only=True)
        if row and row[0] is not None
    }
    labels = dict(_INFO_FIELDS)
    report.title = by_label.get(labels["title"])
    report.organization = by_label.get(labels["organization"])
    year = by_label.get(labels["year"])
    report.year = int(year) if isinstance(year, int | float) or str(year or "").isdigit() else None
    report.format = str(by_label.get(labels["format"]) or fmt.FORMAT_2021)
    level_label = by_label.get(labels["level"])
    report.level = next((k for k, v in fmt.LEVELS if v == level_label), None)

    ws = _sheet(wb, SHEET_T2)
    t2_by_label = {row.label: row for row in fmt.T2_ROWS}
    for r in range(1, ws.max_row + 1):
        row = t2_by_label.get(str(ws.cell(row=r, column=1).value or "").strip())
        if row is None:
            continue
        if row.has_columns:
            for i, (col, _) in enumerate(fmt.T2_DOC_COLUMNS):
                _read_value(report, f"t2.{row.key}.{col}", ws.cell(row=r, column=2 + i), SHEET_T2)
        else:
            _read_value(report, f"t2.{row.key}", ws.cell(row=r, column=2), SHEET_T2)

    ws = _sheet(wb, SHEET_T3)
    group = None
    keyed: dict[tuple[str | None, str], str] = {}
    for variant in (False, True):
        for level1, grp, sub, key in t3_layout(Report(one_row_other=variant)):
            keyed[(grp, sub or "")] = key
            if grp is None:
                keyed[(None, level1 or "")] = key
    found_other_row = False
    for r in range(4, ws.max_row + 1):
        a, b, c = (str(ws.cell(row=r, column=i).value or "").strip() for i in (1, 2, 3))
        if b:
            group = b
        key = None
        if a and a != fmt.T3_RESULTS_HEADING:
            key = keyed.get((None, a))
            group = None
        elif c:
            key = keyed.get((group, c))
        elif b:
            key = keyed.get((b, ""))
        if key is None:
            continue
        if key == fmt.T3_OTHER_ONE_ROW:
            found_other_row = True
        for j, (col, _) in enumerate(fmt.T3_COLUMNS):
            _read_value(report, f"t3.{key}.{col}", ws.cell(row=r, column=4 + j), SHEET_T3)
    report.one_row_other = found_other_row

    ws = _sheet(wb, SHEET_T4)
    for i, key in enumerate(fmt.t4_keys()):
        _read_value(report, key, ws.cell(row=4, column=1 + i), SHEET_T4)

    if SHEET_PROSE in wb.sheetnames:
        for row in wb[SHEET_PROSE].iter_rows(min_row=2, values_only=True):
            if not row or not isinstance(row[0], int) or not 1 <= row[0] <= 6:
                continue
            heading = str(row[1] or fmt.SECTION_BY_NUMBER[row[0]].title)
            report.sections[row[0]] = SectionText(row[0], heading, str(row[2] or ""))
    return report
