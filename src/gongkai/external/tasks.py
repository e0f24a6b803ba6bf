"""Background jobs of the outside bodies (docs/jobs.md): one batch check per body.

``gongkai external_check --defer`` queues one ``external.check_body`` job per
body, so several workers share a long list and a body that fails (a bug, the
database gone for a moment) is retried alone.  Idempotent: each body keeps one
result per year, replaced by the latest run, and the web cache makes a rerun
download nothing that did not change.  A report that cannot be read is a
result ("未能读取", with the reason), not a failed job.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.utils import timezone

from gongkai.annual.web.batch import Body, Options, run_batch
from gongkai.annual.web.fetch import Cache, Fetcher
from gongkai.jobs import job

from .models import ExternalBody
from .services import external_check_record


@job("external.check_body", label="平台外机关年度报告检查", queue="checks")
def check_body(
    *,
    body_id: int,
    year: int,
    delay: float = 1.0,
    timeout: float = 20.0,
    cache: str | None = None,
    ocr: str = "auto",
    previous_year: bool = True,
    allow_private: bool = False,
) -> None:
    body = ExternalBody.objects.filter(pk=body_id, is_active=True).first()
    if body is None:
        return  # removed or switched off since the job was queued: nothing to do
    fetcher = Fetcher(
        cache=Cache(cache or os.path.join(settings.DATA_DIR, "web-cache")),
        delay=delay,
        timeout=timeout,
        block_private=not allow_private,
    )
    options = Options(year=year, follow=True, previous_year=previous_year, ocr=ocr, jobs=1)
    [outcome] = run_batch(
        [Body(url=body.column_url, name=body.name, level=body.level)],
        fetcher,
        options,
        lambda index, outcome: None,
    )
    external_check_record(body=body, year=year, outcome=outcome, now=timezone.now())
