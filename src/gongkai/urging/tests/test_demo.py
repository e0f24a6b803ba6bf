"""The demo's 督办: one answered on time, one escalated, both coherent with the
demo's day and with the records they are about."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.demo import load_demo
from gongkai.notifications.models import Notice
from gongkai.reports.models import AnnualReport
from gongkai.urging.models import Urging
from gongkai.workcal.selectors import calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(local_files):
    with time_machine.travel(dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC), tick=False):
        yield load_demo()


def test_an_answered_and_an_escalated_urging(ctx):
    cal = calendar()
    answered = Urging.objects.get(organization=ctx.ganhetan)
    assert answered.status == "answered" and answered.sender == ctx.district
    # About a draft genuinely past its 条例第二十六条 deadline when the notice was sent.
    item = answered.item
    assert item.status == "draft"
    assert cal.add_workdays(item.formed_on, 20).as_date() < answered.sent_on
    assert answered.sent_on < answered.acknowledged_on < answered.answered_on <= ctx.today
    assert answered.done_by > ctx.today and answered.response
    escalated = Urging.objects.get(organization=ctx.liulin)
    assert escalated.status == "escalated" and escalated.report_year == 2025
    assert escalated.sent_on == dt.date(2026, 3, 2) and escalated.respond_by < ctx.today
    assert escalated.acknowledged_on is None and not escalated.response
    # The report it is about is indeed still unpublished.
    assert AnnualReport.objects.get(organization=ctx.liulin, year=2025).status == "draft"
    # The people concerned find the notices in the back office.
    assert Notice.objects.filter(user=ctx.clerk, event="urging.received").exists()
    assert Notice.objects.filter(user=ctx.supervisor, event="urging.answered").exists()
    assert Notice.objects.filter(user=ctx.liulin_clerk, event="urging.received").exists()
