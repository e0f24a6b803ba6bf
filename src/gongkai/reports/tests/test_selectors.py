from datetime import date
from decimal import Decimal

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.rules import check
from gongkai.reports.selectors import (
    cells_from_json,
    cells_to_json,
    compute_cells,
    records_for_cell,
    report_compute,
)
from gongkai.tests.oracles import table2_figures

from . import factories as f

pytestmark = pytest.mark.django_db


def test_compute_counts_every_table_by_hand(org, other_org):
    # 2023: one carried into 2024.  2024: three new, one still open at year end.
    f.application(org, received_on=date(2023, 12, 20))  # open: carried, then carry_forward
    f.application(org, received_on=date(2024, 2, 1), reply_on=date(2024, 2, 20))
    f.application(
        org,
        received_on=date(2024, 3, 1),
        reply_on=date(2024, 3, 15),
        outcome="withheld_secret",
        applicant_type="commercial",
    )
    f.application(org, received_on=date(2024, 12, 30))
    f.application(other_org, received_on=date(2024, 5, 1))  # another body: not counted
    f.appeal(org, filed_on=date(2024, 4, 1), decided_on=date(2024, 6, 1), result="upheld")
    f.appeal(org, kind="litigation_direct", filed_on=date(2024, 11, 1))
    f.normative(org, issued_on=date(2022, 1, 5))
    f.normative(org, issued_on=date(2024, 6, 5))
    f.normative(org, issued_on=date(2021, 6, 5), abolished_on=date(2024, 7, 1))
    f.figures(org, 2024, licensing=12, penalty=3, coercion=1, fees=Decimal("1.250000"))

    report = report_compute(organization=org, year=2024)
    c = report.cells
    assert len(c) == 200 and report.missing_keys() == []
    assert c["t3.new.total"] == 3
    assert c["t3.new.commercial"] == 1
    assert c["t3.carried.total"] == 1
    assert c["t3.granted.natural"] == 1
    assert c["t3.withheld_secret.commercial"] == 1
    assert c["t3.total.total"] == 2
    assert c["t3.carry_forward.total"] == 2
    assert c["t4.reconsideration.upheld"] == 1
    assert c["t4.litigation_direct.pending"] == 1
    assert c["t4.litigation_direct.total"] == 1
    assert c["t2.normative.issued"] == 1
    assert c["t2.normative.abolished"] == 1
    assert c["t2.normative.in_force"] == 2
    assert c["t2.licensing"] == 12
    assert c["t2.fees"] == Decimal("1.25")
    errors = [x for x in check(report, level="town") if x.severity == "error"]
    assert errors == []


def test_table2_agrees_with_the_disclosure_selector(org):
    f.normative(org, issued_on=date(2020, 1, 5), valid_until=date(2024, 12, 30))
    f.normative(org, issued_on=date(2024, 1, 5), expired_on=date(2024, 12, 31), status="expired")
    f.normative(org, issued_on=date(2023, 1, 5))
    f.figures(org, 2024, penalty=7, fees=Decimal("0.5"))
    for year in (2023, 2024, 2025):
        mine = compute_cells(organization_ids=[org.pk], year=year)
        theirs = table2_figures(org, year)
        # The same cells, and the same ones left out (2023, 2025: no figures entered).
        assert {k: v for k, v in mine.items() if k.startswith("t2.")} == theirs


def test_constant_number_of_queries(org, django_assert_num_queries):
    def load(n):
        rows = [
            f.application(
                org,
                received_on=date(2024, 1 + i % 12, 1 + i % 28),
                reply_on=date(2024, 12, 31) if i % 3 else None,
                outcome=fmt.T3_RESULT_ROWS[i % len(fmt.T3_RESULT_ROWS)],
                applicant_type=fmt.T3_APPLICANT_COLUMNS[i % 6],
                save=False,
            )
            for i in range(n)
        ]
        from gongkai.applications.models import Application

        Application.objects.bulk_create(rows)

    load(10)
    with django_assert_num_queries(4):
        small = report_compute(organization=org, year=2024)
    load(990)
    with django_assert_num_queries(4):
        big = report_compute(organization=org, year=2024)
    assert small.cells["t3.new.total"] == 10
    assert big.cells["t3.new.total"] == 1000


def test_cells_json_round_trip_keeps_decimals():
    cells = {"t2.fees": Decimal("7730.280001"), "t3.new.total": 3}
    data = cells_to_json(cells)
    assert data == {"t2.fees": "7730.280001", "t3.new.total": 3}
    assert cells_from_json(data) == cells


def test_drill_down_lists_the_records_behind_a_cell(org):
    a = f.application(org, received_on=date(2024, 2, 1), reply_on=date(2024, 2, 20))
    f.application(org, received_on=date(2024, 2, 1), reply_on=date(2024, 2, 20), outcome="partial")
    doc = f.normative(org, issued_on=date(2024, 6, 5))
    assert records_for_cell(organization=org, year=2024, key="t3.granted.total").rows == [a]
    assert records_for_cell(organization=org, year=2024, key="t2.normative.issued").rows == [doc]
    figures = records_for_cell(organization=org, year=2024, key="t2.licensing")
    assert figures.rows == [] and "尚未录入" in figures.note
    assert "空白不等于0" in figures.note and "按0计" not in figures.note
    cells = report_compute(organization=org, year=2024).cells
    assert not {"t2.licensing", "t2.penalty", "t2.coercion", "t2.fees"} & set(cells)
    with pytest.raises(ValueError):
        records_for_cell(organization=org, year=2024, key="t9.nothing")


def test_portal_contract(org, clerk):
    from gongkai.reports import services
    from gongkai.reports.selectors import published_reports, report_document_for_public

    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    done = f.published(org, 2023)
    draft = services.report_start(
        organization=org, year=2024, acting_user=clerk, today=date(2025, 1, 5)
    )
    assert list(published_reports(org)) == [done]
    assert report_document_for_public(org, 2023) == done
    assert report_document_for_public(org, 2024) is None
    assert done.to_report().year == 2023 and done.published_at is not None
    assert draft.to_report().cells["t3.new.total"] == 1


def test_figures_drill_down_names_the_person(org, clerk):
    from gongkai.reports.selectors import records_for_cell

    clerk.first_name, clerk.last_name = "芳", "王"
    clerk.save()
    f.figures(org, 2024, penalty=7, entered_by=clerk)
    records = records_for_cell(organization=org, year=2024, key="t2.penalty")
    assert records.note == f"由{clerk.get_full_name()}在「年度主动公开数据」中录入。"


@pytest.mark.parametrize(
    ("level", "may", "fires"),
    [
        ("department", True, False),  # a State Council department: the register accepts 规章
        ("town", True, False),  # flagged by the administrator
        ("city", False, True),  # a city-level body without the power
    ],
)
def test_rule_7_uses_the_bodys_flag_like_the_register(district, level, may, fires):
    # The 规章 register (NormativeDocument.clean) and the checker ask the same
    # question: Organization.may_make_regulations, not the level.
    from gongkai.organizations.factories import OrganizationFactory
    from gongkai.reports.cli import document_for
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.selectors import report_findings
    from gongkai.reports.supervision import aggregate_with_findings

    body = OrganizationFactory(level=level, may_make_regulations=may, parent=district)
    f.normative(body, issued_on=date(2024, 5, 1), kind="regulation")
    f.figures(body, 2024)

    def competence(findings):
        return [x for x in findings if x.code == "regulations_competence"]

    _, found = document_for(body, 2024)  # no document: computed tables
    assert bool(competence(found)) is fires
    draft = AnnualReport.objects.create(organization=body, year=2024)
    _, found = report_findings(draft, today=date(2025, 2, 1))
    assert bool(competence(found)) is fires
    if fires:
        assert "本机关无规章制定权" in competence(found)[0].message
    # The district's aggregate has 规章 from a body with the power: no error then.
    _, found = aggregate_with_findings(district, 2024, today=date(2025, 2, 1))
    assert bool(competence(found)) is fires


def test_missing_yearly_figures_are_blank_in_the_exports(district, org):
    # Format rule 9 on the way out: a body without 年度主动公开数据 has blank
    # 许可/处罚/强制/收费 cells in the supervision XLSX and in the report writers,
    # never 0, and its check lists them as missing.
    import io

    from openpyxl import load_workbook

    from gongkai.annual.writers import write
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.supervision import export_xlsx, supervision_rows

    f.figures(district, 2024, licensing=2)
    for body in (district, org):  # drafts: their tables follow the records
        AnnualReport.objects.create(organization=body, year=2024)
    today = date(2025, 2, 1)
    rows = supervision_rows(district, 2024, today=today)
    ws = load_workbook(io.BytesIO(export_xlsx(district, 2024, rows, today=today))).active
    keys = [c.value for c in ws[2]]
    by_name = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    town = by_name[org.name]
    assert town[keys.index("t2.licensing")].value is None
    assert town[keys.index("t2.fees")].value is None
    assert town[keys.index("t2.normative.issued")].value == 0
    assert by_name[district.name][keys.index("t2.licensing")].value == 2
    town_row = next(r for r in rows if r.organization == org)
    assert any(x.code == "missing_cells" for x in town_row.findings)
    text = write(report_compute(organization=org, year=2024), "text").decode()
    licensing_line = next(line for line in text.splitlines() if "行政许可" in line)
    assert not licensing_line.rstrip().endswith("0"), licensing_line
