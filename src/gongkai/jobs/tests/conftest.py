"""Jobs declared only for these tests, and a clean queue for the PostgreSQL ones."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from gongkai.jobs import registry
from gongkai.jobs.registry import Job, job

RUNS: Counter[str] = Counter()
_runs_lock = threading.Lock()


def _count(key: str) -> int:
    with _runs_lock:
        RUNS[key] += 1
        return RUNS[key]


def record(*, key: str) -> None:
    _count(key)


def flaky(*, key: str, failures: int) -> None:
    """Fails its first ``failures`` runs (for ``key``), then succeeds."""
    if _count(key) <= failures:
        raise RuntimeError(f"planned failure of {key}")


SAMPLES = {
    "jobs.sample_record": (record, 3),
    "jobs.sample_flaky": (flaky, 3),
}


@pytest.fixture
def sample_jobs():
    """The sample jobs in the registry for one test (and in procrastinate's app
    when it exists: a worker looks tasks up there)."""
    declared: dict[str, Job] = {}
    for name, (func, attempts) in SAMPLES.items():
        declared[name] = job(name, label="测试任务", attempts=attempts)(func)
    registry.all_jobs()  # discovery first, so it cannot run later and miss nothing
    yield declared
    for name in SAMPLES:
        registry._declared.pop(name, None)  # noqa: SLF001 - the tests' own entries


@pytest.fixture
def runs():
    RUNS.clear()
    yield RUNS
    RUNS.clear()
