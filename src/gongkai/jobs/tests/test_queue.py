"""The ``postgres`` mode: procrastinate's queue, with real workers (PostgreSQL only).

Transactional tests: the jobs a test defers are committed (or rolled back) for
real, and the worker reads them on connections of its own."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from gongkai.applications.models import Reminder
from gongkai.applications.tests.factories import receive
from gongkai.jobs import defer, queue
from gongkai.tests.helpers import command_env

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="procrastinate's queue lives in PostgreSQL"
    ),
]

if connection.vendor == "postgresql":
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.models import ProcrastinateJob
    from procrastinate.periodic import PeriodicDeferrer


class Rollback(Exception):
    pass


@pytest.fixture
def postgres_queue(settings, sample_jobs, monkeypatch):
    """GONGKAI_JOB_QUEUE=postgres, the sample jobs registered, an empty queue."""
    settings.GONGKAI_JOB_QUEUE = "postgres"
    # The worker's job threads close their connection after each job (procrastinate's
    # middleware closes only expired ones), so none is left when the test database goes.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    settings.GONGKAI_JOB_RETRY_SECONDS = 0
    queue.on_app_ready(app)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_periodic_defers, procrastinate_events"
            " RESTART IDENTITY CASCADE"
        )
    return sample_jobs


def off_loop(func):
    """``func()`` in a thread of its own.  procrastinate's synchronous entry points
    call ``asyncio.run()``, which refuses a thread whose event loop is running, and
    Playwright's synchronous API (the browser tests of the same session) keeps one
    running in the main thread."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = func()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def run_worker(**options) -> None:
    """A worker until the queue is empty (``wait=False``), in this process."""

    def work():
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                wait=False, install_signal_handlers=False, listen_notify=False, **options
            )

    off_loop(work)


def statuses(task_name: str) -> list[str]:
    return list(
        ProcrastinateJob.objects.filter(task_name=task_name)
        .order_by("id")
        .values_list("status", flat=True)
    )


def test_a_job_deferred_in_a_rolled_back_transaction_never_runs(postgres_queue, runs):
    with pytest.raises(Rollback), transaction.atomic():
        job_id = defer("jobs.sample_record", key="rolled-back")
        assert job_id  # a row of the queue, inside this transaction
        raise Rollback
    assert statuses("jobs.sample_record") == []
    run_worker()
    assert runs["rolled-back"] == 0


def test_a_job_deferred_in_a_committed_transaction_runs_once(postgres_queue, runs):
    with transaction.atomic():
        defer("jobs.sample_record", key="committed")
    assert runs["committed"] == 0  # a worker runs it, not the caller
    run_worker()
    run_worker()  # a second worker finds nothing left
    assert runs["committed"] == 1
    assert statuses("jobs.sample_record") == ["succeeded"]


def test_a_failing_job_is_retried_then_marked_failed(postgres_queue, runs):
    defer("jobs.sample_flaky", key="always", failures=99)
    defer("jobs.sample_flaky", key="once", failures=1)
    run_worker()
    assert runs["always"] == 3  # attempts=3: the first run and two retries
    assert runs["once"] == 2
    assert statuses("jobs.sample_flaky") == ["failed", "succeeded"]
    failed = ProcrastinateJob.objects.get(task_name="jobs.sample_flaky", status="failed")
    out = StringIO()
    call_command("jobs", "status", stdout=out)
    assert "失败的任务：1 个" in out.getvalue()
    assert f"#{failed.id} jobs.sample_flaky" in out.getvalue()
    # Put back by hand: it runs again (and fails again, as planned).
    call_command("jobs", "retry", str(failed.id), stdout=StringIO())
    assert ProcrastinateJob.objects.get(pk=failed.id).status == "todo"
    run_worker()
    assert runs["always"] == 4
    with pytest.raises(CommandError, match="只能重试失败的任务"):
        done = ProcrastinateJob.objects.get(task_name="jobs.sample_flaky", status="succeeded")
        call_command("jobs", "retry", str(done.id))
    with pytest.raises(CommandError, match="没有编号为 999999 的任务"):
        call_command("jobs", "retry", "999999")


def test_the_reminder_job_run_twice_does_no_double_work(postgres_queue, org, clerk, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    receive(org, user=clerk)  # due 2024-10-30
    run_worker()  # sends the applicant's 收到申请 notice (gongkai.notifications)
    mail.outbox.clear()
    defer("applications.remind", day="2024-10-30")
    defer("applications.remind", day="2024-10-30")  # a manual run on top of the daily one
    # A daily job holds a lock: the second waits for the first, never runs beside it.
    run_worker(concurrency=2)
    run_worker(concurrency=2)
    assert statuses("applications.remind") == ["succeeded", "succeeded"]
    assert Reminder.objects.filter(kind="due_today").count() == 1
    assert len(mail.outbox) == 1


def test_batch_check_defer_queues_one_job_per_body(postgres_queue, org, clerk):
    from gongkai.external.models import ExternalBody

    bodies = [
        ExternalBody.objects.create(
            supervisor=org,
            name=f"平台外机关{n}",
            level="town",
            column_url=f"https://example.org/{n}/",
            created_by=clerk,
        )
        for n in range(2)
    ]
    out = StringIO()
    call_command("external_check", "--year", "2024", "--defer", stdout=out)
    assert "已将 2 个机关" in out.getvalue()
    queued = ProcrastinateJob.objects.filter(task_name="external.check_body").order_by("id")
    assert [j.args["body_id"] for j in queued] == [b.pk for b in bodies]
    assert {(j.queue_name, j.status, j.args["year"]) for j in queued} == {("checks", "todo", 2024)}
    out = StringIO()
    call_command("remind", "--defer", stdout=out)
    assert "任务编号" in out.getvalue()
    assert statuses("applications.remind") == ["todo"]


def test_periodic_defers_are_deduplicated_across_workers(postgres_queue):
    """Two workers' schedulers fire for the same 07:30 (Asia/Shanghai): one job."""
    moment = dt.datetime(2024, 10, 30, 7, 30, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

    async def two_schedulers():
        async with app.open_async():
            for _ in range(2):
                deferrer = PeriodicDeferrer(registry=app.periodic_registry)
                await deferrer.defer_jobs(deferrer.get_previous_tasks(at=moment.timestamp()))

    def schedule():
        with app.replace_connector(app.connector.get_worker_connector()):
            asyncio.run(two_schedulers())

    off_loop(schedule)
    [remind] = ProcrastinateJob.objects.filter(task_name="applications.remind")
    assert remind.args["timestamp"] == int(moment.replace(second=0).timestamp())
    assert queue.local_day(remind.args["timestamp"]) == "2024-10-30"
    # disclosure.late (07:00) is more than procrastinate's 10 minutes back: not
    # proposed; the 5-minutely housekeeping job is, once too.
    assert ProcrastinateJob.objects.filter(task_name="disclosure.late").count() == 0
    assert ProcrastinateJob.objects.filter(task_name=queue.STALLED_TASK).count() == 1


def test_a_job_left_running_by_a_dead_worker_is_put_back_and_runs(postgres_queue, runs):
    job_id = defer("jobs.sample_record", key="orphan")
    with connection.cursor() as cursor:  # what a worker killed mid-job leaves behind
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL WHERE id = %s",
            [job_id],
        )

    async def housekeeping():
        async with app.open_async():
            return await queue.retry_stalled()

    def put_back():
        with app.replace_connector(app.connector.get_worker_connector()):
            return asyncio.run(housekeeping())

    assert off_loop(put_back) == 1
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    run_worker()
    assert runs["orphan"] == 1
    assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"


def test_the_worker_picks_up_jobs_left_from_before_a_restart(postgres_queue, tmp_path):
    """A real ``gongkai jobs worker`` process: started and stopped, a job queued
    while none runs, then a fresh worker process runs it."""
    env = command_env(tmp_path, sqlite=False, database_url=_test_database_url())
    env["GONGKAI_JOB_QUEUE"] = "postgres"
    first = _start_worker(env)
    _stop(first)
    with transaction.atomic():
        job_id = defer("search.rebuild")
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    second = _start_worker(env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if ProcrastinateJob.objects.get(pk=job_id).status == "succeeded":
                break
            time.sleep(0.3)
        assert ProcrastinateJob.objects.get(pk=job_id).status == "succeeded"
    finally:
        output = _stop(second)
    assert "任务处理进程已停止" in output


def _test_database_url() -> str:
    params = connection.settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "jobs", "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # The worker registers itself in procrastinate_workers once it runs.
    from procrastinate.contrib.django.models import ProcrastinateWorker

    before = set(ProcrastinateWorker.objects.values_list("id", flat=True))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if set(ProcrastinateWorker.objects.values_list("id", flat=True)) - before:
            return proc
        time.sleep(0.2)
    output = _stop(proc)
    raise AssertionError(f"the worker did not start:\n{output}")


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
    output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    return output
