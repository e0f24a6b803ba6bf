"""The annual report's generated draft mentions the year's consultations, only when
the body had any."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.consultations.services import comment_decide, comment_moderate
from gongkai.reports.services import report_start

from .conftest import at

pytestmark = pytest.mark.django_db


def test_prose_sentence_with_the_years_consultations(make_published, comment_on, clerk, org):
    c = make_published()
    first = comment_on(c, day=dt.date(2025, 3, 3))
    comment_on(c, day=dt.date(2025, 3, 4), content="建议二")
    make_published(title="第二件草案", start_on=dt.date(2025, 6, 2), end_on=dt.date(2025, 6, 20))
    comment_moderate(comment=first, accept=True, acting_user=clerk, now=at(dt.date(2025, 3, 20)))
    comment_decide(comment=first, decision="partly", reason="部分已有安排。", summary="建议一",
                   acting_user=clerk, now=at(dt.date(2025, 4, 2)))  # fmt: skip
    report = report_start(
        organization=org, year=2025, acting_user=clerk, today=dt.date(2026, 1, 5),
        now=at(dt.date(2026, 1, 5)),
    )  # fmt: skip
    assert (
        "全年公开征求意见的决策草案2件，收到意见建议2条，采纳（含部分采纳）1条。"
        in report.section_1
    )
    # Another year: no consultations, no sentence.
    earlier = report_start(
        organization=org, year=2024, acting_user=clerk, today=dt.date(2026, 1, 5),
        now=at(dt.date(2026, 1, 5)),
    )  # fmt: skip
    assert "征求意见" not in earlier.section_1
