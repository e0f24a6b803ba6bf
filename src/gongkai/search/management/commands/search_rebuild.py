"""``gongkai search_rebuild [--dry-run] [--defer]``: rebuild the whole full-text
index from its sources, here or (``--defer``) as the ``search.rebuild`` job."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.jobs import defer
from gongkai.search.indexing import public_count, rebuild


class Command(BaseCommand):
    help = "重建全文检索索引（删除后重新索引全部已公开的主动公开信息）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不改动索引")
        parser.add_argument("--defer", action="store_true", help="交给后台任务队列执行")

    def handle(self, *args, dry_run: bool = False, **options):
        if options.get("defer") and not dry_run:
            job_id = defer("search.rebuild")
            where = f"（任务编号 {job_id}）" if job_id else "（内嵌模式，已在本进程执行）"
            self.stdout.write(f"已将重建检索索引交给后台任务{where}。")
            return
        if dry_run:
            n = public_count()
            self.stdout.write(f"将索引 {n} 条已公开信息（未改动）。")
            return
        n = rebuild()
        self.stdout.write(f"已重建检索索引：{n} 条。")
