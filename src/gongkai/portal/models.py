"""Versions of the public pages (see ``pagecache``).

One row per scope: ``site`` (every page: bodies, their names and hosts),
``all`` (pages listing every body's items: home, search, the API's lists) and
``org:<slug>`` (one body's pages).  A change to what a scope's pages show
replaces its ``token`` with a new random value after the change commits; the
page cache keys carry the tokens, so a page cached before the change is never
served again.  Random tokens, not counters: a database restored from a backup
(or a test database rolled back) never meets pages cached under a token it
would hand out again.
"""

from __future__ import annotations

from django.db import models


class PageVersion(models.Model):
    scope = models.CharField("范围", max_length=120, primary_key=True)
    token = models.CharField("版本", max_length=32)
    changed_at = models.DateTimeField("变更时间")

    class Meta:
        verbose_name = "公开页面版本"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"
