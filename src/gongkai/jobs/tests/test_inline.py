"""The embedded mode: jobs run in-process after the transaction commits."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction

from gongkai.applications.models import Reminder
from gongkai.applications.tests.factories import receive
from gongkai.jobs import defer, registry
from gongkai.jobs.runner import run_inline
from gongkai.tests.helpers import command_env

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def test_a_job_deferred_in_a_rolled_back_transaction_never_runs(sample_jobs, runs):
    with pytest.raises(Rollback), transaction.atomic():
        defer("jobs.sample_record", key="rolled-back")
        raise Rollback
    assert runs["rolled-back"] == 0


def test_a_job_deferred_in_a_committed_transaction_runs_once_after_commit(sample_jobs, runs):
    with transaction.atomic():
        defer("jobs.sample_record", key="committed")
        assert runs["committed"] == 0  # not before the commit
    assert runs["committed"] == 1


def test_a_failing_job_is_retried_then_logged_never_raised(sample_jobs, runs, caplog):
    with caplog.at_level(logging.ERROR, logger="gongkai.jobs"):
        defer("jobs.sample_flaky", key="always", failures=99)  # autocommit: runs now
    assert runs["always"] == 3  # attempts=3: the first run and two retries
    assert "已失败 3 次" in caplog.text


def test_a_flaky_job_succeeds_on_retry(sample_jobs, runs):
    assert run_inline(sample_jobs["jobs.sample_flaky"], {"key": "flaky", "failures": 1})
    assert runs["flaky"] == 2


def test_unknown_jobs_and_non_json_arguments_are_refused_at_once(sample_jobs):
    with pytest.raises(registry.UnknownJob, match="没有名为"):
        defer("jobs.no_such_job")
    with pytest.raises(TypeError, match="JSON"):
        defer("jobs.sample_record", key=date(2024, 1, 1))


def test_the_apps_declare_their_jobs_in_tasks_modules():
    jobs = registry.all_jobs()
    assert {"applications.remind", "disclosure.late", "search.rebuild", "external.check_body"} <= (
        set(jobs)
    )
    daily = {j.name: j.daily.strftime("%H:%M") for j in registry.daily_jobs()}
    assert daily == {
        "applications.remind": "07:30",
        "disclosure.late": "07:00",
        "notifications.release_held": "08:00",
        "consultations.notify_closed": "07:40",
        "urging.escalate": "07:15",
    }


def test_the_reminder_job_run_twice_does_no_double_work(org, clerk, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    application = receive(org, user=clerk)  # due 2024-10-30
    mail.outbox.clear()  # the applicant's 收到申请 notice (gongkai.notifications)
    remind = registry.get("applications.remind")
    assert run_inline(remind, {"day": "2024-10-30"})
    assert run_inline(remind, {"day": "2024-10-30"})  # a retry or a second worker
    reminder = Reminder.objects.get()
    assert (reminder.application, reminder.kind) == (application, "due_today")
    assert len(mail.outbox) == 1


def test_remind_defer_runs_the_job_in_process_when_inline(org, clerk):
    receive(org, user=clerk)
    out = StringIO()
    call_command("remind", "--date", "2024-10-30", "--defer", stdout=out)
    assert "交给后台任务" in out.getvalue()
    assert Reminder.objects.filter(kind="due_today").count() == 1
    with pytest.raises(CommandError, match="不能同时使用"):
        call_command("remind", "--defer", "--dry-run")


def test_jobs_command_in_the_embedded_mode(org, clerk):
    receive(org, user=clerk)
    out = StringIO()
    call_command("jobs", "status", stdout=out)
    assert "模式：inline" in out.getvalue()
    assert "applications.remind（办理期限提醒）每天 07:30" in out.getvalue()
    for args in (["worker"], ["retry", "1"]):
        with pytest.raises(CommandError, match="内嵌模式"):
            call_command("jobs", *args)
    out = StringIO()
    call_command("jobs", "run", "applications.remind", "--day", "2024-10-30", stdout=out)
    assert "已完成" in out.getvalue() and Reminder.objects.count() == 1
    with pytest.raises(CommandError, match="没有名为“nope”的后台任务"):
        call_command("jobs", "run", "nope")
    with pytest.raises(CommandError, match="需要参数"):
        call_command("jobs", "run", "external.check_body")
    with pytest.raises(CommandError, match="格式不对"):
        call_command("jobs", "run", "applications.remind", "--day", "30/10/2024")


def test_postgres_queue_on_sqlite_is_refused_in_chinese(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env["GONGKAI_JOB_QUEUE"] = "postgres"
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "jobs", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "GONGKAI_JOB_QUEUE=postgres 需要 PostgreSQL 数据库" in result.stderr
    env["GONGKAI_JOB_QUEUE"] = "celery"
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "jobs", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "GONGKAI_JOB_QUEUE 应为 inline 或 postgres" in result.stderr
