from datetime import date

import pytest

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
    result = assessment.assess_body(org, 2024)
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
    units = assessment.assess_units(org, 2024)
    assert units[0].subject == unit.name
    assert {s.indicator.key: s for s in units[0].scores}["replies_timely"].value == 100.0
    data = assessment.export_xlsx("考核", [result, *units])
    assert data[:2] == b"PK"
