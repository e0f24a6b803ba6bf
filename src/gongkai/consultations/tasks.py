"""Background jobs of 意见征集 (docs/jobs.md): telling staff a comment period ended."""

from __future__ import annotations

import logging
from datetime import date, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.jobs import job
from gongkai.notifications.api import notify
from gongkai.organizations.models import Membership, Role

from .models import Consultation

logger = logging.getLogger("gongkai.jobs")

# A period that ended while the server was down is still announced this long after.
CATCH_UP_DAYS = 14


def closed_notify(*, today: date) -> int:
    """Notify the staff of each published consultation whose period ended before
    ``today`` that it is time to study the comments and publish the 采纳情况
    (《重大行政决策程序暂行条例》第十五条).  Once per consultation and end date."""
    ended = Consultation.objects.filter(
        status="published",
        end_on__lt=today,
        end_on__gte=today - timedelta(days=CATCH_UP_DAYS),
    ).select_related("organization", "created_by")
    count = 0
    for c in ended:
        clerks = [
            m.user
            for m in Membership.objects.filter(
                organization=c.organization, role=Role.CLERK, user__is_active=True
            ).select_related("user")
        ]
        staff = {u.pk: u for u in [*clerks, c.created_by] if u is not None}
        with transaction.atomic():
            count += bool(
                notify(
                    "consultation.closed",
                    organization=c.organization,
                    key=f"consultation:{c.pk}:closed:{c.end_on.isoformat()}",
                    context={
                        "征集标题": c.title,
                        "截止日期": f"{c.end_on.year}年{c.end_on.month}月{c.end_on.day}日",
                        "意见数": str(c.comments.exclude(status="rejected").count()),
                    },
                    staff=list(staff.values()),
                    url=reverse("consultations:detail", args=[c.pk]),
                )
            )
    return count


@job("consultations.notify_closed", label="意见征集结束提醒", daily=time(7, 40))
def notify_closed(day: str | None = None) -> None:
    today = date.fromisoformat(day) if day else timezone.localdate()
    logger.info("意见征集结束提醒：%d 项。", closed_notify(today=today))
