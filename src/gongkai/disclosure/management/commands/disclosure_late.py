"""List proactive items past or near their 条例第二十六条 deadline, per body.

Read-only and idempotent.  The job queue runs the same check every day (the
``disclosure.late`` job, docs/jobs.md); by hand:
``gongkai disclosure_late [--org SLUG] [--date YYYY-MM-DD]``.
Exit code 0 when nothing is overdue, 1 when something is (for monitoring).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.disclosure.tasks import late_lines
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
        lines, overdue = late_lines(bodies, today)
        for line in lines:
            self.stdout.write(line)
        if overdue == 0:
            self.stdout.write("没有超期未公开的主动公开信息。")
        else:
            raise SystemExit(1)
