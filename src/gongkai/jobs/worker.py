"""``gongkai jobs worker``: procrastinate's worker on Django's database settings."""

from __future__ import annotations

from procrastinate.contrib.django import app


def run_worker(*, queues: list[str] | None, concurrency: int, name: str | None, **options) -> None:
    """Run until SIGINT/SIGTERM; a stop lets running jobs finish first.

    The Django app defers on Django's connection (inside the caller's
    transaction); a worker needs its own asynchronous connections, which
    procrastinate builds from the same DATABASES entry."""
    kwargs = {"queues": queues, "concurrency": concurrency, **options}
    if name:
        kwargs["name"] = name
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(**kwargs)
