"""Randomised histories of applications, outcomes and appeals over several years:
the computed tables always satisfy every rule of the format, and next year's
上年结转 is this year's 结转下年度继续办理."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.annual.rules import MISSING_CELLS, check
from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application
from gongkai.organizations.factories import OrganizationFactory
from gongkai.reports.selectors import report_compute
from gongkai.tests.oracles import table3_counts

from . import factories as f

START = date(2021, 1, 1)
FIGURE_KEYS = [f"t2.{row.key}" for row in fmt.T2_ROWS if not row.has_columns]
DAYS = 4 * 365

application_st = st.tuples(
    st.integers(0, DAYS),  # received
    st.one_of(st.none(), st.integers(0, 400)),  # reply after n days (None: still open)
    st.sampled_from(fmt.T3_RESULT_ROWS),
    st.sampled_from(fmt.T3_APPLICANT_COLUMNS),
)
appeal_st = st.tuples(
    st.integers(0, DAYS),
    st.one_of(st.none(), st.integers(0, 500)),
    st.sampled_from([k for k, _ in fmt.T4_BLOCKS]),
    st.sampled_from(["upheld", "corrected", "other"]),
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(application_st, max_size=40), st.lists(appeal_st, max_size=8))
def test_computed_tables_always_pass_the_rules(applications, appeals):
    org = OrganizationFactory()
    rows = []
    for received, after, outcome, applicant in applications:
        on = START + timedelta(days=received)
        reply = on + timedelta(days=after) if after is not None else None
        rows.append(
            f.application(
                org,
                received_on=on,
                reply_on=reply,
                outcome=outcome,
                applicant_type=applicant,
                save=False,
            )
        )
    Application.objects.bulk_create(rows)
    Appeal.objects.bulk_create(
        Appeal(
            organization=org,
            kind=kind,
            filed_on=START + timedelta(days=filed),
            decided_on=START + timedelta(days=filed + after) if after is not None else None,
            result=result if after is not None else "",
            authority="测试",
        )
        for filed, after, kind, result in appeals
    )
    previous = None
    for year in range(2021, 2026):
        report = report_compute(organization=org, year=year)
        # One GROUP BY here, two in the test oracle: the same cells.
        theirs = table3_counts(organization_ids=[org.pk], year=year)
        assert {k: report.cells[k] for k in theirs} == theirs
        errors = [x for x in check(report, previous=previous, level="town") if x.severity == ERROR]
        # No 年度主动公开数据 entered: exactly those four cells are missing, never 0.
        missing = [x for x in errors if x.code == MISSING_CELLS]
        assert [set(x.cells) for x in missing] == [set(FIGURE_KEYS)]
        errors = [x for x in errors if x.code != MISSING_CELLS]
        assert errors == [], (year, [e.message for e in errors])
        if previous is not None:
            for col, _ in fmt.T3_COLUMNS:
                assert (
                    report.cells[f"t3.carried.{col}"] == previous.cells[f"t3.carry_forward.{col}"]
                )
        previous = report
