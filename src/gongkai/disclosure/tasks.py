"""Background jobs of 主动公开 (docs/jobs.md): the daily timeliness check."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from gongkai.disclosure.selectors import timeliness_rows
from gongkai.jobs import job
from gongkai.organizations.models import Organization

logger = logging.getLogger("gongkai.jobs")


def late_lines(bodies, today: dt.date) -> tuple[list[str], int]:
    """Items past or near their 条例第二十六条 deadline (20 working days from
    forming), per body, as lines; and how many are overdue.  Read-only."""
    lines: list[str] = []
    overdue = 0
    for body in bodies:
        rows = [r for r in timeliness_rows(body, today) if r.state != "published_late"]
        if not rows:
            continue
        lines.append(f"{body.name}：")
        for r in rows:
            note = "（暂按周一至周五并扣除法定节假日计算，不含调休）" if r.provisional else ""
            deadline = f"期限 {r.deadline:%Y-%m-%d}" if r.deadline else "日期超出合理范围，请修改"
            lines.append(
                f"  [{r.state_label}] {r.item.title} 形成于 {r.item.formed_on:%Y-%m-%d}，"
                f"{deadline}{note}"
            )
            overdue += r.state == "overdue"
    return lines, overdue


@job("disclosure.late", label="主动公开超期检查", daily=dt.time(7, 0))
def late(day: str | None = None) -> None:
    """Log the overdue items of every active body (a warning when there are any),
    for the operator's log monitoring; the back office shows the same lists."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    bodies = Organization.objects.filter(is_active=True).order_by("name")
    lines, overdue = late_lines(bodies, today)
    if overdue:
        logger.warning("%s 有 %d 条主动公开信息超期未公开：", today, overdue)
        for line in lines:
            logger.warning("超期检查：%s", line)
    else:
        logger.info("%s 没有超期未公开的主动公开信息。", today)
