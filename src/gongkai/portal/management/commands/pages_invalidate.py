"""Give every public page a new version (after changes that bypassed the models'
signals: raw SQL, a bulk load, ``search_rebuild`` after one)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.portal.pagecache import SITE, bump


class Command(BaseCommand):
    help = "使所有公开页面的缓存失效（在绕过正常流程直接改动数据之后使用）"

    def handle(self, *args, **options):
        bump(SITE)  # SITE is part of every page's key
        self.stdout.write(self.style.SUCCESS("已使所有公开页面的缓存失效。"))
