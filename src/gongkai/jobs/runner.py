"""``defer(job_name, **kwargs)`` and the two ways a job runs.

``GONGKAI_JOB_QUEUE=inline`` (the embedded default, SQLite or PostgreSQL, no
worker): the job runs in this process once the caller's transaction commits
(``transaction.on_commit``; never when it rolls back), up to the job's
``attempts`` times; a failure is logged, never raised to the caller, so a clerk
never sees a traceback for background work.

``GONGKAI_JOB_QUEUE=postgres``: the job is a row of procrastinate's queue in
PostgreSQL, written on the caller's own database connection and so inside the
caller's transaction — it exists exactly when the data that caused it was
committed, survives restarts, and a ``gongkai jobs worker`` runs it, retrying
on failure (:mod:`gongkai.jobs.queue`).
"""

from __future__ import annotations

import functools
import json
import logging

from django.conf import settings
from django.db import transaction

from . import registry
from .registry import Job

logger = logging.getLogger("gongkai.jobs")

INLINE = "inline"
POSTGRES = "postgres"


def mode() -> str:
    return getattr(settings, "GONGKAI_JOB_QUEUE", INLINE)


def defer(job_name: str, **kwargs) -> int | None:
    """Run ``job_name(**kwargs)`` in the background once the current transaction
    commits.  Returns the queue's job id in ``postgres`` mode, ``None`` inline.

    An unknown job or arguments that are not JSON are a programming error and
    raise at once, in both modes, so the embedded mode catches what the queue
    would refuse."""
    declared = registry.get(job_name)
    try:
        json.dumps(kwargs)
    except TypeError as exc:
        raise TypeError(f"job {job_name}: arguments must be JSON ({exc})") from exc
    if mode() == POSTGRES:
        from .queue import defer_to_queue  # procrastinate's app exists only on PostgreSQL

        return defer_to_queue(declared, kwargs)
    transaction.on_commit(functools.partial(run_inline, declared, kwargs))
    return None


def run_inline(declared: Job, kwargs: dict) -> bool:
    """Run now, up to ``attempts`` times (retried at once: a process with no worker
    has nowhere to park a job for later).  True when a run succeeded."""
    for attempt in range(1, declared.attempts + 1):
        try:
            declared(**kwargs)
        except Exception:  # any failure of background work is logged, never shown
            logger.exception(
                "后台任务 %s 第 %d/%d 次运行失败", declared.name, attempt, declared.attempts
            )
        else:
            return True
    logger.error("后台任务 %s 已失败 %d 次，不再重试。", declared.name, declared.attempts)
    return False
