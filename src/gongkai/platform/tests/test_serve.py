"""`gongkai serve` runs gunicorn: real HTTP on a free port, then a graceful stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.platform.management.commands.serve import gunicorn_options
from gongkai.tests.helpers import command_env, gongkai


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - a loopback URL of the test
        return r.status, r.read().decode()


def test_serve_answers_over_http_with_gunicorn_and_stops_gracefully(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env["GONGKAI_JOB_QUEUE"] = "inline"
    gongkai(env, "migrate", "--verbosity", "0")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = json.loads(_get(f"http://127.0.0.1:{port}/healthz")[1])
                break
            except OSError:
                time.sleep(0.3)
        assert health == {"status": "ok", "database": "ok"}
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "政府信息公开" in page
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # gunicorn's graceful stop
        output = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "1 个工作进程 × 2 个线程" in output
    assert "Booting worker with pid" in output  # gunicorn, not a development server
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log
    assert "每日任务调度已在工作进程" in output
    assert "Shutting down: Master" in output


def test_more_than_one_worker_without_redis_is_refused(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="需要共享的缓存：请设置环境变量 REDIS_URL"):
        call_command("serve", "--workers", "2", stdout=StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "端口号无效"),
        (["--workers", "0"], "工作进程数应为正整数"),
        (["--threads", "0"], "线程数应为正整数"),
    ],
)
def test_bad_options_are_one_clear_line(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", *args, stdout=StringIO())


def test_gunicorn_options():
    options = gunicorn_options(host="::1", port=8000, workers=2, threads=8)
    assert options["bind"] == "[::1]:8000"
    assert (options["worker_class"], options["workers"], options["threads"]) == ("gthread", 2, 8)
    assert options["accesslog"] == "-" and options["graceful_timeout"] > 0
