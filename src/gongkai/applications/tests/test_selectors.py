from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.format import T3_APPLICANT_COLUMNS, T3_RESULT_ROWS, t3_keys
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.applications.selectors import (
    applications_for_cell,
    bigrams,
    jaccard,
    reminders_due,
    similar_groups,
    similar_to,
    worklists,
)
from gongkai.reports.compute import table3_cells
from gongkai.workdays import DEFAULT_CALENDAR

from .factories import receive, row

pytestmark = pytest.mark.django_db

COLS = (*T3_APPLICANT_COLUMNS, "total")
START = date(2022, 1, 1)
SPAN = (date(2026, 12, 31) - START).days

history = st.lists(
    st.tuples(
        st.integers(0, SPAN),  # received, days after START
        st.one_of(st.none(), st.integers(0, 500)),  # days to the reply, or still open
        st.sampled_from(T3_RESULT_ROWS),
        st.sampled_from(T3_APPLICANT_COLUMNS),
    ),
    max_size=40,
)


def _oracle(rows, year):
    """Plain Python over (received, reply, outcome, type): the expected cells."""
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    cells = {k: 0 for k in t3_keys()}
    for received, reply, outcome, col in rows:
        if received > dec31:
            continue
        if jan1 <= received:
            cells[f"t3.new.{col}"] += 1
        elif reply is None or reply >= jan1:
            cells[f"t3.carried.{col}"] += 1
        if reply is not None and jan1 <= reply <= dec31:
            cells[f"t3.{outcome}.{col}"] += 1
            cells[f"t3.total.{col}"] += 1
        if reply is None or reply > dec31:
            cells[f"t3.carry_forward.{col}"] += 1
    for key in list(cells):
        _, r, c = key.split(".")
        if c == "total":
            cells[key] = sum(cells[f"t3.{r}.{x}"] for x in T3_APPLICANT_COLUMNS)
    return cells


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history)
def test_table3_balance_and_carry_chain(org, other_org, data):
    Application.objects.all().delete()
    rows = []
    objs = []
    for offset, duration, outcome, col in data:
        received = START + timedelta(days=offset)
        reply = received + timedelta(days=duration) if duration is not None else None
        rows.append((received, reply, outcome, col))
        objs.append(
            row(org, received_on=received, reply_on=reply, outcome=outcome, applicant_type=col)
        )
    # Another body's applications must never count.
    objs.append(row(other_org, received_on=date(2024, 5, 5)))
    Application.objects.bulk_create(objs)
    previous = None
    for year in range(2022, 2028):
        with CaptureQueriesContext(connection) as queries:
            cells = table3_cells(organization_ids=[org.pk], year=year)
        assert len(queries) == 1  # one GROUP BY query, whatever the volume
        assert set(cells) == set(t3_keys())
        assert cells == _oracle(rows, year)
        for col in COLS:
            # The format's 勾稽关系: 一 + 二 = 三(七) + 四.
            assert (
                cells[f"t3.new.{col}"] + cells[f"t3.carried.{col}"]
                == cells[f"t3.total.{col}"] + cells[f"t3.carry_forward.{col}"]
            )
            assert cells[f"t3.total.{col}"] == sum(cells[f"t3.{r}.{col}"] for r in T3_RESULT_ROWS)
            if previous is not None:
                assert cells[f"t3.carried.{col}"] == previous[f"t3.carry_forward.{col}"]
        previous = cells


def test_table3_boundaries_by_hand(org):
    Application.objects.bulk_create(
        [
            row(
                org, received_on=date(2023, 12, 29), reply_on=date(2024, 1, 1), outcome="granted"
            ),  # carried, closed 2024
            row(
                org, received_on=date(2023, 12, 29), reply_on=date(2023, 12, 31), outcome="granted"
            ),  # not in 2024
            row(
                org, received_on=date(2024, 1, 1), reply_on=None, applicant_type="research"
            ),  # new, carried forward
            row(
                org, received_on=date(2024, 12, 31), reply_on=date(2025, 1, 2), outcome="partial"
            ),  # new, forward
            row(
                org,
                received_on=date(2024, 6, 3),
                reply_on=date(2024, 12, 31),
                outcome="withheld_secret",
                applicant_type="commercial",
            ),
        ]
    )
    c = table3_cells(organization_ids=[org.pk], year=2024)
    assert c["t3.new.natural"] == 1 and c["t3.new.research"] == 1 and c["t3.new.commercial"] == 1
    assert c["t3.new.total"] == 3
    assert c["t3.carried.total"] == 1 and c["t3.carried.natural"] == 1
    assert c["t3.granted.natural"] == 1 and c["t3.withheld_secret.commercial"] == 1
    assert c["t3.total.total"] == 2
    assert c["t3.carry_forward.total"] == 2
    assert c["t3.carry_forward.research"] == 1


def test_drill_down_matches_every_cell(org):
    rnd = random.Random(7)
    objs = []
    for _ in range(120):
        received = date(2023, 6, 1) + timedelta(days=rnd.randint(0, 700))
        reply = received + timedelta(days=rnd.randint(0, 90)) if rnd.random() < 0.8 else None
        objs.append(
            row(
                org,
                received_on=received,
                reply_on=reply,
                outcome=rnd.choice(T3_RESULT_ROWS),
                applicant_type=rnd.choice(T3_APPLICANT_COLUMNS),
            )
        )
    Application.objects.bulk_create(objs)
    cells = table3_cells(organization_ids=[org.pk], year=2024)
    for key, value in cells.items():
        assert (
            applications_for_cell(organization_ids=[org.pk], year=2024, key=key).count() == value
        ), key


@pytest.mark.parametrize(
    "key", ["t2.fees", "t3.nonsense.total", "t3.new.martian", "t4.reconsideration.total"]
)
def test_drill_down_refuses_unknown_keys(org, key):
    with pytest.raises(ValueError, match="不是表三的单元格"):
        applications_for_cell(organization_ids=[org.pk], year=2024, key=key)


def test_worklists(org, clerk):
    today = date(2024, 10, 30)
    due_today = receive(org, user=clerk, submitted_on=date(2024, 9, 27))  # due 10/30
    overdue = receive(org, user=clerk, submitted_on=date(2024, 9, 13))  # due 10/17
    this_week = receive(org, user=clerk, submitted_on=date(2024, 9, 29))  # due 10/31
    later = receive(org, user=clerk, submitted_on=date(2024, 10, 28))
    lists = worklists(Application.objects.all(), today=today)
    assert list(lists.due_today) == [due_today]
    assert list(lists.overdue) == [overdue]
    assert list(lists.due_this_week) == [this_week]
    assert later in lists.open
    assert lists.counts()["open"] == 4


def test_clock_running_while_waiting_for_reasons_shows_as_overdue(org, clerk):
    # 条例第三十五条: asking for reasons does not stop the clock (due 2025-07-01).
    a = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_request_reasons(
        application=a,
        on=date(2025, 6, 5),
        until=date(2025, 6, 16),
        acting_user=clerk,
        now=timezone.now(),
    )
    a.refresh_from_db()
    assert (a.status, a.due_on) == ("awaiting_reasons", date(2025, 7, 1))
    lists = worklists(Application.objects.all(), today=date(2025, 7, 2))
    assert list(lists.overdue) == [a]
    assert a in lists.waiting
    kinds = {p.kind for p in reminders_due(today=date(2025, 7, 2), calendar=DEFAULT_CALENDAR)}
    assert "overdue" in kinds


@pytest.mark.parametrize(("fee_pauses", "shown"), [(False, True), (True, False)])
def test_awaiting_payment_is_due_only_when_the_fee_does_not_pause(
    org, clerk, settings, fee_pauses, shown
):
    # 国办函〔2020〕109号 + GONGKAI_FEE_PAUSES_CLOCK: without the pause the 20 days run on.
    settings.GONGKAI_FEE_PAUSES_CLOCK = fee_pauses
    a = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_send_fee_notice(
        application=a, on=date(2025, 6, 10), method="per_page", pages=40, acting_user=clerk
    )
    a.refresh_from_db()
    assert a.status == "awaiting_payment"
    today = date(2025, 7, 1)  # the unpaused due date
    lists = worklists(Application.objects.all(), today=today)
    assert (a in lists.due_today) is shown
    planned = reminders_due(today=today, calendar=DEFAULT_CALENDAR)
    assert any(p.application == a and p.kind == "due_today" for p in planned) is shown


def test_bigram_jaccard():
    assert jaccard(bigrams("农村危房改造名单"), bigrams("农村危房改造名单")) == 1.0
    assert jaccard(bigrams("abc"), bigrams("xyz")) == 0.0
    assert bigrams("，。 ") == frozenset()


def test_similar_requests_from_different_applicants(org, clerk):
    a = receive(
        org,
        user=clerk,
        applicant_name="张三",
        id_number="1",
        description="2024年农村危房改造补助对象名单",
    )
    b = receive(
        org,
        user=clerk,
        applicant_name="李四",
        id_number="2",
        description="请公开2024年农村危房改造补助对象名单",
    )
    receive(org, user=clerk, applicant_name="王五", id_number="3", description="镇政府食堂采购合同")
    receive(
        org,
        user=clerk,
        applicant_name="张三",
        id_number="1",
        description="2024年农村危房改造补助对象名单。",
    )
    groups = similar_groups(organization=org, today=date(2024, 10, 1))
    assert len(groups) == 1
    assert groups[0].applicants == 2 and len(groups[0].applications) == 3
    assert [other for other, _ in similar_to(a, today=date(2024, 10, 1))] == [b]
