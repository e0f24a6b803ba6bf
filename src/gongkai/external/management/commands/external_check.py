"""Batch-check the annual reports of the bodies outside the platform (issue #12).

Here, or (``--defer``) as one ``external.check_body`` job per body that the
job workers share (docs/jobs.md)::

    gongkai external_check --year 2024            # every supervisor's list
    gongkai external_check --year 2024 --supervisor hewan --dry-run
    gongkai external_check --year 2024 --defer    # one background job per body

Idempotent: each body keeps one result per year, replaced by the latest run;
the web cache makes a rerun download nothing that did not change.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongkai.annual.web.fetch import Cache, Fetcher
from gongkai.external.models import ExternalBody
from gongkai.external.services import external_checks_run
from gongkai.jobs import defer
from gongkai.organizations.models import Organization


class Command(BaseCommand):
    help = "从平台外机关的年度报告栏目页读取并检查某年度的报告，保存结果。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="报告年度（默认上一年）")
        parser.add_argument("--supervisor", help="只检查这个监督机关（slug）的清单")
        parser.add_argument("--jobs", "-j", type=int, default=1, help="并行读取的进程数")
        parser.add_argument("--delay", type=float, default=1.0, help="同一网站两次请求的间隔秒数")
        parser.add_argument("--timeout", type=float, default=20.0, help="网络超时秒数")
        parser.add_argument("--cache", help="网页缓存目录（默认 数据目录/web-cache）")
        parser.add_argument("--ocr", choices=["auto", "never", "always"], default="auto")
        parser.add_argument("--no-previous-year", action="store_true", help="不比较上一年度报告")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示，不保存结果")
        parser.add_argument(
            "--defer", action="store_true", help="每个机关交给一个后台任务检查，不在本进程内读取"
        )
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="允许抓取本机和内部网络的地址（默认拒绝，防止借平台访问内部系统）",
        )

    def handle(self, *args, **opts):
        now = timezone.now()
        year = opts["year"] or timezone.localdate().year - 1
        supervisor = None
        if opts["supervisor"]:
            supervisor = Organization.objects.filter(slug=opts["supervisor"]).first()
            if supervisor is None:
                raise CommandError(f"找不到机关「{opts['supervisor']}」。")
        cache_dir = opts["cache"] or os.path.join(settings.DATA_DIR, "web-cache")
        if opts["defer"]:
            if opts["dry_run"]:
                raise CommandError("--defer 与 --dry-run 不能同时使用。")
            self._defer(year=year, supervisor=supervisor, cache_dir=cache_dir, opts=opts)
            return
        fetcher = Fetcher(
            cache=Cache(cache_dir),
            delay=opts["delay"],
            timeout=opts["timeout"],
            block_private=not opts["allow_private"],
        )
        pairs = external_checks_run(
            year=year,
            now=now,
            fetcher=fetcher,
            supervisor=supervisor,
            jobs=max(1, opts["jobs"]),
            ocr=opts["ocr"],
            previous_year=not opts["no_previous_year"],
            dry_run=opts["dry_run"],
        )
        for body, outcome in pairs:
            if outcome.status == "ok":
                self.stdout.write(
                    f"{body.name}：{outcome.report_year}年度，{outcome.errors}个错误，{outcome.warnings}个警告"
                )
            else:
                self.stdout.write(f"{body.name}：未能读取：{outcome.reason}")
        failed = sum(1 for _, o in pairs if o.status != "ok")
        verb = "（试运行，未保存）" if opts["dry_run"] else ""
        self.stdout.write(
            f"共{len(pairs)}个机关，{len(pairs) - failed}个已读取，{failed}个未能读取{verb}。"
        )

    def _defer(self, *, year, supervisor, cache_dir, opts) -> None:
        bodies = ExternalBody.objects.filter(is_active=True)
        if supervisor is not None:
            bodies = bodies.filter(supervisor=supervisor)
        ids = list(bodies.order_by("supervisor_id", "name", "pk").values_list("pk", flat=True))
        # All or none: the jobs are queued in one transaction.
        with transaction.atomic():
            for body_id in ids:
                defer(
                    "external.check_body",
                    body_id=body_id,
                    year=year,
                    delay=opts["delay"],
                    timeout=opts["timeout"],
                    cache=cache_dir,
                    ocr=opts["ocr"],
                    previous_year=not opts["no_previous_year"],
                    allow_private=opts["allow_private"],
                )
        self.stdout.write(f"已将 {len(ids)} 个机关的{year}年度报告检查交给后台任务。")
