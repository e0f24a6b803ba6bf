"""Write → read gives the same cells, for every format; one changed number makes
exactly the expected rule fire after the trip, naming the right cells.

JSON and XLSX are read back by this package (jsonio, writers.xlsx.read_xlsx);
HTML, DOCX and text go through ``readers.read_bytes``, as a user's file would.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual import format as fmt
from gongkai.annual import jsonio, rules
from gongkai.annual.sample import random_report, seed_like_report
from gongkai.annual.tests.test_rules import expected_after_bump, table_findings
from gongkai.annual.writers import write
from gongkai.annual.writers.xlsx import read_xlsx

OWN = ("json", "xlsx")
THROUGH_READERS = ("text", "html", "docx")


def read_back(data: bytes, to: str):
    if to == "json":
        return jsonio.load_bytes(data)
    if to == "xlsx":
        return read_xlsx(data)
    from gongkai.annual.readers import read_bytes

    return read_bytes(data, name=f"report.{to}")


def formats():
    return list(OWN + THROUGH_READERS)


@pytest.mark.parametrize("to", formats())
@pytest.mark.parametrize("seed", range(12))
def test_write_then_read_gives_identical_cells(to, seed):
    report = random_report(random.Random(seed), one_row_other=seed % 4 == 0)
    back = read_back(write(report, to), to)
    assert back.cells == report.cells
    assert back.one_row_other == report.one_row_other
    assert str(back.cells["t2.fees"]) == str(report.cells["t2.fees"]) or to in THROUGH_READERS
    assert back.cells["t2.fees"] == report.cells["t2.fees"]


@pytest.mark.parametrize("to", formats())
def test_read_back_report_is_clean_and_keeps_its_metadata(to):
    report = seed_like_report()
    back = read_back(write(report, to), to)
    assert rules.check(back) == []
    assert back.organization == report.organization
    assert back.year == report.year
    assert sorted(back.sections) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("to", formats())
def test_missing_section_survives_the_trip(to):
    report = seed_like_report()
    del report.sections[6]
    back = read_back(write(report, to), to)
    assert [f.code for f in rules.check(back)] == [rules.MISSING_SECTION]


@pytest.mark.parametrize("to", formats())
def test_bumped_granted_natural_is_found_after_the_trip(to):
    report = seed_like_report()
    report.cells["t3.granted.natural"] += 1
    back = read_back(write(report, to), to)
    found = rules.check(back)
    assert table_findings(found) == {
        (rules.T3_RESULT_TOTAL, "t3.total.natural"),
        (rules.T3_COLUMN_TOTAL, "t3.granted.total"),
    }
    assert [f.code for f in found] == [rules.T3_RESULT_TOTAL, rules.T3_COLUMN_TOTAL]
    result = found[0]
    assert "t3.granted.natural" in result.cells


KEYS = [k for k in fmt.all_keys() if k.startswith(("t3.", "t4.")) and not k.startswith("t3.other.")]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    key=st.sampled_from(KEYS),
    to=st.sampled_from(OWN + THROUGH_READERS),
)
def test_any_single_change_is_found_after_any_trip(seed, key, to):
    report = random_report(random.Random(seed), one_row_other=False)
    report.cells[key] += 3
    back = read_back(write(report, to), to)
    assert back.cells == report.cells
    assert table_findings(rules.check(back)) == expected_after_bump(key)


@pytest.mark.parametrize("to", formats())
def test_blank_and_text_cells_survive_the_trip(to):
    report = seed_like_report()
    del report.cells["t3.granted.research"]
    del report.cells["t4.reconsideration.pending"]
    del report.cells["t3.partial.natural"]
    report.raw["t3.partial.natural"] = "—"
    back = read_back(write(report, to), to)
    assert back.cells == report.cells  # a blank is never read as 0
    assert back.raw == {"t3.partial.natural": "—"}
    found = rules.check(back)
    assert [f.code for f in found] == [rules.NOT_A_NUMBER, rules.MISSING_CELLS, rules.MISSING_CELLS]
    assert [f.cells for f in found[1:]] == [
        ("t3.granted.research",),
        ("t4.reconsideration.pending",),
    ]
