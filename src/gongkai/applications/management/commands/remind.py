"""``gongkai remind [--dry-run] [--date YYYY-MM-DD] [--defer]``: the daily reminder run.

The job queue runs it every day (the ``applications.remind`` job, 07:30
Asia/Shanghai; docs/jobs.md); this command runs it by hand, or with
``--defer`` hands it to the queue.  Idempotent: a second run the same day sends
nothing new.  An application whose stored history or dates cannot be computed
with ("日期有误") is listed on stderr and flagged for the 公开办负责人; the run
carries on with every other application and body.  E-mail goes out only when
EMAIL_HOST is configured; the reminders are recorded either way and shown in the
work lists.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.applications.tasks import remind_run
from gongkai.bounds import date_in_range, date_message
from gongkai.jobs import defer


class Command(BaseCommand):
    help = (
        "发送依申请公开办理期限提醒（即将到期、今日到期、已超期、申请人期限已过），"
        "以及公示期已满仍含个人信息的公示提醒（按机关设置自动打码）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只显示将要发送的提醒，不发送、不记录。"
        )
        parser.add_argument("--date", dest="on", help="按指定日期（YYYY-MM-DD）计算，默认今天。")
        parser.add_argument(
            "--defer", action="store_true", help="交给后台任务队列执行，不在本进程内发送。"
        )

    def handle(self, *args, dry_run: bool = False, on: str | None = None, **options):
        today = self._parse(on) if on else timezone.localdate()
        if options.get("defer"):
            if dry_run:
                raise CommandError("--defer 与 --dry-run 不能同时使用。")
            job_id = defer("applications.remind", day=today.isoformat())
            where = f"（任务编号 {job_id}）" if job_id else "（内嵌模式，已在本进程执行）"
            self.stdout.write(f"已将 {today:%Y-%m-%d} 的提醒交给后台任务{where}。")
            return
        result = remind_run(today=today, now=timezone.now(), dry_run=dry_run)
        for line in result.problems:
            self.stderr.write(line)
        for line in result.lines:
            self.stdout.write(line)

    @staticmethod
    def _parse(value: str):
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"日期格式不正确：{value}（应为 YYYY-MM-DD）") from exc
        if not date_in_range(day):
            # The working-day calendar cannot count from 9999-12-31 (gongkai.bounds).
            raise CommandError(date_message(day, "--date"))
        return day
