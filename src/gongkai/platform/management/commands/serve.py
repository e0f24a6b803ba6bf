"""`gongkai serve [--init]`: run the platform with gunicorn (``make run``).

With ``--init``: migrate, load the demo on the very first start (an empty
database, not in production), collect static files in production mode, print
the address and the demo log-ins.  Then serve with gunicorn, run in this
process (``gunicorn.app.base.BaseApplication``): an arbiter and its worker
processes (``--workers``, default 1) of ``gthread`` threads (``--threads``),
an access log on standard output, and a graceful stop on SIGTERM or Ctrl+C
(requests in flight finish, within gunicorn's ``graceful_timeout``).

One worker process is the embedded mode's shape: its cache (LocMem) and its
in-process jobs are right for one process.  More than one worker needs
``REDIS_URL`` (one cache, one set of rate limits for all of them), or the
command refuses.  With ``GONGKAI_JOB_QUEUE=inline`` each worker also runs the
daily jobs (:class:`gongkai.jobs.scheduler.DailyScheduler`, started after the
worker has loaded the application); the jobs' run records keep them to once a
day whichever worker or restart gets there first.  With ``postgres`` the
``gongkai jobs worker`` processes run them (docs/jobs.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication

from gongkai.demo import DemoRefused, demo_present, load_demo
from gongkai.jobs.runner import INLINE, mode
from gongkai.jobs.scheduler import DailyScheduler
from gongkai.organizations.models import Organization

from .demo import write_logins

# Static files are served by WhiteNoise (in the middleware, with the finders
# outside production), never by a development server's static handler: that
# handler let an encoded "../" reach the finders (`/static/..%2f..%2fetc/passwd`
# became a 500); WhiteNoise refuses any non-canonical path and the request
# falls through to Django's 404.  gunicorn serves Django's WSGI application
# as it is, so that is what `serve` runs.
GRACEFUL_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 120  # a report import or an export of a large body


def start_daily_scheduler(worker) -> None:
    """gunicorn's ``post_worker_init`` hook: the daily jobs' thread, in the worker."""
    scheduler = DailyScheduler()
    scheduler.start()
    worker.log.info("每日任务调度已在工作进程 %s 中启动", worker.pid)


class Server(BaseApplication):
    """gunicorn, configured from the command's options, serving Django's WSGI app."""

    def __init__(self, options: dict, *, daily_jobs: bool) -> None:
        self.options = options
        self.daily_jobs = daily_jobs
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if self.daily_jobs:
            self.cfg.set("post_worker_init", start_daily_scheduler)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "accesslog": "-",
        "errorlog": "-",
        "graceful_timeout": GRACEFUL_SECONDS,
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "proc_name": "gongkai",
    }


class Command(BaseCommand):
    help = "启动政府信息公开平台（gunicorn；--init：迁移数据库，首次启动时载入演示数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--init", action="store_true", help="启动前迁移数据库并在首次启动时载入演示数据"
        )
        parser.add_argument(
            "--init-only", action="store_true", help="只做初始化（同 --init），不启动服务"
        )
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="工作进程数（默认 1；多于 1 个需要设置 REDIS_URL）",
        )
        parser.add_argument("--threads", type=int, default=4, help="每个工作进程的线程数（默认 4）")

    def handle(self, *args, host, port, init, init_only, workers, threads, **options):
        if not 0 < port < 65536:
            raise CommandError(f"端口号无效：{port}")
        if workers < 1:
            raise CommandError(f"工作进程数应为正整数，现为 {workers}。")
        if threads < 1:
            raise CommandError(f"线程数应为正整数，现为 {threads}。")
        if workers > 1 and not getattr(settings, "REDIS_URL", ""):
            raise CommandError(
                f"多个工作进程（--workers {workers}）需要共享的缓存：请设置环境变量 REDIS_URL"
                "（例如 redis://127.0.0.1:6379/0），否则登录限制和访问频率限制在每个进程中"
                "各自计算。内嵌模式请使用 1 个工作进程，用 --threads 增加并发。"
            )
        if init or init_only:
            self.initialise()
        if init_only:
            return
        address = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"服务地址：{address}  后台：{address}backoffice/"))
        daily_jobs = mode() == INLINE
        self.stdout.write(
            f"gunicorn：{workers} 个工作进程 × {threads} 个线程；"
            + ("每日任务在服务进程内运行。" if daily_jobs else "后台任务由任务队列运行。")
        )
        self.stdout.write("按 Ctrl+C 停止。")
        self.stdout.flush()
        # The worker processes are forked: none may inherit this process's
        # database connection (the migration's).
        connections.close_all()
        server = Server(
            gunicorn_options(host=host, port=port, workers=workers, threads=threads),
            daily_jobs=daily_jobs,
        )
        server.run()

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
