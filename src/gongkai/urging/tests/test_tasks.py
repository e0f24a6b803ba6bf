"""The daily escalation job on a hand-computed date (working days with a holiday)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.jobs.registry import daily_jobs

from .. import services
from ..tasks import escalate
from .conftest import at, overdue_application

pytestmark = pytest.mark.django_db


def test_daily_job_escalates_the_day_after_the_respond_by_date(send, application, org, clerk):
    u = send(application)
    answered = send(overdue_application(org))
    services.urging_answer(
        urging=answered,
        response="已答复。",
        done_by=dt.date(2025, 10, 9),
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    # respond_by: Tue 14 October 2025 (5 working days across National Day, with the
    # Saturday 11 October 调休 working day).  On that day it is not late yet.
    escalate(day="2025-10-14")
    u.refresh_from_db()
    assert u.status == "sent" and u.escalated_at is None
    escalate(day="2025-10-15")
    u.refresh_from_db()
    answered.refresh_from_db()
    assert u.status == "escalated"
    assert timezone.localtime(u.escalated_at).date() == dt.date(2025, 10, 15)
    assert answered.status == "answered"
    # Idempotent: a second run changes nothing.
    stamp = u.escalated_at
    escalate(day="2025-10-16")
    u.refresh_from_db()
    assert u.escalated_at == stamp
    # An escalated 督办 can still be answered (late).
    u = services.urging_answer(
        urging=u,
        response="已补办。",
        done_by=dt.date(2025, 10, 20),
        acting_user=clerk,
        now=at(2025, 10, 17),
    )
    assert u.status == "answered" and u.answered_late()


def test_the_job_is_a_daily_job_of_the_queue():
    assert ("urging.escalate", dt.time(7, 15)) in [(j.name, j.daily) for j in daily_jobs()]
