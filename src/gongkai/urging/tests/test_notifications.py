"""The notifications contract: urging.received to the body's staff, urging.answered
to the supervising body's 监督/管理员 (in-app notices, recorded with the write)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.errors import Invalid
from gongkai.notifications.models import Notice

from .. import services
from .conftest import at

pytestmark = pytest.mark.django_db


def test_received_and_answered_reach_the_right_people(
    send, application, clerk, org_head, other_clerk, supervisor, district_admin
):
    u = send(application)
    received = Notice.objects.filter(event="urging.received")
    assert {n.user for n in received} == {clerk, org_head}
    assert all(n.url == u.get_absolute_url() for n in received)
    assert application.tracking_code in received.first().title
    services.urging_answer(
        urging=u,
        response="已答复。",
        done_by=dt.date(2025, 10, 9),
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    answered = Notice.objects.filter(event="urging.answered")
    assert {n.user for n in answered} == {supervisor, district_admin}
    assert other_clerk not in {n.user for n in Notice.objects.all()}


def test_a_refused_answer_notifies_nobody(send, application, clerk, supervisor):
    u = send(application)
    with pytest.raises(Invalid, match="办理情况"):
        services.urging_answer(
            urging=u,
            response="",
            done_by=dt.date(2025, 10, 9),
            acting_user=clerk,
            now=at(2025, 10, 9),
        )
    assert not Notice.objects.filter(event="urging.answered").exists()
