"""List proactive items past or near their 条例第二十六条 deadline, per body.

Read-only and idempotent (safe to run from cron, e.g. with MAILTO set):
``python -m django disclosure_late [--org SLUG] [--date YYYY-MM-DD]``.
Exit code 0 when nothing is overdue, 1 when something is (for monitoring).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.disclosure.selectors import timeliness_rows
from gongkai.organizations.models import Organization


class Command(BaseCommand):
    help = "列出超期或即将超期的主动公开信息（条例第二十六条）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只检查该机关（网址标识 slug）")
        parser.add_argument("--date", help="按这一天计算，格式 YYYY-MM-DD（默认今天）")

    def handle(self, *args, org=None, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期“{date}”格式不对，应为 YYYY-MM-DD。") from None
        bodies = Organization.objects.filter(is_active=True).order_by("name")
        if org:
            bodies = bodies.filter(slug=org)
            if not bodies.exists():
                raise CommandError(f"没有网址标识为“{org}”的机关。")
        overdue = 0
        for body in bodies:
            rows = [r for r in timeliness_rows(body, today) if r.state != "published_late"]
            if not rows:
                continue
            self.stdout.write(f"{body.name}：")
            for r in rows:
                note = "（暂按周一至周五并扣除法定节假日计算，不含调休）" if r.provisional else ""
                deadline = (
                    f"期限 {r.deadline:%Y-%m-%d}" if r.deadline else "日期超出合理范围，请修改"
                )
                self.stdout.write(
                    f"  [{r.state_label}] {r.item.title} 形成于 {r.item.formed_on:%Y-%m-%d}，"
                    f"{deadline}{note}"
                )
                overdue += r.state == "overdue"
        if overdue == 0:
            self.stdout.write("没有超期未公开的主动公开信息。")
        else:
            raise SystemExit(1)
