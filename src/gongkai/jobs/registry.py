"""The jobs the apps declare, found by name like the other plug-ins.

Each app declares its background jobs in ``gongkai.<app>.tasks`` with the
:func:`job` decorator::

    @job("applications.remind", daily=time(7, 30))
    def remind(day: str | None = None) -> None: ...

A job is a plain function of JSON-serialisable keyword arguments.  It must be
idempotent — a job run twice does no double work — because both modes retry a
failed job and the queue delivers at least once.  A daily job takes ``day``
(``YYYY-MM-DD``, Asia/Shanghai): the date it runs for, so a re-run for the same
day finds the work already done.

The registry imports those modules the first time it is asked (the installed
apps under ``gongkai``, through ``django.apps``); an app without one is skipped,
an import error inside one is raised, never hidden.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from django.apps import apps

PACKAGE = "gongkai"
MODULE = "tasks"
DEFAULT_QUEUE = "default"
# Three runs in all (the first and two retries), 10 s, 100 s apart in the queue.
DEFAULT_ATTEMPTS = 3


@dataclass(frozen=True)
class Job:
    name: str  # "<app>.<verb>", also the queue's task name
    func: Callable[..., object]
    label: str  # Chinese, for `gongkai jobs status`
    attempts: int = DEFAULT_ATTEMPTS  # runs in all before the job is marked failed
    queue: str = DEFAULT_QUEUE
    daily: time | None = None  # local time (settings.TIME_ZONE) of a daily run

    def __call__(self, **kwargs):
        return self.func(**kwargs)


_declared: dict[str, Job] = {}
_lock = threading.Lock()
_discovered = False


def job(
    name: str,
    *,
    label: str,
    attempts: int = DEFAULT_ATTEMPTS,
    queue: str = DEFAULT_QUEUE,
    daily: time | None = None,
) -> Callable[[Callable[..., object]], Job]:
    """Declare a job.  ``attempts`` counts every run (first included)."""
    if attempts < 1:
        raise ValueError(f"job {name}: attempts must be >= 1")
    if "." not in name:
        raise ValueError(f"job {name}: name it <app>.<verb>")

    def register(func: Callable[..., object]) -> Job:
        declared = Job(
            name=name, func=func, label=label, attempts=attempts, queue=queue, daily=daily
        )
        with _lock:
            existing = _declared.get(name)
            if existing is not None and existing.func.__qualname__ != func.__qualname__:
                raise ValueError(f"job {name} is declared twice")
            _declared[name] = declared
        return declared

    return register


def task_modules() -> list[str]:
    """``gongkai.<app>.tasks`` of every installed gongkai app that has one, imported."""
    found = []
    for config in apps.get_app_configs():
        if config.name != PACKAGE and not config.name.startswith(PACKAGE + "."):
            continue
        dotted = f"{config.name}.{MODULE}"
        try:
            importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name == dotted:
                continue  # this app declares no jobs
            raise  # the module exists and imports something missing: a real bug
        found.append(dotted)
    return found


def discover() -> None:
    global _discovered
    if _discovered:
        return
    task_modules()
    _discovered = True


def all_jobs() -> dict[str, Job]:
    """Every declared job by name (the apps' ``tasks`` modules imported first)."""
    discover()
    with _lock:
        return dict(sorted(_declared.items()))


def daily_jobs() -> list[Job]:
    return [j for j in all_jobs().values() if j.daily is not None]


class UnknownJob(LookupError):
    pass


def get(name: str) -> Job:
    found = all_jobs().get(name)
    if found is None:
        raise UnknownJob(f"没有名为“{name}”的后台任务。")
    return found
