"""`gongkai demo`: load the demo organizations, users and the apps' demo data."""

from django.core.management.base import BaseCommand, CommandError

from gongkai.demo import DEMO_PASSWORD, DemoRefused, demo_logins, load_demo


class Command(BaseCommand):
    help = "载入演示数据（河湾区、甘河滩镇等虚构机关与用户）；生产模式下拒绝执行。"

    def handle(self, *args, **options):
        try:
            load_demo(log=lambda message: self.stdout.write(message))
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("演示数据载入完成。"))
        write_logins(self.stdout)


def write_logins(out) -> None:
    out.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, org, role in demo_logins():
        out.write(f"  {username:<22} {org} · {role}")
