from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gongkai.reports import assessment
from gongkai.reports.charts import bar_chart, trend_chart
from gongkai.reports.deadlines import deadline_for
from gongkai.reports.models import SupervisionSettings

from . import factories as f


def test_bar_chart_escapes_and_scales():
    svg = bar_chart("标题<x>", [("予以公开", 4), ("<b>", 2), ("零", 0)])
    assert svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
    assert 'role="img"' in svg and "4件" in svg and "0件" in svg
    assert "暂无数据" in bar_chart("空", [])


def test_trend_chart_has_a_bar_per_year_and_series():
    svg = trend_chart("趋势", [2023, 2024], {"新收申请": [3, 5], "行政复议": [0, 1]})
    assert svg.count("<rect") == 4 + 2  # bars + legend swatches
    assert "2024年 新收申请：5" in svg


@pytest.mark.django_db
def test_deadlines_follow_article_49_and_the_county(district, org):
    from gongkai.organizations.factories import OrganizationFactory

    department = OrganizationFactory(level="department", parent=district, slug="dept")
    assert deadline_for(department, 2024) == date(2025, 1, 31)  # 条例第四十九条
    assert deadline_for(district, 2024) == date(2025, 3, 31)  # 条例第四十九条
    assert deadline_for(org, 2024) == date(2025, 2, 20)  # default town date
    SupervisionSettings.objects.create(
        organization=district, town_deadline_month=3, town_deadline_day=10
    )
    assert deadline_for(org, 2024) == date(2025, 3, 10)


@pytest.mark.django_db
def test_assessment_scores_by_hand(org, unit):
    # Replies: two on time, one late -> 66.7.
    for reply, due in (
        (date(2024, 3, 5), date(2024, 3, 10)),
        (date(2024, 4, 5), date(2024, 4, 10)),
    ):
        f.application(org, received_on=date(2024, 3, 1), reply_on=reply, due_on=due, unit=unit)
    late = f.application(
        org, received_on=date(2024, 5, 1), reply_on=date(2024, 6, 20), due_on=date(2024, 5, 29)
    )
    f.published(org, 2024, on=date(2025, 2, 1))
    f.published(org, 2023, on=date(2024, 2, 1))
    result = assessment.assess_body(org, 2024, today=date(2025, 3, 1))
    scores = {s.indicator.key: s for s in result.scores}
    assert scores["replies_timely"].value == 66.7 and scores["replies_timely"].records == [late]
    assert scores["report_on_time"].value == 100.0
    assert scores["proactive_timely"].applicable is False  # nothing published: 不适用
    # Prose identical to last year's: repeated > 50%.
    assert scores["report_original"].value == 0.0
    assert scores["guide_updated"].value == 0.0
    # total = weighted mean over applicable indicators: replies 25, guide 10, on time 15, original 10
    expected = round((66.7 * 25 + 0 * 10 + 100 * 15 + 0 * 10) / 60, 1)
    assert abs(result.total - expected) < 0.1
    units = assessment.assess_units(org, 2024, today=date(2025, 3, 1))
    assert units[0].subject == unit.name
    assert {s.indicator.key: s for s in units[0].scores}["replies_timely"].value == 100.0
    data = assessment.export_xlsx("考核", [result, *units])
    assert data[:2] == b"PK"


# --- 考核 scores what is due: from the clock through the stored due date -----


def _scores_on_page(client, subject: str, query: str) -> tuple:
    """The assessment page as the user sees it today: (assessment, scores by key)."""
    from django.urls import reverse

    r = client.get(reverse("reports:assessment") + query)
    assert r.status_code == 200
    (found,) = [a for a in r.context["results"] if a.subject == subject]
    return found, {s.indicator.key: s for s in found.scores}


@pytest.mark.django_db
def test_unanswered_application_past_its_stored_due_date_counts_as_late(
    client_for, org, clerk, time_machine
):
    from gongkai.applications.tests.factories import receive

    # Registered through the service: the clock computes and stores due_on
    # (条例第三十三条: 20 working days from receipt).
    time_machine.move_to("2024-09-27 10:00 +08:00", tick=False)
    pending = receive(org, user=clerk, on=date(2024, 9, 27))
    pending.refresh_from_db()
    due = pending.due_on
    assert due is not None and due > date(2024, 9, 27)
    on_time = f.application(
        org, received_on=date(2024, 9, 2), reply_on=date(2024, 9, 20), due_on=date(2024, 9, 30)
    )
    query = "?year=2024&scope=units"

    # On the due date itself the reply is not late yet: only the answered one counts.
    time_machine.move_to(f"{due:%Y-%m-%d} 18:00 +08:00", tick=False)
    _, scores = _scores_on_page(client_for(clerk), org.name, query)
    replies = scores["replies_timely"]
    assert (replies.numerator, replies.denominator, replies.value) == (1, 1, 100.0)

    # The next day it is overdue and unanswered: late, and listed as what cost points.
    time_machine.move_to(f"{due + timedelta(days=1):%Y-%m-%d} 09:00 +08:00", tick=False)
    _, scores = _scores_on_page(client_for(clerk), org.name, query)
    replies = scores["replies_timely"]
    assert (replies.numerator, replies.denominator, replies.value) == (1, 2, 50.0)
    assert replies.records == [pending]
    assert on_time not in replies.records


@pytest.mark.django_db
def test_overdue_application_is_counted_once_in_the_year_its_due_date_lapsed(org):
    # Due in December 2024, still unanswered in February 2025: late in 2024, not in 2025.
    app = f.application(org, received_on=date(2024, 11, 20), due_on=date(2024, 12, 18))
    today = date(2025, 2, 10)
    by_year = {
        year: {s.indicator.key: s for s in assessment.assess_body(org, year, today=today).scores}[
            "replies_timely"
        ]
        for year in (2024, 2025)
    }
    assert by_year[2024].records == [app] and by_year[2024].value == 0.0
    assert not by_year[2025].applicable
    # Answered late in March 2025: it moves to 2025 (the year of the reply), still late.
    app.reply_on, app.outcome, app.status = date(2025, 3, 3), "granted", "closed"
    app.save()
    today = date(2025, 3, 10)
    s24 = {s.indicator.key: s for s in assessment.assess_body(org, 2024, today=today).scores}
    s25 = {s.indicator.key: s for s in assessment.assess_body(org, 2025, today=today).scores}
    assert not s24["replies_timely"].applicable
    assert s25["replies_timely"].records == [app] and s25["replies_timely"].value == 0.0


@pytest.mark.django_db
def test_report_is_scored_only_once_its_deadline_has_come(
    client_for, district, org, supervisor, time_machine
):
    from gongkai.organizations.factories import OrganizationFactory

    # 条例第四十九条: a department publishes by 31 January; the county stores the
    # towns' date in its settings (here 10 March).
    department = OrganizationFactory(
        name="测试区民政局", level="department", parent=district, slug="dept"
    )
    SupervisionSettings.objects.create(
        organization=district, town_deadline_month=3, town_deadline_day=10
    )
    query = "?year=2024&scope=bodies"
    cases = ((department, date(2025, 1, 31)), (org, date(2025, 3, 10)))
    for body, deadline in cases:
        assert deadline_for(body, 2024) == deadline

    def on_time(body):
        found, scores = _scores_on_page(client_for(supervisor), body.name, query)
        return found, scores["report_on_time"]

    # Before and on the deadline day an unpublished report is not yet due: 不适用,
    # so its weight is left out of the total instead of pulling it to 0.
    for body, deadline in cases:
        for day in (deadline - timedelta(days=20), deadline):
            time_machine.move_to(f"{day:%Y-%m-%d} 23:00 +08:00", tick=False)
            found, score = on_time(body)
            assert not score.applicable, (body, day)
            assert "未到" in score.note and f"{deadline:%Y-%m-%d}" in score.note
            used = [s.indicator.key for s in found.scores if s.applicable]
            assert "report_on_time" not in used

    # The day after the deadline, still unpublished: late, scored 0.
    for body, deadline in cases:
        time_machine.move_to(f"{deadline + timedelta(days=1):%Y-%m-%d} 09:00 +08:00", tick=False)
        _, score = on_time(body)
        assert (score.numerator, score.denominator, score.value) == (0, 1, 0.0)
        assert "尚未公布" in score.note

    # Published early (before the deadline has come): scored in full at once.
    f.published(department, 2024, on=date(2025, 1, 15))
    time_machine.move_to("2025-01-20 09:00 +08:00", tick=False)
    _, score = on_time(department)
    assert score.value == 100.0


@pytest.mark.django_db
def test_report_original_compares_published_reports_only(district, org):
    # Review of #9 (F10): a draft (or an import nobody has confirmed) was compared
    # with last year's text and could score 0 before the report was even due.
    from gongkai.reports.models import AnnualReport

    SupervisionSettings.objects.create(
        organization=district, town_deadline_month=2, town_deadline_day=20
    )
    f.published(org, 2023, on=date(2024, 2, 1))  # sections "第n部分正文。"
    draft = AnnualReport.objects.create(
        organization=org,
        year=2024,
        **{f"section_{n}": f"第{n}部分正文。" for n in range(1, 7)},  # copied from 2023
    )

    def original(today):
        scores = assessment.assess_body(org, 2024, today=today).scores
        return {s.indicator.key: s for s in scores}["report_original"]

    before = original(date(2025, 2, 10))
    assert not before.applicable and "2025-02-20" in before.note and "未到" in before.note
    after = original(date(2025, 3, 1))
    assert not after.applicable and "尚未公布" in after.note
    # Submitted (an import waiting for confirmation looks the same): still not compared.
    AnnualReport.objects.filter(pk=draft.pk).update(status=AnnualReport.Status.SUBMITTED)
    assert not original(date(2025, 3, 1)).applicable
    # Published: compared with last year's published report (identical -> 0).
    AnnualReport.objects.filter(pk=draft.pk).update(
        status=AnnualReport.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime(2025, 2, 5, 10)),
    )
    published = original(date(2025, 2, 10))
    assert (published.numerator, published.denominator) == (0, 1)
    # Last year's report not published (a pending import): nothing to compare with.
    AnnualReport.objects.filter(organization=org, year=2023).update(
        status=AnnualReport.Status.SUBMITTED
    )
    last = original(date(2025, 3, 1))
    assert not last.applicable and "上年" in last.note
