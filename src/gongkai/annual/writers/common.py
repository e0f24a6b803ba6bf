"""What every writer shares: the printed text of a cell, the title, the rows of table 3."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai.annual import format as fmt
from gongkai.annual.model import Report

# C0 controls (but tab and newlines) and DEL: XML (DOCX, XLSX) cannot hold them and
# they mean nothing on paper; text extracted from PDFs sometimes carries them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    """Text as every writer prints it: without control characters."""
    return _CONTROL_RE.sub("", text or "")


def cell_text(report: Report, key: str) -> str:
    """The printed value: the number, else the raw text the reader kept, else blank."""
    value = report.cells.get(key)
    if value is None:
        return clean(report.raw.get(key, ""))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def title(report: Report) -> str:
    if report.title and clean(report.title).strip():
        return clean(report.title)
    year = f"{report.year}年" if report.year else ""
    return f"{clean(report.organization)}{year}政府信息公开工作年度报告"


def section_title(report: Report, number: int) -> str:
    # The canonical heading: writers print the national format, whatever the source said.
    return fmt.SECTION_BY_NUMBER[number].title


def t3_layout(report: Report) -> list[tuple[str | None, str | None, str | None, str]]:
    """Table 3 rows as (level-1 label, group label, sub-row label, row key) in printed order.

    Level 1 is 一/二/三/四; the group is （一）…（七）; the sub-row is "1.…" when the
    row is one of the numbered rows of a group.
    """
    groups = dict(fmt.T3_GROUPS)
    rows: list[tuple[str | None, str | None, str | None, str]] = []
    for row in fmt.T3_ROWS:
        if row.key in ("new", "carried", "carry_forward"):
            rows.append((row.label, None, None, row.key))
        elif row.key == "total":
            rows.append((fmt.T3_RESULTS_HEADING, groups["total"], None, "total"))
        elif row.group == row.key:  # granted, partial: a group that is one row
            rows.append((fmt.T3_RESULTS_HEADING, row.label, None, row.key))
        elif row.group == "other" and report.one_row_other:
            if row.key == fmt.T3_OTHER_SUBROWS[0]:
                rows.append((fmt.T3_RESULTS_HEADING, groups["other"], None, fmt.T3_OTHER_ONE_ROW))
        else:
            rows.append((fmt.T3_RESULTS_HEADING, groups[row.group], row.label, row.key))
    return rows


@dataclass(frozen=True)
class LabelCell:
    """A label cell of table 3's body, over its three label columns (0-based).

    Rows count from the first body row (一、本年新收…).  ``left``: a row's own
    label, printed flush left; the merged group headings are centred.
    """

    row: int
    col: int
    last_row: int
    last_col: int
    text: str
    left: bool

    @property
    def rowspan(self) -> int:
        return self.last_row - self.row + 1

    @property
    def colspan(self) -> int:
        return self.last_col - self.col + 1


def t3_label_cells(
    layout: list[tuple[str | None, str | None, str | None, str]],
) -> list[LabelCell]:
    """The merged label cells of table 3 (layout from :func:`t3_layout`), as the template has them.

    三、本年度办理结果 runs down the first column beside all result rows; a group
    with numbered rows (（三）不予公开 …) runs down the second column beside them;
    一/二/四 span all three columns, a group that is one row spans two, a
    numbered row's label is the third column.  Order: the tall cells first,
    then row by row.
    """
    results = [i for i, item in enumerate(layout) if item[0] == fmt.T3_RESULTS_HEADING]
    cells = [LabelCell(results[0], 0, results[-1], 0, fmt.T3_RESULTS_HEADING, False)]
    spans: dict[str, list[int]] = {}
    for i, (_, group, sub, _) in enumerate(layout):
        if group is not None and sub is not None:
            spans.setdefault(group, []).append(i)
    cells.extend(LabelCell(rows[0], 1, rows[-1], 1, group, False) for group, rows in spans.items())
    for i, (level1, group, sub, _) in enumerate(layout):
        if group is None:
            cells.append(LabelCell(i, 0, i, 2, level1 or "", True))
        elif sub is None:
            cells.append(LabelCell(i, 1, i, 2, group, True))
        else:
            cells.append(LabelCell(i, 2, i, 2, sub, True))
    return cells


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in clean(text).splitlines() if p.strip()]
