"""The checker: every rule against hand-computed cases, the corpus, and properties."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual import format as fmt
from gongkai.annual import rules
from gongkai.annual.model import ERROR, WARNING, Finding, Report, SectionText
from gongkai.annual.sample import random_report, seed_like_report
from gongkai.annual.tests.corpus import (
    SEED,
    needs_corpus,
    pdf_prose,
    report_from_truth,
)

DOCS = Path(__file__).resolve().parents[4] / "docs" / "annual-report-json.md"


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def table_findings(findings: list[Finding]) -> set[tuple[str, str]]:
    """(code, the first cell) of the findings of rules 1-4: what fired, and where."""
    table_codes = {rules.T3_BALANCE, rules.T3_RESULT_TOTAL, rules.T3_COLUMN_TOTAL, rules.T4_TOTAL}
    return {(f.code, f.cells[0]) for f in findings if f.code in table_codes}


def expected_after_bump(key: str) -> set[tuple[str, str]]:
    """Exactly what must fire when one table-3/4 number of a valid report changes.

    rule 1 (balance) involves the rows new, carried, total, carry_forward of one column;
    rule 2 (result total) the result rows and total of one column; rule 3 (column
    total) the seven cells of one row; rule 4 one block of table 4.  The first cell
    named is t3.new.<col> for balance, t3.total.<col> for result totals,
    t3.<row>.total for column totals and t4.<block>.total for table 4.
    """
    table, row, col = key.split(".")
    if table == "t4":
        return {(rules.T4_TOTAL, f"t4.{row}.total")}
    out = {(rules.T3_COLUMN_TOTAL, f"t3.{row}.total")}
    if row in ("new", "carried", "total", "carry_forward"):
        out.add((rules.T3_BALANCE, f"t3.new.{col}"))
    if row not in ("new", "carried", "carry_forward"):
        out.add((rules.T3_RESULT_TOTAL, f"t3.total.{col}"))
    return out


# --- valid reports are clean ---------------------------------------------------------


def test_seed_like_report_is_clean():
    assert rules.check(seed_like_report()) == []


@pytest.mark.parametrize("seed", range(40))
def test_random_valid_reports_have_no_findings_but_the_layout_warning(seed):
    report = random_report(random.Random(seed))
    found = rules.check(report)
    expected = [rules.OUTDATED_LAYOUT] if report.one_row_other else []
    assert codes(found) == expected


# --- rules 1-4: one changed number, exactly the expected findings ------------------------


def test_bump_granted_natural_fires_result_total_and_column_total_only():
    report = seed_like_report()
    report.cells["t3.granted.natural"] += 1
    found = rules.check(report)
    assert table_findings(found) == {
        (rules.T3_RESULT_TOTAL, "t3.total.natural"),
        (rules.T3_COLUMN_TOTAL, "t3.granted.total"),
    }
    # Balance uses the (七)总计 row, which did not change: it must NOT fire.
    assert rules.T3_BALANCE not in codes(found)
    result = next(f for f in found if f.code == rules.T3_RESULT_TOTAL)
    assert "t3.granted.natural" in result.cells
    assert result.severity == ERROR


def test_balance_message_has_the_numbers():
    report = seed_like_report()
    c = report.cells
    # Hand-computed: 95 + 0 = 95 against 90 + 3 = 93 in column 总计.
    c["t3.new.total"], c["t3.carried.total"] = 95, 0
    c["t3.total.total"], c["t3.carry_forward.total"] = 90, 3
    found = [f for f in rules.check(report) if f.code == rules.T3_BALANCE]
    assert len(found) == 1
    assert found[0].message == (
        "表三「总计」列：第一项(95)+第二项(0)=95，不等于第三项（七）总计(90)+第四项(3)=93。"
    )
    assert found[0].cells == (
        "t3.new.total",
        "t3.carried.total",
        "t3.total.total",
        "t3.carry_forward.total",
    )
    assert found[0].location == "表三「总计」列"


def test_column_total_message():
    report = seed_like_report()
    for col in fmt.T3_APPLICANT_COLUMNS:
        report.cells[f"t3.partial.{col}"] = 1
    report.cells["t3.partial.total"] = 7  # six columns of 1 sum to 6
    found = [f for f in rules.check(report) if f.code == rules.T3_COLUMN_TOTAL]
    partial = next(f for f in found if f.cells[0] == "t3.partial.total")
    assert "「总计」列为7" in partial.message
    assert "=6" in partial.message
    assert partial.message.startswith("表三「（二）部分公开")


def test_t4_total_message_and_cells():
    report = seed_like_report()
    for col in fmt.T4_PART_COLUMNS:
        report.cells[f"t4.reconsideration.{col}"] = 0
    report.cells["t4.reconsideration.upheld"] = 10
    report.cells["t4.reconsideration.corrected"] = 1
    report.cells["t4.reconsideration.total"] = 0
    found = [f for f in rules.check(report) if f.code == rules.T4_TOTAL]
    assert [f.cells[0] for f in found] == ["t4.reconsideration.total"]
    assert found[0].message == (
        "表四「行政复议」：结果维持(10)+结果纠正(1)+其他结果(0)+尚未审结(0)=11，不等于总计(0)。"
    )


def test_one_row_other_layout_sums_the_single_other_row():
    report = random_report(random.Random(7), one_row_other=True)
    assert "t3.other.natural" in report.cells
    assert "t3.other_other.natural" not in report.cells
    assert codes(rules.check(report)) == [rules.OUTDATED_LAYOUT]
    report.cells["t3.other.legal_service"] += 2
    assert table_findings(rules.check(report)) == {
        (rules.T3_RESULT_TOTAL, "t3.total.legal_service"),
        (rules.T3_COLUMN_TOTAL, "t3.other.total"),
    }


def test_outdated_layout_is_not_repeated_when_the_reader_noted_it():
    report = random_report(random.Random(7), one_row_other=True)
    note = Finding(rules.OUTDATED_LAYOUT, WARNING, "读取时发现旧版式")
    report.notes = [note]
    found = rules.check(report)
    assert found == [note]


ALL_T3_T4_KEYS = [
    k for k in fmt.all_keys() if k.startswith(("t3.", "t4.")) and not k.startswith("t3.other.")
]


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    key=st.sampled_from(ALL_T3_T4_KEYS),
    delta=st.sampled_from([1, 2, 7]),
)
def test_any_single_change_fires_exactly_the_expected_rules(seed, key, delta):
    report = random_report(random.Random(seed), one_row_other=False)
    report.cells[key] += delta
    assert table_findings(rules.check(report)) == expected_after_bump(key)


# --- rule 9: values, blanks and raw text -----------------------------------------------


def test_missing_cell_is_reported_not_taken_as_zero():
    report = seed_like_report()
    del report.cells["t3.granted.natural"]
    del report.cells["t4.litigation_after.pending"]
    found = rules.check(report)
    missing = [f for f in found if f.code == rules.MISSING_CELLS]
    assert [f.cells for f in missing] == [("t3.granted.natural",), ("t4.litigation_after.pending",)]
    assert "表三缺少1个单元格" in missing[0].message
    assert "空白不等于0" in missing[0].message
    # The sums that need the blank cell are not computed with a guessed zero.
    assert table_findings(found) == set()


def test_many_missing_cells_are_listed_in_one_finding_per_table():
    report = seed_like_report()
    for key in fmt.t3_keys()[:30]:
        del report.cells[key]
    missing = [f for f in rules.check(report) if f.code == rules.MISSING_CELLS]
    assert len(missing) == 1
    assert len(missing[0].cells) == 30
    assert "等30个单元格" in missing[0].message


def test_raw_text_is_reported_as_not_a_number():
    report = seed_like_report()
    del report.cells["t3.partial.research"]
    report.raw["t3.partial.research"] = "—"
    found = rules.check(report)
    assert rules.MISSING_CELLS not in codes(found)
    bad = [f for f in found if f.code == rules.NOT_A_NUMBER]
    assert len(bad) == 1
    assert bad[0].cells == ("t3.partial.research",)
    assert "「—」" in bad[0].message


def test_negative_and_non_integer_values():
    report = seed_like_report()
    report.cells["t2.licensing"] = -3
    report.cells["t2.penalty"] = Decimal("2.5")
    report.cells["t2.fees"] = Decimal("-0.01")
    found = rules.check(report)
    by_code = {f.code: f for f in found}
    assert by_code[rules.NEGATIVE].cells in {("t2.licensing",), ("t2.fees",)}
    assert sorted(f.cells[0] for f in found if f.code == rules.NEGATIVE) == [
        "t2.fees",
        "t2.licensing",
    ]
    assert by_code[rules.NOT_INTEGER].cells == ("t2.penalty",)
    assert "2.5" in by_code[rules.NOT_INTEGER].message


@pytest.mark.parametrize("text", ["1.5", "１．５", "-3", "－3", "−3", "1,234.5"])
def test_numbers_kept_as_raw_text_are_judged_as_numbers(text):
    # A reader keeps 「1.5」 in a count cell as raw text (readers/engine.py): it is a
    # number, so the finding is not_integer / negative_value, never "不是数字".
    report = seed_like_report()
    del report.cells["t3.partial.research"]
    report.raw["t3.partial.research"] = text
    found = [f for f in rules.check(report) if f.cells == ("t3.partial.research",)]
    bad = [f for f in found if f.code in {rules.NOT_INTEGER, rules.NEGATIVE, rules.NOT_A_NUMBER}]
    assert len(bad) == 1
    expected = rules.NEGATIVE if "3" in text and "." not in text else rules.NOT_INTEGER
    assert bad[0].code == expected
    assert "不是数字" not in bad[0].message
    value = rules.parse_raw_number(text)
    assert rules._n(value) in bad[0].message


def test_raw_number_takes_part_in_the_sums():
    report = seed_like_report()
    value = report.cells.pop("t3.partial.research")
    report.raw["t3.partial.research"] = "1.5"
    found = rules.check(report)
    assert rules.MISSING_CELLS not in codes(found)
    # 1.5 instead of the true count breaks the row and column sums, as a cell would.
    assert value != Decimal("1.5")
    assert rules.T3_COLUMN_TOTAL in codes(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("１２", 12),
        (" 1,234 ", 1234),
        ("1，234", 1234),
        ("-3", -3),
        ("0.50", Decimal("0.50")),
        ("—", None),
        ("无", None),
        ("1,5", None),
        ("12件", None),
        ("", None),
    ],
)
def test_parse_raw_number(text, expected):
    assert rules.parse_raw_number(text) == expected


def test_decimal_fees_are_fine():
    report = seed_like_report()
    report.cells["t2.fees"] = Decimal("96171.600000")
    assert rules.check(report) == []


# --- sections, layout, format --------------------------------------------------------


def test_missing_section_six():
    report = seed_like_report()
    del report.sections[6]
    found = rules.check(report)
    assert codes(found) == [rules.MISSING_SECTION]
    assert found[0].location == "六、其他需要报告的事项"
    assert "信息处理费" in found[0].message


def test_no_sections_at_all_is_one_warning_and_xlsx_needs_none():
    report = seed_like_report()
    report.sections = {}
    assert codes(rules.check(report)) == [rules.NO_SECTIONS]
    report.source_format = "xlsx"
    assert rules.check(report) == []


def test_format_2019_applies_only_the_rules_that_fit():
    report = seed_like_report()
    report.format = fmt.FORMAT_2019
    for key in fmt.t2_keys():
        del report.cells[key]  # the 2019 table 2 has other columns
    report.cells["t2.regulations.issued"] = 4  # would break rule 7 for a county in 2021
    found = rules.check(report)
    assert codes(found) == [rules.FORMAT_2019, rules.RULES_PARTIAL]
    assert "只适用" in found[1].message


# --- rule 7: 规章 competence -----------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "fires"),
    [("town", True), ("county", True), ("department", True), ("city", False), ("province", False)],
)
def test_regulations_competence(level, fires):
    report = seed_like_report()
    report.cells["t2.regulations.issued"] = 1
    report.cells["t2.regulations.in_force"] = 1
    found = [f for f in rules.check(report, level=level) if f.code == rules.REGULATIONS_COMPETENCE]
    assert bool(found) is fires
    if fires:
        assert found[0].cells == ("t2.regulations.issued", "t2.regulations.in_force")
        assert fmt.LEVEL_LABEL[level] in found[0].message


def test_competence_uses_report_level_and_skips_unknown_level():
    report = seed_like_report()  # level county
    report.cells["t2.regulations.issued"] = 1
    report.cells["t2.regulations.in_force"] = 1
    assert rules.REGULATIONS_COMPETENCE in codes(rules.check(report))
    report.level = None
    assert rules.REGULATIONS_COMPETENCE not in codes(rules.check(report))


@pytest.mark.parametrize(
    ("level", "may", "fires"),
    [
        ("department", True, False),  # a State Council department: has the power
        ("county", True, False),  # a body the superuser flagged
        ("city", False, True),  # a city-level body flagged without the power
        ("province", False, True),
        ("county", None, True),  # unknown flag: the level decides
        ("city", None, False),
        (None, False, True),  # the flag alone is enough
    ],
)
def test_competence_uses_the_bodys_own_flag_before_the_level(level, may, fires):
    report = seed_like_report()
    report.level = None
    report.cells["t2.regulations.issued"] = 1
    found = [
        f
        for f in rules.check(report, level=level, may_make_regulations=may)
        if f.code == rules.REGULATIONS_COMPETENCE
    ]
    assert bool(found) is fires
    if fires and may is False:
        assert "本机关无规章制定权" in found[0].message


# --- rule 8: prose against tables --------------------------------------------------------


def with_prose(text: str, **cells) -> Report:
    report = seed_like_report()
    report.sections[1] = SectionText(1, "一、总体情况", text)
    for key, value in cells.items():
        report.cells[key.replace("__", ".")] = value
    return report


def prose_findings(report: Report) -> list[Finding]:
    return [f for f in rules.check(report) if f.code == rules.TEXT_VS_TABLE]


def test_prose_application_count_mismatch_like_hongzequ_2024():
    report = with_prose(
        "2024年，区政府办代表区政府受理政府信息公开申请 17 件，均已在法定期限内予以答复。"
    )
    new = report.cells["t3.new.total"]
    found = prose_findings(report)
    assert len(found) == 1
    assert found[0].cells == ("t3.new.total",)
    assert "17件" in found[0].message and f"总计为{new}" in found[0].message
    assert "受理政府信息公开申请17件" in found[0].message
    assert found[0].location == "一、总体情况"


def test_prose_matching_figures_are_silent_even_across_pdf_line_breaks():
    report = seed_like_report()
    c = report.cells
    text = (
        f"全市共受理政府信息公开申请 {c['t3.new.total']}\n件，答复{c['t3.total.total']}件。"
        f"政府信息公开行政复议 {c['t4.reconsideration.total']}\n件，其中结果维持1件；"
        f"政府信息公开行政诉讼 {c['t4.litigation_direct.total'] + c['t4.litigation_after.total']} 件。"
        f"现行有效行政规范性文件{c['t2.normative.in_force']}件。"
    )
    report.sections[1] = SectionText(1, "一、总体情况", text)
    assert prose_findings(report) == []


def test_prose_count_phrasings():
    report = seed_like_report()
    new = report.cells["t3.new.total"]
    for text in (
        f"本年度新收政府信息公开申请件数为{new + 5}件。",
        f"本机关共受理依申请公开申请共计{new + 5}件。",
        f"全年收到信息公开申请{new + 5:,}件。",
    ):
        report.sections[1] = SectionText(1, "一、总体情况", text)
        found = prose_findings(report)
        assert len(found) == 1, text
        assert f"（{new + 5}件）" in found[0].message


def test_prose_count_may_include_carried_applications():
    report = seed_like_report()
    both = report.cells["t3.new.total"] + report.cells["t3.carried.total"]
    report.sections[1] = SectionText(1, "一、总体情况", f"共收到政府信息公开申请{both}件。")
    assert prose_findings(report) == []


def test_prose_reconsideration_litigation_and_in_force_mismatches():
    report = with_prose(
        "发生行政复议 9 件，行政诉讼 99 件。现行有效规范性文件 1234 件。",
        t4__reconsideration__total=2,
        t4__reconsideration__upheld=2,
        t4__reconsideration__corrected=0,
        t4__reconsideration__other=0,
        t4__reconsideration__pending=0,
    )
    found = prose_findings(report)
    assert [f.cells for f in found] == [
        ("t4.reconsideration.total",),
        ("t4.litigation_direct.total", "t4.litigation_after.total"),
        ("t2.regulations.in_force", "t2.normative.in_force"),
    ]
    assert "表四「行政复议 总计」为2" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        "本年度收到行政复议申请2件，均已办结。",
        "全年收到信访申请3件。",
        "受理群众举报投诉申请4件。",
        "因政府信息公开引发的行政复议案件中，收到申请5件。",
        "本年度未收到行政复议申请。",
        "全年未受理信访申请。",
    ],
)
def test_prose_other_applications_are_not_compared_with_table_3(sentence):
    # 复议/诉讼/信访/举报/投诉 applications are not 政府信息公开申请 (条例第二十七条).
    report = with_prose(sentence)
    assert report.cells["t3.new.total"] not in {0, 2, 3, 4, 5}
    # (行政复议 figures are compared with 表四 by their own rule, not with 表三.)
    assert [f for f in prose_findings(report) if f.cells == ("t3.new.total",)] == []


def test_prose_disclosure_applications_next_to_other_ones_are_still_compared():
    report = seed_like_report()
    new = report.cells["t3.new.total"]
    report.sections[1] = SectionText(
        1,
        "一、总体情况",
        f"本年度收到行政复议申请2件。收到政府信息公开申请{new + 7}件。共收到申请{new + 8}件。",
    )
    found = [f for f in prose_findings(report) if f.cells == ("t3.new.total",)]
    assert [f.message.split("」（")[1].split("件")[0] for f in found] == [
        str(new + 7),
        str(new + 8),
    ]


def test_prose_no_applications_while_table_has_some():
    report = with_prose("2024年，我镇未收到任何形式的\n\n政府信息公开申请。")
    assert report.cells["t3.new.total"] > 0
    found = prose_findings(report)
    assert len(found) == 1 and "未收到任何形式的政府信息公开申请" in found[0].message


def test_prose_finding_is_located_in_the_section_that_quotes_the_figure():
    # QA: the same sentence in 一 and 三 was reported twice, both under 一.
    report = seed_like_report()
    assert report.cells["t3.new.total"] > 0
    sentence = "2024年，我镇未收到政府信息公开申请。"
    report.sections[1] = SectionText(1, "一、总体情况", "（一）主动公开方面：略。" + sentence)
    report.sections[3] = SectionText(3, "三、收到和处理政府信息公开申请情况", sentence)
    found = prose_findings(report)
    assert [f.location for f in found] == ["一、总体情况", "三、收到和处理政府信息公开申请情况"]


def test_prose_figure_only_in_a_later_section_is_located_there():
    report = seed_like_report()
    report.sections[1] = SectionText(1, "一、总体情况", "本年度全面推进政务公开。")
    report.sections[4] = SectionText(4, "四、行政复议、行政诉讼情况", "发生行政复议 9 件。")
    found = prose_findings(report)
    assert len(found) == 1 and found[0].location == "四、行政复议、行政诉讼情况"


def test_identical_prose_findings_are_reported_once():
    report = seed_like_report()
    report.sections[1] = SectionText(
        1, "一、总体情况", "我镇未收到政府信息公开申请。我镇未收到政府信息公开申请。"
    )
    assert len(prose_findings(report)) == 1


def test_prose_fee_in_wan_yuan_and_fee_without_applications():
    report = with_prose("全年收取信息处理费 0.3 万元。")
    assert "不是万元" in prose_findings(report)[0].message
    report = seed_like_report()
    for key in fmt.t3_keys():
        report.cells[key] = 0
    report.sections[6] = SectionText(
        6, "六、其他需要报告的事项", "收取政府信息公开信息处理费 300 元。"
    )
    report.sections[1] = SectionText(1, "一、总体情况", "本年度未收到政府信息公开申请。")
    found = prose_findings(report)
    assert len(found) == 1 and "300元" in found[0].message


# --- rule 10: timing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published", "deadline", "expected"),
    [
        ("county", date(2025, 3, 31), None, []),
        ("county", date(2025, 4, 1), None, [rules.PUBLISHED_LATE]),
        ("department", date(2025, 1, 31), None, []),
        ("department", date(2025, 2, 1), None, [rules.PUBLISHED_LATE]),
        ("town", date(2025, 6, 1), None, []),  # the county sets the date: none given
        ("town", date(2025, 2, 21), date(2025, 2, 20), [rules.PUBLISHED_LATE]),
        ("city", date(2024, 12, 31), None, [rules.PUBLISHED_EARLY]),
    ],
)
def test_timing(level, published, deadline, expected):
    report = seed_like_report()  # year 2024
    report.level = level
    found = [
        f
        for f in rules.check(report, published_on=published, deadline=deadline)
        if f.code in (rules.PUBLISHED_LATE, rules.PUBLISHED_EARLY)
    ]
    assert codes(found) == expected


def test_timing_message_counts_days_and_today_before_year_end():
    report = seed_like_report()
    late = rules.check(report, published_on=date(2025, 4, 10))
    assert "晚于规定期限2025-03-31（10天）" in late[0].message
    early = rules.check(report, today=date(2024, 11, 30))
    assert codes(early) == [rules.PUBLISHED_EARLY]
    assert rules.check(report, today=date(2025, 1, 2)) == []


def test_statutory_deadline():
    assert rules.statutory_deadline(2024, "department") == date(2025, 1, 31)
    assert rules.statutory_deadline(2024, "province") == date(2025, 3, 31)
    assert rules.statutory_deadline(2024, "town") is None


# --- rules 5, 6, 11: against last year ----------------------------------------------------


def previous_of(report: Report) -> Report:
    prev = random_report(
        random.Random(99), one_row_other=False, level="county", year=report.year - 1
    )
    prev.cells["t3.carry_forward.total"] = report.cells["t3.carried.total"]
    prev.cells["t2.normative.in_force"] = (
        report.cells["t2.normative.in_force"]
        - report.cells["t2.normative.issued"]
        + report.cells["t2.normative.abolished"]
    )
    prev.sections = {
        n: SectionText(
            n, s.heading, "去年的正文写的是完全不同的另一些事情，例如道路修缮与农田灌溉。"
        )
        for n, s in report.sections.items()
    }
    return prev


def test_cross_year_clean():
    report = seed_like_report()
    assert rules.check(report, previous=previous_of(report)) == []


def test_carry_over_mismatch():
    report = seed_like_report()
    prev = previous_of(report)
    prev.cells["t3.carry_forward.total"] = report.cells["t3.carried.total"] + 4
    found = rules.check(report, previous=prev)
    assert codes(found) == [rules.CARRY_OVER]
    assert found[0].cells == ("t3.carried.total",)
    assert f"总计为{report.cells['t3.carried.total']}" in found[0].message


def test_in_force_chain_warning_like_hongzequ():
    report = seed_like_report()
    c = report.cells
    c["t2.normative.issued"], c["t2.normative.abolished"], c["t2.normative.in_force"] = 3, 0, 9
    prev = previous_of(report)
    prev.cells["t2.normative.in_force"] = 5
    # The sample prose quotes the old in_force figure: rule 8 fires too.
    found = [f for f in rules.check(report, previous=prev) if f.code != rules.TEXT_VS_TABLE]
    assert codes(found) == [rules.IN_FORCE_CHAIN]
    assert found[0].severity == WARNING
    assert "上年现行有效(5)+本年制发(3)-本年废止(0)=8，但本年现行有效件数为9" in found[0].message


def test_previous_of_wrong_year():
    report = seed_like_report()
    prev = previous_of(report)
    prev.year = report.year - 2
    assert rules.PREVIOUS_YEAR in codes(rules.check(report, previous=prev))


def test_copy_forward():
    report = seed_like_report()
    prev = previous_of(report)
    prev.sections = {n: SectionText(n, s.heading, s.text) for n, s in report.sections.items()}
    found = rules.check(report, previous=prev)
    assert codes(found) == [rules.COPY_FORWARD]
    assert "100%" in found[0].message


def test_prose_overlap_hand_computed():
    # 4-character shingles: {甲乙丙丁, 乙丙丁戊} against {甲乙丙丁, 乙丙丁己}: 1 of 2.
    assert rules.prose_overlap("甲乙丙丁戊", "甲乙丙丁己") == 0.5
    # Years and other digits do not make a copied text new.
    assert rules.prose_overlap("2024年甲乙丙丁", "2023年甲乙丙丁") == 1.0
    assert rules.prose_overlap("", "甲乙丙丁") is None


# --- notes, codes, docs ---------------------------------------------------------------------


def test_reader_notes_come_first_and_everything_is_collected():
    report = seed_like_report()
    note = Finding("column_label", WARNING, "表三申请人一栏印为“社会组织”")
    report.notes = [note]
    report.cells["t3.granted.natural"] += 1
    report.cells["t4.litigation_direct.upheld"] += 1  # the total (quoted in the prose) stays
    del report.sections[6]
    found = rules.check(report)
    assert found[0] == note
    assert set(codes(found)) == {
        "column_label",
        rules.MISSING_SECTION,
        rules.T3_RESULT_TOTAL,
        rules.T3_COLUMN_TOTAL,
        rules.T4_TOTAL,
    }


def test_every_code_is_documented_with_its_severity():
    doc = DOCS.read_text("utf-8")
    for code, (severity, _) in rules.CODES.items():
        line = next((ln for ln in doc.splitlines() if f"`{code}`" in ln), None)
        assert line is not None, f"{code} is not documented in {DOCS.name}"
        assert severity in line


def test_findings_have_known_codes_and_severities():
    report = seed_like_report()
    report.cells["t3.new.natural"] = -1
    del report.sections[5]
    for f in rules.check(report, published_on=date(2026, 1, 1)):
        assert rules.CODES[f.code][0] == f.severity
        assert re.search(r"[\u4e00-\u9fff]", f.message)


# --- corpus (truth cells; independent of the readers) -------------------------------------


@needs_corpus
def test_corpus_hongzequ_2023_truth():
    report = report_from_truth("hongzequ-2023")
    found = rules.check(report)
    t4 = [f for f in found if f.code == rules.T4_TOTAL]
    assert [f.cells[0] for f in t4] == ["t4.reconsideration.total", "t4.litigation_after.total"]
    assert "=11，不等于总计(0)" in t4[0].message
    assert "=5，不等于总计(0)" in t4[1].message
    assert rules.OUTDATED_LAYOUT in codes(found)
    assert not any(f.code.startswith("t3_") for f in found)


@needs_corpus
def test_corpus_hongzequ_2024_truth_with_prose():
    report = report_from_truth("hongzequ-2024")
    for number, text in pdf_prose("hongzequ-2024").items():
        report.sections[number] = SectionText(number, fmt.SECTION_BY_NUMBER[number].title, text)
    found = rules.check(report, previous=report_from_truth("hongzequ-2023"))
    assert table_findings(found) == set()  # rules 1-4 hold
    assert rules.CARRY_OVER not in codes(found)  # carried 0 = 0
    assert rules.IN_FORCE_CHAIN not in codes(found)  # 5 + 3 - 0 = 8
    prose = [f for f in found if f.code == rules.TEXT_VS_TABLE]
    assert len(prose) == 1
    assert "17件" in prose[0].message and "总计为95" in prose[0].message


@needs_corpus
def test_corpus_huaian_2024_truth_is_clean():
    report = report_from_truth("huaian-2024")
    report.level = "city"  # a 设区的市 may make 规章: t2.regulations.issued = 1
    for number, text in pdf_prose("huaian-2024").items():
        report.sections[number] = SectionText(number, fmt.SECTION_BY_NUMBER[number].title, text)
    assert "3119" in report.sections[1].text
    assert rules.check(report) == []


@needs_corpus
def test_corpus_seed_truth():
    report = report_from_truth("seed-ganhetan-2024")
    found = rules.check(report)
    assert codes(found) == [rules.MISSING_SECTION]
    assert "六、其他需要报告的事项" in found[0].message


# --- corpus end to end through the readers --------------------------------------------------


@needs_corpus
@pytest.mark.slow
def test_corpus_end_to_end_through_the_readers():
    from gongkai.annual.readers import read_path
    from gongkai.annual.tests.corpus import CORPUS

    h23 = read_path(CORPUS / "hongzequ-2023.pdf")
    found = rules.check(h23)
    assert {f.cells[0] for f in found if f.code == rules.T4_TOTAL} == {
        "t4.reconsideration.total",
        "t4.litigation_after.total",
    }
    assert codes(found).count(rules.OUTDATED_LAYOUT) == 1

    h24 = read_path(CORPUS / "hongzequ-2024.pdf")
    found = rules.check(h24, previous=h23)
    assert table_findings(found) == set()
    assert [f for f in found if f.severity == ERROR] == []
    assert any(f.code == rules.TEXT_VS_TABLE and "17件" in f.message for f in found)

    huaian = read_path(CORPUS / "huaian-2024.pdf")
    found = rules.check(huaian, level="city")
    assert [f for f in found if f.severity == ERROR] == []
    assert rules.TEXT_VS_TABLE not in codes(found)


@needs_corpus
def test_seed_end_to_end_through_the_readers():
    from gongkai.annual.readers import read_path

    found = rules.check(read_path(SEED))
    assert table_findings(found) == set()
    assert [f for f in found if f.severity == ERROR] == [
        next(f for f in found if f.code == rules.MISSING_SECTION)
    ]
    assert "column_label" in codes(found)


# --- unfilled template placeholders (条例第五十条) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）本年度存在的主要问题：（请填写。）", ["（请填写。）"]),
        (
            "（四）平台建设方面：（请填写政府网站、公示栏等平台建设情况。）",
            ["（请填写政府网站、公示栏等平台建设情况。）"],
        ),
        ("（此处插入图表）", ["（此处插入图表）"]),
        (
            "（如有人大代表建议办理情况，请在此补充。）",
            ["（如有人大代表建议办理情况，请在此补充。）"],
        ),
        ("全年收到申请XX件，××镇答复ＸＸ件。", ["XX", "××", "ＸＸ"]),
        ("(请填写)", ["(请填写)"]),
        # Ordinary parentheses and Latin words are not placeholders.
        ("（一）主动公开方面：（含政策解读12篇）。", []),
        ("尺码XXL的服装；编号UXXX。", []),
        ("3×4的表格", []),
    ],
)
def test_find_placeholders(text, expected):
    assert rules.find_placeholders(text) == expected


def test_unfilled_placeholder_is_an_error_with_its_section():
    report = seed_like_report()
    report.sections[5] = SectionText(
        5,
        "五、存在的主要问题及改进情况",
        "（一）主要问题：（请填写。）\n（二）改进措施：（请填写。）",
    )
    found = [f for f in rules.check(report) if f.code == rules.UNFILLED_PLACEHOLDER]
    assert len(found) == 1  # one per distinct placeholder per section
    assert found[0].severity == ERROR
    assert found[0].location == "五、存在的主要问题及改进情况"
    assert "（请填写。）" in found[0].message and "五、存在的主要问题及改进情况" in found[0].message


def test_filled_report_has_no_placeholder_finding():
    report = seed_like_report()
    assert rules.UNFILLED_PLACEHOLDER not in codes(rules.check(report))


@needs_corpus
@pytest.mark.parametrize("name", ["hongzequ-2024", "huaian-2024"])
def test_real_reports_have_no_placeholders(name):
    for number, text in pdf_prose(name).items():
        assert rules.find_placeholders(text) == [], (name, number)
