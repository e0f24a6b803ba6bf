"""The embedded mode's daily jobs, run by the serving process itself.

``gongkai serve`` in ``inline`` mode starts :class:`DailyScheduler` in its
gunicorn worker: a daemon thread that wakes every minute, and for each daily
job whose local time (settings.TIME_ZONE, Asia/Shanghai) has come and that has
no :class:`~gongkai.jobs.models.DailyRun` row for today, claims the row and
runs the job (with the job's retries).  The row is the claim: a second thread,
process or a restart the same day finds it and skips.  A job missed while the
server was down runs when it comes back the same day; an earlier day is not
replayed (the daily jobs are written to catch up: reminders cover everything
due up to the day they run for).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from . import registry
from .models import DailyRun
from .registry import Job
from .runner import run_inline

logger = logging.getLogger("gongkai.jobs")


def due(now: dt.datetime) -> list[Job]:
    """The daily jobs whose time has come today and that have not run today."""
    local = timezone.localtime(now)
    ran = set(DailyRun.objects.filter(day=local.date()).values_list("job", flat=True))
    return [
        j
        for j in registry.daily_jobs()
        if j.daily is not None and j.daily <= local.time() and j.name not in ran
    ]


def claim(declared: Job, *, now: dt.datetime) -> DailyRun | None:
    """The day's run row, or None when someone already has it."""
    try:
        with transaction.atomic():
            return DailyRun.objects.create(
                job=declared.name, day=timezone.localdate(now), started_at=now
            )
    except IntegrityError:
        return None


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Run every due daily job once; return the names of those run."""
    now = now or timezone.now()
    ran = []
    for declared in due(now):
        run = claim(declared, now=now)
        if run is None:
            continue
        ok = run_inline(declared, {"day": run.day.isoformat()})
        run.outcome = DailyRun.Outcome.DONE if ok else DailyRun.Outcome.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "finished_at"])
        ran.append(declared.name)
    return ran


class DailyScheduler(threading.Thread):
    """A daemon thread calling :func:`run_due` every ``interval`` seconds."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__(name="gongkai-daily-jobs", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                run_due()
            except Exception:  # a database hiccup must not end the scheduler
                logger.exception("每日任务调度出错，将在下一轮重试")
            finally:
                close_old_connections()
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
