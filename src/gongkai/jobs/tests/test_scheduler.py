"""The embedded mode's daily jobs: once a day at their time, across restarts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

import pytest

from gongkai.jobs import scheduler
from gongkai.jobs.models import DailyRun
from gongkai.jobs.registry import Job

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 10, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def daily(monkeypatch):
    """Two daily jobs of this test only: one at 07:30 that counts, one that fails."""
    runs: Counter[str] = Counter()

    def count(*, day: str) -> None:
        runs[day] += 1

    def fail(*, day: str) -> None:
        runs["failed " + day] += 1
        raise RuntimeError("planned")

    jobs = [
        Job(name="jobs.sample_daily", func=count, label="测试", daily=dt.time(7, 30)),
        Job(name="jobs.sample_broken", func=fail, label="测试", attempts=2, daily=dt.time(9)),
    ]
    monkeypatch.setattr(scheduler.registry, "daily_jobs", lambda: jobs)
    return runs


def test_a_due_job_runs_once_and_not_again_after_a_restart_the_same_day(daily):
    assert scheduler.run_due(at(30, 7, 29)) == []  # not yet its time
    assert scheduler.run_due(at(30, 7, 31)) == ["jobs.sample_daily"]
    assert daily["2024-10-30"] == 1
    # A restart: nothing of the first process is left but the database.
    assert scheduler.run_due(at(30, 8)) == []
    assert daily["2024-10-30"] == 1
    run = DailyRun.objects.get(job="jobs.sample_daily")
    assert (run.day, run.outcome) == (dt.date(2024, 10, 30), DailyRun.Outcome.DONE)
    # The next day it is due again.
    assert scheduler.run_due(at(31, 7, 30)) == ["jobs.sample_daily"]
    assert daily["2024-10-31"] == 1


def test_a_failing_daily_job_is_retried_recorded_and_not_repeated_that_day(daily):
    assert scheduler.run_due(at(30, 9, 5)) == ["jobs.sample_daily", "jobs.sample_broken"]
    assert daily["failed 2024-10-30"] == 2  # attempts=2
    assert DailyRun.objects.get(job="jobs.sample_broken").outcome == DailyRun.Outcome.FAILED
    assert scheduler.run_due(at(30, 10)) == []
    assert daily["failed 2024-10-30"] == 2


def test_a_claimed_day_cannot_be_claimed_twice(daily):
    job = scheduler.registry.daily_jobs()[0]
    assert scheduler.claim(job, now=at(30, 8)) is not None
    assert scheduler.claim(job, now=at(30, 9)) is None  # another process, same day


def test_the_scheduler_thread_runs_due_jobs_and_stops(daily, monkeypatch):
    called = []

    def fake_run_due(now=None):
        called.append(now)
        thread.stop()
        return []

    monkeypatch.setattr(scheduler, "run_due", fake_run_due)
    thread = scheduler.DailyScheduler(interval=0.01)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive() and called == [None]
