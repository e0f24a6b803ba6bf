"""The import template writes its texts as text, never as formulas (issue #9 item 3)."""

from __future__ import annotations

import io

import openpyxl

from gongkai.disclosure import imports
from gongkai.disclosure.models import ImportJob


def test_template_cells_are_text_even_when_they_look_like_formulas(monkeypatch):
    columns = (
        imports.Column("=标题", True, "@说明", "-2+3"),
        imports.Column("序号", False, "", ""),
    )
    monkeypatch.setitem(imports.COLUMNS, ImportJob.Kind.ITEMS, columns)
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx("items")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    sheet = wb["导入"]
    assert sheet["A1"].value == "=标题*" and sheet["A1"].quotePrefix
    assert sheet["A2"].value == "-2+3" and sheet["A2"].data_type == "s"
    notes = wb["说明"]
    assert [notes["A2"].value, notes["C2"].value] == ["=标题", "@说明"]
    assert notes["A2"].quotePrefix and notes["C2"].quotePrefix
