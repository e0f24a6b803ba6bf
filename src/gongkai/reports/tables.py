"""The three tables as rows for the back-office templates: labels from
gongkai.annual.format, each cell with its value, findings and drill-down key."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.annual import format as fmt


@dataclass
class Cell:
    key: str
    value: object
    findings: list = field(default_factory=list)

    @property
    def severity(self) -> str:
        if any(f.severity == "error" for f in self.findings):
            return "error"
        return "warning" if self.findings else ""

    @property
    def title(self) -> str:
        return "；".join(f.message for f in self.findings)

    @property
    def label(self) -> str:
        return fmt.cell_label(self.key)

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"  # blank: missing, never shown as 0 (format rule 9)
        return format(self.value, "f") if fmt.is_decimal_key(self.key) else str(self.value)


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[tuple[str, list[Cell], int]]  # label, cells, indent level


def build_tables(cells: dict, by_cell: dict[str, list]) -> list[Table]:
    def c(key: str) -> Cell:
        return Cell(key, cells.get(key), by_cell.get(key, []))

    docs = Table(
        "表二（第二十条第（一）项）",
        ["信息内容", *[label for _, label in fmt.T2_DOC_COLUMNS]],
        [
            (row.label, [c(f"t2.{row.key}.{col}") for col, _ in fmt.T2_DOC_COLUMNS], 0)
            for row in fmt.T2_ROWS
            if row.has_columns
        ],
    )
    single = Table(
        "表二（第二十条第（五）（六）（八）项）",
        ["信息内容", "数量/金额"],
        [
            (f"{row.label}（{row.column_label}）", [c(f"t2.{row.key}")], 0)
            for row in fmt.T2_ROWS
            if not row.has_columns
        ],
    )
    group_heading = dict(fmt.T3_GROUPS)
    t3_rows = []
    seen_groups = set()
    one_row_other = any(k.startswith("t3.other.") for k in cells)
    for row in fmt.T3_ROWS:
        if (
            row.group
            and row.group not in ("granted", "partial", "total")
            and row.group not in seen_groups
        ):
            seen_groups.add(row.group)
            if one_row_other and row.group == "other":
                t3_rows.append(
                    (group_heading["other"], [c(f"t3.other.{col}") for col, _ in fmt.T3_COLUMNS], 1)
                )
                continue
            t3_rows.append((group_heading[row.group], [], 1))
        if one_row_other and row.key in fmt.T3_OTHER_SUBROWS:
            continue
        if row.key == "granted":
            t3_rows.append((fmt.T3_RESULTS_HEADING, [], 0))
        indent = (
            2 if row.group not in (None, "granted", "partial", "total") else (1 if row.group else 0)
        )
        t3_rows.append((row.label, [c(f"t3.{row.key}.{col}") for col, _ in fmt.T3_COLUMNS], indent))
    t3 = Table("表三", ["", *[label for _, label in fmt.T3_COLUMNS]], t3_rows)
    t4 = Table(
        "表四",
        ["", *[label for _, label in fmt.T4_COLUMNS]],
        [
            (
                label if block == "reconsideration" else f"{fmt.T4_LITIGATION_LABEL}（{label}）",
                [c(f"t4.{block}.{col}") for col, _ in fmt.T4_COLUMNS],
                0,
            )
            for block, label in fmt.T4_BLOCKS
        ],
    )
    return [docs, single, t3, t4]
