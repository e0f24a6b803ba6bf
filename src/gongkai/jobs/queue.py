"""The ``postgres`` mode: every declared job is a procrastinate task.

procrastinate keeps its jobs in PostgreSQL tables.  Through
``procrastinate.contrib.django`` a ``defer`` runs on Django's own connection,
so it is part of the caller's transaction: rolled back, the job never existed;
committed, it waits in the table until a worker takes it, across restarts.

Each daily job is also a procrastinate periodic task: every worker's scheduler
proposes it for the same timestamp, and the unique row
``(task_name, periodic_id, defer_timestamp)`` of ``procrastinate_periodic_defers``
lets exactly one proposal through — no single "beat" process, no cron.

Only imported when the database is PostgreSQL (settings install
procrastinate's Django app only then; its migrations are PostgreSQL SQL).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.utils import timezone
from procrastinate import BaseRetryStrategy, RetryDecision, exceptions
from procrastinate.contrib.django import app

from . import registry
from .registry import Job

PERIODIC_ID = "daily"


class Backoff(BaseRetryStrategy):
    """Retry until the job has run ``attempts`` times, waiting
    ``GONGKAI_JOB_RETRY_SECONDS`` × 10^(retries so far) between runs
    (default 10 s, then 100 s).  Read at failure time, so tests can set 0."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        # job.attempts counts the earlier failed runs (0 on the first failure).
        if job.attempts + 1 >= self.attempts:
            return None
        base = float(getattr(settings, "GONGKAI_JOB_RETRY_SECONDS", 10))
        return RetryDecision(retry_in={"seconds": int(base * 10**job.attempts)})


def utc_cron(local: dt.time, zone: str | None = None) -> str:
    """The cron line (in UTC, which is how procrastinate's scheduler reads it) of a
    daily run at ``local`` in ``zone`` (default settings.TIME_ZONE).

    Exact for a zone without daylight saving time, such as Asia/Shanghai; a zone
    with it is refused rather than run an hour off half the year."""
    tz = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
    offsets = {dt.datetime(2025, month, 1, 12, tzinfo=tz).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        raise ValueError(f"{tz}: daily jobs need a time zone without daylight saving time")
    offset = int(offsets.pop().total_seconds() // 60)
    minutes = (local.hour * 60 + local.minute - offset) % (24 * 60)
    return f"{minutes % 60} {minutes // 60} * * *"


def local_day(timestamp: int) -> str:
    """The local date (settings.TIME_ZONE) of a periodic defer's timestamp."""
    moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return timezone.localtime(moment).date().isoformat()


def _task_function(declared: Job):
    def run(**kwargs: Any):
        timestamp = kwargs.pop("timestamp", None)
        if timestamp is not None and declared.daily is not None:
            kwargs.setdefault("day", local_day(timestamp))
        return declared.func(**kwargs)

    run.__name__ = declared.func.__name__
    run.__qualname__ = declared.func.__qualname__
    run.__module__ = declared.func.__module__
    return run


def register(target, declared: Job) -> None:
    """Add ``declared`` to a procrastinate app (or blueprint) as a task, and as a
    periodic task when it is daily."""
    task = target.task(
        name=declared.name,
        queue=declared.queue,
        retry=Backoff(declared.attempts) if declared.attempts > 1 else False,
        # A daily job never runs twice at once (two workers, or a manual run).
        lock=declared.name if declared.daily is not None else None,
    )(_task_function(declared))
    if declared.daily is not None:
        target.periodic(cron=utc_cron(declared.daily), periodic_id=PERIODIC_ID)(task)


STALLED_TASK = "jobs.retry_stalled"


async def retry_stalled(timestamp: int | None = None) -> int:
    """Put back in the queue the jobs left ``doing`` by a worker that died (killed,
    the machine gone): procrastinate knows them by the worker's missing heartbeat
    but leaves them to the application.  Every 5 minutes, one run per cluster."""
    stalled = list(await app.job_manager.get_stalled_jobs())
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)


def on_app_ready(procrastinate_app) -> None:
    """settings.PROCRASTINATE_ON_APP_READY: register every declared job, and the
    queue's own housekeeping."""
    for declared in registry.all_jobs().values():
        if declared.name not in procrastinate_app.tasks:
            register(procrastinate_app, declared)
    if STALLED_TASK not in procrastinate_app.tasks:
        task = procrastinate_app.task(name=STALLED_TASK, queue="default")(retry_stalled)
        procrastinate_app.periodic(cron="*/5 * * * *", periodic_id="stalled")(task)


def defer_to_queue(declared: Job, kwargs: dict) -> int | None:
    """Insert the job on Django's connection (the caller's transaction).  A daily
    job already waiting in the queue is not queued twice: ``None`` then."""
    deferrer = app.configure_task(name=declared.name)
    try:
        return deferrer.defer(**kwargs)
    except exceptions.AlreadyEnqueued:
        return None
