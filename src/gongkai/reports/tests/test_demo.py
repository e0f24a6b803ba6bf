"""The demo's reports: 甘河滩镇 2024 equals the seed report's tables and passes every check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.demo import load_demo
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import report_compute, report_findings
from gongkai.reports.supervision import supervision_rows

SEED = Path(__file__).resolve().parents[4] / "../shared/seeds/000_6aa6356136dd47b5.txt"

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


@pytest.fixture(scope="module")
def seed_cells():
    if SEED.exists():
        from gongkai.annual.readers import read_path

        return read_path(SEED).cells
    return dict.fromkeys(fmt.all_keys(), 0)  # the seed report is all zeros


@pytest.fixture
def demo():
    with time_machine.travel(date(2026, 11, 26), tick=False):
        return load_demo()


def test_ganhetan_2024_matches_the_seed_and_is_clean(demo, seed_cells):
    report = AnnualReport.objects.get(organization=demo.ganhetan, year=2024)
    assert report.status == "published"
    computed = report_compute(organization=demo.ganhetan, year=2024).cells
    tables_3_4 = [k for k in seed_cells if not k.startswith("t2.")]
    assert {k: computed[k] for k in tables_3_4} == {k: seed_cells[k] for k in tables_3_4}
    model, findings = report_findings(report, today=date(2026, 11, 26))
    assert [f.message for f in findings if f.severity == ERROR] == []
    assert 6 in model.sections and "信息处理费0元" in model.sections[6].text


def test_ganhetan_2024_table2_matches_the_seed(demo, seed_cells):
    # Needs the disclosure demo to register no 2024 规范性文件 for 甘河滩镇 (the
    # seed report shows 0 issued, 0 in force): see docs/reports.md "Demo".
    computed = report_compute(organization=demo.ganhetan, year=2024).cells
    t2 = [k for k in seed_cells if k.startswith("t2.")]
    assert {k: computed[k] for k in t2} == {k: seed_cells[k] for k in t2}


def test_supervisor_sees_every_status(demo):
    rows = {
        r.organization.slug: r
        for r in supervision_rows(demo.district, 2024, today=date(2026, 11, 26))
    }
    assert rows["ganhetan"].on_time is True and rows["ganhetan"].deadline == date(2025, 2, 20)
    assert rows["liulin"].on_time is False
    assert rows["hewan-minzheng"].on_time is True
    assert rows["hewan"].on_time is True  # the district's own 2024 report
    last_year = {
        r.organization.slug: r
        for r in supervision_rows(demo.district, 2025, today=date(2026, 11, 26))
    }
    assert last_year["hewan"].status_label == "已提交审核"
    # 甘河滩镇 published its 2025 report on 13 February 2026, before the town deadline
    # of 20 February; 柳林镇's is still a draft, late again.
    assert last_year["ganhetan"].on_time is True
    assert last_year["ganhetan"].deadline == date(2026, 2, 20)
    published = AnnualReport.objects.get(organization=demo.ganhetan, year=2025)
    assert published.status == "published"
    assert timezone.localdate(published.published_at) == date(2026, 2, 13)
    assert "{" not in published.section_1 and published.section_6
    assert last_year["liulin"].on_time is None and last_year["liulin"].days_late > 0
    draft = AnnualReport.objects.get(organization=demo.liulin, year=2025)
    assert draft.status == "draft" and draft.section_6


def test_every_2024_demo_report_has_its_yearly_figures(demo):
    # A blank is not a zero (format rule 9): table 2's 许可/处罚/强制/收费 come from
    # 年度主动公开数据, which the demo enters for every body that reports on 2024.
    from gongkai.disclosure.models import YearlyFigures

    reports = AnnualReport.objects.filter(year=2024).select_related("organization")
    assert reports.count() == 4
    for report in reports:
        assert YearlyFigures.objects.filter(organization=report.organization, year=2024).exists()
        _, findings = report_findings(report, today=date(2026, 11, 26))
        assert [f.message for f in findings if f.code == "missing_cells"] == [], report
        assert all(k in report.cells for k in ("t2.licensing", "t2.fees")), report


def test_ganhetan_2024_is_stamped_with_the_demos_own_dates(demo):
    # Issue #9 (one clock): the 2024 report was approved "in 2026" (the wall clock)
    # although published on 10 February 2025.
    from django.utils import timezone

    report = AnnualReport.objects.get(organization=demo.ganhetan, year=2024)
    stamps = [
        timezone.localdate(t)
        for t in (report.submitted_at, report.approved_at, report.published_at)
    ]
    assert stamps == [date(2025, 2, 5), date(2025, 2, 7), date(2025, 2, 10)]
    # Three people: the clerk submits, the approver approves and publishes.
    assert report.submitted_by == demo.clerk and report.last_edited_by == demo.clerk
    assert report.approved_by == demo.approver == report.published_by


def test_ganhetan_2024_history_shows_the_demo_dates(demo, client_for):
    # One clock (review of #9, F11): the audit row of each step carries the
    # service's ``now``, so the history reads 2025, not the day the demo loaded.
    from django.urls import reverse

    from gongkai.audit.selectors import events_for

    report = AnnualReport.objects.get(organization=demo.ganhetan, year=2024)
    when = {e.verb: timezone.localdate(e.created_at).isoformat() for e in events_for(report)}
    assert when["report.submit"] == "2025-02-05"
    assert when["report.approve"] == "2025-02-07"
    assert when["report.publish"] == "2025-02-10"
    assert when["report.start"] == when["report.edit"] == "2025-01-20"
    assert [e.verb for e in events_for(report)] == [
        "report.start",
        "report.edit",
        "report.submit",
        "report.approve",
        "report.publish",
    ]
    with time_machine.travel(date(2026, 11, 26), tick=False):
        page = client_for(demo.approver).get(
            reverse("reports:report_detail", args=[2024]), HTTP_HOST="localhost"
        )
    history = page.text[page.text.index('id="hist-h"') :]
    for day in ("2025-02-05", "2025-02-07", "2025-02-10"):
        assert day in history
