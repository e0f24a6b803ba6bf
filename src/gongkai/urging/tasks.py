"""Background jobs of 督办 (docs/jobs.md): the daily escalation."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from gongkai.core.errors import WrongState
from gongkai.jobs import job

from .selectors import due_for_escalation
from .services import urging_escalate

logger = logging.getLogger("gongkai.jobs")
ESCALATE_AT = dt.time(7, 15)


def escalate_for(today: dt.date, *, now: dt.datetime) -> int:
    """Escalate every notice not answered by its respond-by date (before ``today``);
    how many were escalated.  Idempotent: an escalated notice is no longer due."""
    done = 0
    for urging in due_for_escalation(today):
        try:
            urging_escalate(urging=urging, now=now)
        except WrongState:
            continue  # answered between the query and the lock
        done += 1
    return done


@job("urging.escalate", label="督办逾期升级", daily=ESCALATE_AT)
def escalate(day: str | None = None) -> None:
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    now = timezone.make_aware(dt.datetime.combine(today, ESCALATE_AT))
    n = escalate_for(today, now=now)
    if n:
        logger.warning("%s 有 %d 件督办逾期未回复，已升级督办。", today, n)
    else:
        logger.info("%s 没有逾期未回复的督办。", today)
