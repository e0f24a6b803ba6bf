"""``gongkai remind [--dry-run] [--date YYYY-MM-DD]``: the daily reminder run.

Idempotent: run it daily (cron/systemd timer); a second run the same day sends
nothing new.  An application whose stored history or dates cannot be computed
with ("日期有误") is listed on stderr and flagged for the 公开办负责人; the run
carries on with every other application and body.  E-mail goes out only when EMAIL_HOST is configured; the
reminders are recorded either way and shown in the work lists.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.applications.services import application_refresh_deadlines, reminders_send
from gongkai.bounds import date_in_range, date_message
from gongkai.disclosure.notices import notices_remind_lines


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

    def handle(self, *args, dry_run: bool = False, on: str | None = None, **options):
        today = self._parse(on) if on else timezone.localdate()
        if not dry_run:
            refresh = application_refresh_deadlines(now=timezone.now())
            if refresh.changed:
                self.stdout.write(
                    f"已按最新节假日安排重新计算 {refresh.changed} 件申请的答复期限。"
                )
            if refresh.skipped:
                self.stderr.write(
                    f"有 {len(refresh.skipped)} 件申请的办理记录无法重新计算答复期限"
                    "（已在公开办负责人的工作台列出，请人工核查）："
                )
                for application, reason in refresh.skipped:
                    self.stderr.write(f"  {application.tracking_code}：{reason}")
        planned = reminders_send(today=today, dry_run=dry_run)
        verb = "将发送" if dry_run else "已记录"
        for p in planned:
            to = "、".join(p.recipients) or "（无邮箱，仅记录）"
            self.stdout.write(f"{verb}：{p.summary} → {to}")
        self.stdout.write(f"{today:%Y-%m-%d} 共{verb} {len(planned)} 条提醒。")
        # Expired 公示 that still show personal data (disclosure, issue #9).
        for line in notices_remind_lines(today=today, dry_run=dry_run):
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
