"""`gongkai serve [--init]`: run the platform on one machine (embedded mode).

With ``--init``: migrate, load the demo on the very first start (an empty
database, not in production), collect static files in production mode, print
the address and the demo log-ins, then serve with Django's threaded server
(no auto-reload).  For production use gunicorn (docs/platform.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongkai.demo import DemoRefused, demo_present, load_demo
from gongkai.organizations.models import Organization

from .demo import write_logins

# Static files are served by WhiteNoise (in the middleware, with the finders
# outside production), never by runserver's static handler: that handler lets
# an encoded "../" reach the finders, whose SuspiciousFileOperation became a
# 500 (`/static/..%2f..%2fetc/passwd`); WhiteNoise refuses any non-canonical
# path and the request falls through to Django's 404.
RUNSERVER_OPTIONS = {
    "use_reloader": False,
    "use_threading": True,
    "use_ipv6": False,
    "use_static_handler": False,
    "insecure_serving": False,
    "skip_checks": False,
}


class Command(BaseCommand):
    help = "启动政府信息公开平台（--init：迁移数据库，首次启动时载入演示数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--init", action="store_true", help="启动前迁移数据库并在首次启动时载入演示数据"
        )
        parser.add_argument(
            "--init-only", action="store_true", help="只做初始化（同 --init），不启动服务"
        )
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")

    def handle(self, *args, host, port, init, init_only, **options):
        if not 0 < port < 65536:
            raise CommandError(f"端口号无效：{port}")
        if init or init_only:
            self.initialise()
        if init_only:
            return
        address = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"服务地址：{address}  后台：{address}backoffice/"))
        if settings.PRODUCTION:
            self.stdout.write(
                self.style.WARNING("生产环境请用 gunicorn 运行（见 docs/platform.md）。")
            )
        self.stdout.write("按 Ctrl+C 停止。")
        call_command("runserver", f"{host}:{port}", **RUNSERVER_OPTIONS)

    def initialise(self) -> None:
        self.stdout.write("正在迁移数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            self.stdout.write("生产模式：收集静态文件……")
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("生产模式：不载入演示数据。")
            return
        if demo_present():
            self.stdout.write("演示数据已存在，跳过载入。")
            write_logins(self.stdout)
        elif Organization.objects.exists():
            self.stdout.write("数据库中已有机关数据，不载入演示数据。")
        else:
            self.stdout.write("首次启动：正在载入演示数据……")
            try:
                load_demo(log=lambda message: self.stdout.write(f"  {message}"))
            except DemoRefused as exc:
                raise CommandError(str(exc)) from exc
            write_logins(self.stdout)
