"""The end of a comment period notifies the body's staff once (tasks.closed_notify)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gongkai.jobs import registry
from gongkai.jobs.runner import run_inline
from gongkai.notifications.models import Notice

pytestmark = pytest.mark.django_db


def test_a_finished_period_is_announced_to_staff_once(make_published, comment_on, clerk):
    c = make_published()
    comment_on(c)
    comment_on(c, content="建议延长保洁时间。")
    job = registry.get("consultations.notify_closed")
    assert run_inline(job, {"day": c.end_on.isoformat()})  # the last day: still open
    assert not Notice.objects.exists()
    after = (c.end_on + timedelta(days=1)).isoformat()
    assert run_inline(job, {"day": after})
    assert run_inline(job, {"day": after})  # a second run: nothing new
    notice = Notice.objects.get(user=clerk)
    assert c.title in notice.title and "共收到2条意见" in notice.body
    assert notice.url == f"/backoffice/consultations/{c.pk}/"
