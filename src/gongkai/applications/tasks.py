"""Background jobs of 依申请公开 (docs/jobs.md): the daily reminder run."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from gongkai.applications.services import application_refresh_deadlines, reminders_send
from gongkai.disclosure.notices import notices_remind_lines
from gongkai.jobs import job

logger = logging.getLogger("gongkai.jobs")


@dataclass
class RemindRun:
    lines: list[str] = field(default_factory=list)  # what was (or would be) sent
    problems: list[str] = field(default_factory=list)  # applications to check by hand


def remind_run(*, today: date, now: datetime, dry_run: bool = False) -> RemindRun:
    """One day's reminders: deadlines recomputed on the latest holiday schedule,
    the deadline reminders, and expired 公示 that still show personal data.

    Idempotent: a reminder is unique per (application, kind, due date) and a
    masked 公示 stays masked, so a second run the same day sends nothing new."""
    out = RemindRun()
    if not dry_run:
        refresh = application_refresh_deadlines(now=now)
        if refresh.changed:
            out.lines.append(f"已按最新节假日安排重新计算 {refresh.changed} 件申请的答复期限。")
        if refresh.skipped:
            out.problems.append(
                f"有 {len(refresh.skipped)} 件申请的办理记录无法重新计算答复期限"
                "（已在公开办负责人的工作台列出，请人工核查）："
            )
            out.problems += [f"  {a.tracking_code}：{reason}" for a, reason in refresh.skipped]
    planned = reminders_send(today=today, dry_run=dry_run)
    verb = "将发送" if dry_run else "已记录"
    for p in planned:
        to = "、".join(p.recipients) or "（无邮箱，仅记录）"
        out.lines.append(f"{verb}：{p.summary} → {to}")
    out.lines.append(f"{today:%Y-%m-%d} 共{verb} {len(planned)} 条提醒。")
    # Expired 公示 that still show personal data (disclosure, issue #9).
    out.lines += notices_remind_lines(today=today, dry_run=dry_run)
    return out


@job("applications.remind", label="办理期限提醒", daily=time(7, 30))
def remind(day: str | None = None) -> None:
    """The daily reminder run for ``day`` (default: today)."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    result = remind_run(today=today, now=timezone.now())
    for line in result.lines:
        logger.info("提醒：%s", line)
    for line in result.problems:
        logger.warning("提醒：%s", line)
