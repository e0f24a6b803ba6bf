"""HTML writer: the national layout as a printable, self-contained page.

``write_html(report)`` is a whole page with inline CSS (A4 print margins after
GB/T 9704); ``html_fragment(report)`` is the same report as one ``<article>``
for embedding in the portal.  The merged header cells use rowspan/colspan as
the official template (国办公开办函〔2021〕30号) does.  Every text is escaped.
"""

from __future__ import annotations

from html import escape

from gongkai.annual import format as fmt
from gongkai.annual.model import Report
from gongkai.annual.writers.common import (
    LabelCell,
    cell_text,
    clean,
    paragraphs,
    section_title,
    t3_label_cells,
    t3_layout,
    title,
)

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 0 auto; max-width: 60em; padding: 1em; color: #000; background: #fff;
  font-family: "仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;
  font-size: 16pt; line-height: 1.6; }
.gk-annual h1 { font-family: "方正小标宋简体", "SimSun", "宋体", "Noto Serif CJK SC", serif;
  font-size: 22pt; font-weight: normal; text-align: center; margin: 0 0 1em; }
.gk-annual h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif;
  font-size: 16pt; font-weight: normal; margin: 1em 0 .5em; }
.gk-annual p { text-indent: 2em; margin: 0 0 .3em; }
.gk-annual p.gk-org { text-indent: 0; }
.gk-annual table { border-collapse: collapse; width: 100%; margin: .5em 0 1em;
  font-size: 10.5pt; line-height: 1.3; page-break-inside: auto; }
.gk-annual th, .gk-annual td { border: 1px solid #000; padding: 2px 4px; text-align: center;
  vertical-align: middle; font-weight: normal; }
.gk-annual td.gk-label { text-align: left; }
.gk-annual td.gk-num { text-align: right; font-variant-numeric: tabular-nums; }
.gk-annual tr { page-break-inside: avoid; }
@media print { body { max-width: none; padding: 0; } }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _spans(rowspan: int, colspan: int) -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    return attrs


def _th(text: str, rowspan: int = 1, colspan: int = 1, scope: str | None = None) -> str:
    attrs = _spans(rowspan, colspan)
    if scope:
        attrs += f' scope="{scope}"'
    return f"<th{attrs}>{_e(text)}</th>"


def _label(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    return f'<td class="gk-label"{_spans(rowspan, colspan)}>{_e(text)}</td>'


def _num(report: Report, key: str, colspan: int = 1) -> str:
    attrs = _spans(1, colspan)
    return f'<td class="gk-num" data-key="{_e(key)}"{attrs}>{_e(cell_text(report, key))}</td>'


def table2(report: Report) -> str:
    rows: list[str] = []
    doc_cols = fmt.T2_DOC_COLUMNS
    width = 1 + len(doc_cols)
    previous_item = None
    for row in fmt.T2_ROWS:
        if row.article_item != previous_item:
            rows.append("<tr>" + _th(row.article_item, colspan=width) + "</tr>")
            if row.has_columns:
                header = _th(fmt.T2_HEADER) + "".join(_th(label) for _, label in doc_cols)
            else:
                header = _th(fmt.T2_HEADER) + _th(row.column_label or "", colspan=width - 1)
            rows.append("<tr>" + header + "</tr>")
            previous_item = row.article_item
        if row.has_columns:
            cells = "".join(_num(report, f"t2.{row.key}.{c}") for c, _ in doc_cols)
        else:
            cells = _num(report, f"t2.{row.key}", colspan=width - 1)
        rows.append("<tr>" + _label(row.label) + cells + "</tr>")
    return '<table class="gk-t2">\n' + "\n".join(rows) + "\n</table>"


def table3(report: Report) -> str:
    cols = fmt.T3_COLUMNS
    org_cols = [(k, label) for k, label in cols if k not in ("natural", "total")]
    head = [
        "<tr>"
        + _th(fmt.T3_NOTE, rowspan=3, colspan=3)
        + _th(fmt.T3_APPLICANT_GROUP_LABEL, colspan=len(cols))
        + "</tr>",
        "<tr>"
        + _th(fmt.T3_COLUMN_LABEL["natural"], rowspan=2, scope="col")
        + _th(fmt.T3_ORG_GROUP_LABEL, colspan=len(org_cols))
        + _th(fmt.T3_COLUMN_LABEL["total"], rowspan=2, scope="col")
        + "</tr>",
        "<tr>" + "".join(_th(label, scope="col") for _, label in org_cols) + "</tr>",
    ]
    layout = t3_layout(report)
    starting: dict[int, list[LabelCell]] = {}  # the label cells that start in each row
    for cell in t3_label_cells(layout):
        starting.setdefault(cell.row, []).append(cell)
    body: list[str] = []
    for i, (_, _, _, key) in enumerate(layout):
        labels = "".join(
            _label(c.text, rowspan=c.rowspan, colspan=c.colspan)
            for c in sorted(starting.get(i, []), key=lambda c: c.col)
        )
        values = "".join(_num(report, f"t3.{key}.{c}") for c, _ in cols)
        body.append("<tr>" + labels + values + "</tr>")
    return (
        '<table class="gk-t3">\n<thead>\n'
        + "\n".join(head)
        + "\n</thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def table4(report: Report) -> str:
    n = len(fmt.T4_COLUMNS)
    blocks = fmt.T4_BLOCKS
    head = [
        "<tr>"
        + _th(blocks[0][1], colspan=n)
        + _th(fmt.T4_LITIGATION_LABEL, colspan=2 * n)
        + "</tr>",
        "<tr>"
        + "".join(_th(label, rowspan=2, scope="col") for _, label in fmt.T4_COLUMNS)
        + _th(blocks[1][1], colspan=n)
        + _th(blocks[2][1], colspan=n)
        + "</tr>",
        "<tr>" + "".join(_th(label, scope="col") for _, label in fmt.T4_COLUMNS) * 2 + "</tr>",
    ]
    values = "<tr>" + "".join(_num(report, k) for k in fmt.t4_keys()) + "</tr>"
    return (
        '<table class="gk-t4">\n<thead>\n'
        + "\n".join(head)
        + "\n</thead>\n<tbody>\n"
        + values
        + "\n</tbody>\n</table>"
    )


def html_fragment(report: Report) -> str:
    """The report as one ``<article class="gk-annual">`` for embedding in a page."""
    parts = [f'<article class="gk-annual" lang="zh-CN">\n<h1>{_e(title(report))}</h1>']
    if clean(report.organization).strip():
        parts.append(
            f'<p class="gk-org">{fmt.ORGANIZATION_LABEL}：{_e(clean(report.organization))}</p>'
        )
    tables = {2: table2, 3: table3, 4: table4}
    for section in fmt.SECTIONS:
        present = report.sections.get(section.number)
        if present is None and section.number not in tables:
            continue
        parts.append(f"<section>\n<h2>{_e(section_title(report, section.number))}</h2>")
        if present is not None:
            parts.extend(f"<p>{_e(p)}</p>" for p in paragraphs(present.text))
        if section.number in tables:
            parts.append(tables[section.number](report))
        parts.append("</section>")
    parts.append("</article>")
    return "\n".join(parts)


def write_html(report: Report) -> str:
    """A complete, printable HTML page with inline CSS."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title(report))}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + html_fragment(report) + "\n</body>\n</html>\n"
    )
