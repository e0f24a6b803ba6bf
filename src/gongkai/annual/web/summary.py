"""The summary of a batch check a supervisor can hand on: XLSX or HTML.

XLSX sheets: 汇总 (one row per body), 问题 (every finding), 单元格 (every cell
read, with the OCR confidence when OCR read it).  Numbers are numbers, dates
are dates, the header row is frozen and filters are on.  Every cell goes
through :func:`gongkai.spreadsheets.xlsx_put`, like every XLSX writer of the
platform: text is written as text, and text a spreadsheet program would take
for a formula (= + - @, their full-width forms, a leading tab) also gets the
``quotePrefix`` style, so a body name from the list or a value taken from a web
page never becomes a formula, not even after the cell is edited.
"""

from __future__ import annotations

import html
import io
from decimal import Decimal

from gongkai.annual import format as fmt
from gongkai.annual.web.batch import OK, STATUS_LABEL, Outcome
from gongkai.spreadsheets import xlsx_put

SEVERITY_LABEL = {"error": "错误", "warning": "警告"}

SUMMARY_COLUMNS = (
    ("序号", 6),
    ("机关", 24),
    ("层级", 8),
    ("网址", 40),
    ("年度", 8),
    ("读取状态", 10),
    ("原因", 40),
    ("报告地址", 40),
    ("报告中的机关名称", 24),
    ("报告年度", 8),
    ("文件格式", 8),
    ("错误数", 8),
    ("警告数", 8),
    ("公布日期", 12),
    ("公布期限", 12),
    ("是否逾期", 10),
    ("逾期天数", 10),
    ("与上年重复率", 12),
    ("上年报告地址", 40),
)


def _lateness(o: Outcome) -> str:
    if o.days_late is None:
        return "无法判断" if o.status == OK else ""
    return "逾期" if o.days_late > 0 else "按时"


def summary_rows(outcomes: list[Outcome]) -> list[list]:
    rows = []
    for n, o in enumerate(outcomes, start=1):
        rows.append(
            [
                n,
                o.name or "",
                fmt.LEVEL_LABEL.get(o.level or "", o.level or ""),
                o.url,
                o.year,
                STATUS_LABEL.get(o.status, o.status),
                o.reason or o.previous_reason or "",
                o.report_url or "",
                o.organization or "",
                o.report_year,
                o.source_format or "",
                o.errors if o.status == OK else None,
                o.warnings if o.status == OK else None,
                o.published_on,
                o.deadline,
                _lateness(o),
                o.days_late if o.days_late is not None and o.days_late > 0 else None,
                o.repetition,
                o.previous_url or "",
            ]
        )
    return rows


def _put(ws, row: int, col: int, value) -> None:
    if value is None:
        return
    cell = xlsx_put(ws.cell(row=row, column=col), value)  # text stays text
    if hasattr(value, "isoformat"):
        cell.number_format = "yyyy-mm-dd"


def _sheet(wb, title: str, header: list[tuple[str, int]], rows: list[list], first: bool = False):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    for col, (label, width) in enumerate(header, start=1):
        _put(ws, 1, col, label)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    return ws


def write_summary_xlsx(outcomes: list[Outcome]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = _sheet(wb, "汇总", list(SUMMARY_COLUMNS), summary_rows(outcomes), first=True)
    percent_col = [h for h, _ in SUMMARY_COLUMNS].index("与上年重复率") + 1
    for r in range(2, len(outcomes) + 2):
        ws.cell(row=r, column=percent_col).number_format = "0%"
    findings = []
    cells = []
    for n, o in enumerate(outcomes, start=1):
        for f in o.findings:
            findings.append(
                [
                    n,
                    o.name or o.organization or "",
                    o.url,
                    SEVERITY_LABEL.get(f["severity"], f["severity"]),
                    f["code"],
                    f["message"],
                    "、".join(f.get("cells") or []),
                    f.get("location") or "",
                ]
            )
        for key, value in o.cells.items():
            number = Decimal(value) if isinstance(value, str) else value
            cells.append(
                [
                    n,
                    o.name or o.organization or "",
                    key,
                    float(number) if isinstance(number, Decimal) else number,
                    o.confidence.get(key),
                ]
            )
    _sheet(
        wb,
        "问题",
        [
            ("序号", 6),
            ("机关", 24),
            ("网址", 40),
            ("级别", 8),
            ("代码", 22),
            ("说明", 80),
            ("单元格", 30),
            ("位置", 20),
        ],
        findings,
    )
    ws_cells = _sheet(
        wb,
        "单元格",
        [("序号", 6), ("机关", 24), ("单元格", 34), ("数值", 12), ("识别置信度", 12)],
        cells,
    )
    for r in range(2, len(cells) + 2):
        value = ws_cells.cell(row=r, column=4).value
        if isinstance(value, float):
            ws_cells.cell(row=r, column=4).number_format = "0.0#####"
        ws_cells.cell(row=r, column=5).number_format = "0.00"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_summary_html(outcomes: list[Outcome]) -> bytes:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h, _ in SUMMARY_COLUMNS)
    body = []
    for row, o in zip(summary_rows(outcomes), outcomes, strict=True):
        cells = []
        for (label, _), value in zip(SUMMARY_COLUMNS, row, strict=True):
            if value is None:
                text = ""
            elif label == "与上年重复率":
                text = f"{value:.0%}"
            elif hasattr(value, "isoformat"):
                text = value.isoformat()
            else:
                text = str(value)
            if label in ("网址", "报告地址", "上年报告地址") and text.startswith(
                ("http://", "https://")
            ):
                text = f'<a href="{esc(text)}" rel="noopener noreferrer">{esc(text)}</a>'
            else:
                text = esc(text)
            cells.append(f"<td>{text}</td>")
        css = "failed" if o.status != OK else ("errors" if o.errors else "clean")
        body.append(f'<tr class="{css}">{"".join(cells)}</tr>')
    details = []
    for n, o in enumerate(outcomes, start=1):
        if not o.findings:
            continue
        items = "".join(
            f"<li><b>{esc(SEVERITY_LABEL.get(f['severity'], f['severity']))}</b> "
            f"[{esc(f['code'])}] {esc(f['message'])}</li>"
            for f in o.findings
        )
        details.append(f"<h2>{n}. {esc(o.name or o.organization or o.url)}</h2><ul>{items}</ul>")
    ok = sum(1 for o in outcomes if o.status == OK)
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>年度报告检查汇总</title>
<style>
body{{font-family:sans-serif;margin:1.5em}} table{{border-collapse:collapse;font-size:13px}}
th,td{{border:1px solid #999;padding:3px 6px;vertical-align:top}} th{{background:#eee;position:sticky;top:0}}
tr.failed td{{background:#fdecea}} tr.errors td{{background:#fff8e1}} li{{margin:.2em 0}}
</style></head><body>
<h1>政府信息公开工作年度报告检查汇总</h1>
<p>共{len(outcomes)}个机关：{ok}个已读取，{len(outcomes) - ok}个未读取。</p>
<table><thead><tr>{head}</tr></thead><tbody>
{"".join(body)}
</tbody></table>
{"".join(details)}
</body></html>
"""
    return page.encode("utf-8")
