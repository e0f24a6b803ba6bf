"""Plain-text writer: the layout of text extracted from a published report.

Tables are printed tab-separated, in the same shape as the seed document
(shared/seeds/000_6aa6356136dd47b5.txt), so that ``readers.text.read_text``
reads the result back: header rows, then one line per table row with the
merged label cells as leading fields and the numbers after them.
"""

from __future__ import annotations

from gongkai.annual import format as fmt
from gongkai.annual.model import Report
from gongkai.annual.writers.common import (
    cell_text,
    clean,
    paragraphs,
    section_title,
    t3_layout,
    title,
)


def _t2(report: Report) -> list[str]:
    lines: list[str] = []
    doc_cols = [label for _, label in fmt.T2_DOC_COLUMNS]
    previous_item = None
    for row in fmt.T2_ROWS:
        if row.article_item != previous_item:
            lines.append(row.article_item)
            header = doc_cols if row.has_columns else [row.column_label or ""]
            lines.append("\t".join([fmt.T2_HEADER, *header]))
            previous_item = row.article_item
        if row.has_columns:
            values = [cell_text(report, f"t2.{row.key}.{c}") for c, _ in fmt.T2_DOC_COLUMNS]
        else:
            values = [cell_text(report, f"t2.{row.key}")]
        lines.append("\t".join([row.label, *values]))
    return lines


def _t3(report: Report) -> list[str]:
    cols = fmt.T3_COLUMNS
    org_cols = [label for key, label in cols if key not in ("natural", "total")]
    lines = [
        f"{fmt.T3_NOTE}\t{fmt.T3_APPLICANT_GROUP_LABEL}",
        "\t".join(
            ["", fmt.T3_COLUMN_LABEL["natural"], fmt.T3_ORG_GROUP_LABEL]
            + [""] * (len(org_cols) - 1)
            + [fmt.T3_COLUMN_LABEL["total"]]
        ),
        "\t".join(["", "", *org_cols]),
    ]
    last_group = None
    for level1, group, sub, key in t3_layout(report):
        values = [cell_text(report, f"t3.{key}.{c}") for c, _ in cols]
        if group is None:
            label = [level1 or ""]
        elif key == "total":
            label = [group, ""]
        else:
            first_in_results = last_group is None
            head = level1 if first_in_results else ""
            shown_group = group if group != last_group else ""
            label = [head, shown_group] + ([sub] if sub else [])
            last_group = group
        lines.append("\t".join([*label, *values]))
    return lines


def _t4(report: Report) -> list[str]:
    blocks = fmt.T4_BLOCKS
    col_labels = [label for _, label in fmt.T4_COLUMNS]
    n = len(col_labels)
    return [
        "\t".join([blocks[0][1]] + [""] * (n - 1) + [fmt.T4_LITIGATION_LABEL] + [""] * (2 * n - 1)),
        "\t".join(col_labels + [blocks[1][1]] + [""] * (n - 1) + [blocks[2][1]] + [""] * (n - 1)),
        "\t".join([""] * n + col_labels + col_labels),
        "\t".join(cell_text(report, k) for k in fmt.t4_keys()),
    ]


def write_text(report: Report) -> str:
    out: list[str] = [title(report), ""]
    if clean(report.organization).strip():
        out += [f"{fmt.ORGANIZATION_LABEL}：{clean(report.organization)}", ""]
    tables = {2: _t2, 3: _t3, 4: _t4}
    for section in fmt.SECTIONS:
        number = section.number
        present = report.sections.get(number)
        if present is None and number not in tables:
            continue
        out += [section_title(report, number), ""]
        if present is not None:
            for para in paragraphs(present.text):
                out += [para, ""]
        if number in tables:
            out += tables[number](report)
            out.append("")
    return "\n".join(out)
