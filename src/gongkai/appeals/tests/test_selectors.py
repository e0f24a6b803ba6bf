from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.format import t4_keys
from gongkai.appeals.models import Appeal
from gongkai.appeals.selectors import appeals_for_cell, table4_counts

pytestmark = pytest.mark.django_db

START = date(2022, 1, 1)
KINDS = ("reconsideration", "litigation_direct", "litigation_after")
RESULTS = ("upheld", "corrected", "other")

cases = st.lists(
    st.tuples(
        st.integers(0, 1800),
        st.one_of(st.none(), st.integers(0, 400)),
        st.sampled_from(KINDS),
        st.sampled_from(RESULTS),
    ),
    max_size=30,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases)
def test_table4_against_a_plain_count(org, data):
    Appeal.objects.all().delete()
    rows = []
    for offset, duration, kind, result in data:
        filed = START + timedelta(days=offset)
        decided = filed + timedelta(days=duration) if duration is not None else None
        rows.append((filed, decided, kind, result))
        Appeal.objects.create(
            organization=org,
            kind=kind,
            filed_on=filed,
            authority="某机关",
            decided_on=decided,
            result=result if decided else "",
        )
    for year in range(2022, 2028):
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        with CaptureQueriesContext(connection) as queries:
            cells = table4_counts(organization_ids=[org.pk], year=year)
        assert len(queries) == 1
        assert set(cells) == set(t4_keys())
        for kind in KINDS:
            for result in RESULTS:
                expected = sum(
                    1
                    for f, d, k, r in rows
                    if k == kind and r == result and d and jan1 <= d <= dec31
                )
                assert cells[f"t4.{kind}.{result}"] == expected
            pending = sum(
                1 for f, d, k, _ in rows if k == kind and f <= dec31 and (d is None or d > dec31)
            )
            assert cells[f"t4.{kind}.pending"] == pending
            assert cells[f"t4.{kind}.total"] == sum(
                cells[f"t4.{kind}.{c}"] for c in ("upheld", "corrected", "other", "pending")
            )
            for col in ("upheld", "corrected", "other", "pending", "total"):
                key = f"t4.{kind}.{col}"
                assert (
                    appeals_for_cell(organization_ids=[org.pk], year=year, key=key).count()
                    == cells[key]
                )


def test_pending_at_year_end_by_hand(org):
    Appeal.objects.create(
        organization=org,
        kind="litigation_direct",
        filed_on=date(2024, 11, 18),
        authority="法院",
        result="corrected",
        decided_on=date(2025, 3, 14),
    )
    Appeal.objects.create(
        organization=org, kind="reconsideration", filed_on=date(2024, 12, 31), authority="区政府"
    )
    c2024 = table4_counts(organization_ids=[org.pk], year=2024)
    assert c2024["t4.litigation_direct.pending"] == 1 and c2024["t4.reconsideration.pending"] == 1
    assert c2024["t4.litigation_direct.corrected"] == 0
    c2025 = table4_counts(organization_ids=[org.pk], year=2025)
    assert (
        c2025["t4.litigation_direct.corrected"] == 1 and c2025["t4.litigation_direct.pending"] == 0
    )
    assert c2025["t4.reconsideration.pending"] == 1


def test_unknown_cell_is_refused(org):
    with pytest.raises(ValueError, match="不是表四的单元格"):
        appeals_for_cell(organization_ids=[org.pk], year=2024, key="t4.appeal.total")
