"""``gongkai jobs worker|status|retry|run``: the background-job queue (docs/jobs.md).

``worker`` runs procrastinate's worker on the PostgreSQL queue
(``GONGKAI_JOB_QUEUE=postgres``): start several, on one machine or many; each
also proposes the daily jobs, and the queue lets one proposal per day through.
``status`` counts the jobs per queue and status and lists the failed ones;
``retry ID`` puts a failed job back in the queue; ``run NAME`` runs a job here
and now (e.g. a daily job by hand, ``--day`` for a past day).
"""

from __future__ import annotations

import datetime as dt
import inspect

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from gongkai.jobs import registry
from gongkai.jobs.models import DailyRun
from gongkai.jobs.runner import POSTGRES, mode, run_inline

FAILED_SHOWN = 20


def _queue_required() -> None:
    if mode() != POSTGRES:
        raise CommandError(
            "当前为内嵌模式（GONGKAI_JOB_QUEUE=inline），后台任务随服务进程运行，没有任务队列。"
            "使用任务队列请设置 GONGKAI_JOB_QUEUE=postgres 和 PostgreSQL 的 DATABASE_URL。"
        )


class Command(BaseCommand):
    help = "后台任务：worker 运行任务处理进程，status 查看队列，retry 重试失败任务，run 立即运行。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{worker,status,retry,run}")
        sub.required = True
        worker = sub.add_parser("worker", help="运行任务处理进程（需 GONGKAI_JOB_QUEUE=postgres）")
        worker.add_argument(
            "--concurrency", type=int, default=1, help="本进程同时运行的任务数（默认 1）"
        )
        worker.add_argument(
            "--queues",
            default="",
            help="只处理这些队列（逗号分隔，如 default,checks；默认全部）",
        )
        worker.add_argument("--name", default="", help="进程名称（显示在日志中）")
        sub.add_parser("status", help="各队列各状态的任务数和失败的任务")
        retry = sub.add_parser("retry", help="把一个失败的任务放回队列")
        retry.add_argument("job_id", help="任务编号（见 status）")
        run = sub.add_parser("run", help="在本进程内立即运行一个任务（含重试）")
        run.add_argument("name", help="任务名称，如 applications.remind")
        run.add_argument("--day", help="每日任务按这一天运行（YYYY-MM-DD，默认今天）")

    def handle(self, *args, action: str, **options):
        getattr(self, f"do_{action}")(**options)

    # --- worker ---------------------------------------------------------------

    def do_worker(self, *, concurrency: int, queues: str, name: str, **options) -> None:
        _queue_required()
        if concurrency < 1:
            raise CommandError(f"--concurrency 应为正整数，现为 {concurrency}。")
        wanted = [q.strip() for q in queues.split(",") if q.strip()] or None
        known = {j.queue for j in registry.all_jobs().values()}
        unknown = sorted(set(wanted or ()) - known)
        if unknown:
            raise CommandError(
                f"没有这些队列：{'、'.join(unknown)}。现有队列：{'、'.join(sorted(known))}。"
            )
        from gongkai.jobs.worker import run_worker

        self.stdout.write(
            f"任务处理进程启动：队列 {'、'.join(wanted) if wanted else '全部'}，"
            f"并发 {concurrency}。按 Ctrl+C 停止（正在运行的任务会先完成）。"
        )
        run_worker(queues=wanted, concurrency=concurrency, name=name or None)
        self.stdout.write("任务处理进程已停止。")

    # --- status ---------------------------------------------------------------

    def do_status(self, **options) -> None:
        self.stdout.write(f"模式：{mode()}")
        self._daily_runs()
        if mode() != POSTGRES:
            self.stdout.write("内嵌模式：任务在服务进程内运行，没有任务队列。")
            return
        from procrastinate.contrib.django.models import ProcrastinateJob

        rows = (
            ProcrastinateJob.objects.values("queue_name", "status")
            .annotate(n=Count("id"))
            .order_by("queue_name", "status")
        )
        self.stdout.write("队列\t状态\t任务数")
        if not rows:
            self.stdout.write("（队列为空）")
        for row in rows:
            self.stdout.write(f"{row['queue_name']}\t{row['status']}\t{row['n']}")
        failed = ProcrastinateJob.objects.filter(status="failed").order_by("-id")
        count = failed.count()
        self.stdout.write(f"失败的任务：{count} 个")
        for job in failed[:FAILED_SHOWN]:
            self.stdout.write(
                f"  #{job.id} {job.task_name} 运行 {job.attempts + 1} 次 参数 {job.args}"
            )
        if count > FAILED_SHOWN:
            self.stdout.write(f"  ……另有 {count - FAILED_SHOWN} 个")

    def _daily_runs(self) -> None:
        today = timezone.localdate()
        runs = {r.job: r for r in DailyRun.objects.filter(day=today)}
        daily = registry.daily_jobs()
        if not daily:
            return
        self.stdout.write(f"每日任务（{settings.TIME_ZONE}）：")
        for j in daily:
            run = runs.get(j.name)
            state = (
                f"今天已由服务进程运行：{run.get_outcome_display()}"
                if run
                else "今天尚未由服务进程运行"
            )
            if mode() == POSTGRES:
                state = "由任务队列调度"
            self.stdout.write(f"  {j.name}（{j.label}）每天 {j.daily:%H:%M}：{state}")

    # --- retry ----------------------------------------------------------------

    def do_retry(self, *, job_id: str, **options) -> None:
        _queue_required()
        if not job_id.isdigit():
            raise CommandError(f"任务编号应为数字，现为“{job_id}”。")
        from procrastinate.contrib.django import app
        from procrastinate.contrib.django.models import ProcrastinateJob

        job = ProcrastinateJob.objects.filter(pk=int(job_id)).first()
        if job is None:
            raise CommandError(f"没有编号为 {job_id} 的任务。")
        if job.status != "failed":
            raise CommandError(f"任务 {job_id} 的状态是 {job.status}，只能重试失败的任务。")
        app.job_manager.retry_job_by_id(job_id=job.id, retry_at=timezone.now())
        self.stdout.write(f"已将任务 {job_id}（{job.task_name}）放回队列。")

    # --- run ------------------------------------------------------------------

    def do_run(self, *, name: str, day: str | None, **options) -> None:
        try:
            declared = registry.get(name)
        except registry.UnknownJob as exc:
            names = "、".join(registry.all_jobs())
            raise CommandError(f"{exc} 现有任务：{names}。") from None
        kwargs = {}
        if day is not None:
            if declared.daily is None:
                raise CommandError(f"{name} 不是每日任务，不能指定 --day。")
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"日期“{day}”格式不对，应为 YYYY-MM-DD。") from None
            kwargs["day"] = day
        required = [
            p.name
            for p in inspect.signature(declared.func).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if required:
            raise CommandError(
                f"任务 {name} 需要参数（{'、'.join(required)}），请用对应的命令排入队列。"
            )
        if run_inline(declared, kwargs):
            self.stdout.write(f"任务 {name} 已完成。")
        else:
            raise CommandError(f"任务 {name} 运行失败（已重试），详见日志。")
