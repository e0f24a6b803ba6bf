"""Helpers for project tests: the `gongkai` command in a subprocess, and the
machine's Redis for the tests that need a real one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

# The machine's Redis for tests that need a real one (another with
# GONGKAI_TEST_REDIS_URL).  Keys go under a prefix of the test's own and only
# those are removed; database 15 is the PostgreSQL run's cache (suite_env.py).
TEST_REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers(url: str = TEST_REDIS_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def require_service(answers: bool, what: str) -> None:
    """Skip a test whose server is missing on a user's machine; fail it where the
    servers are promised (``.ci/run`` sets ``GONGKAI_REQUIRE_SERVICES=1``), so
    CI never passes by skipping."""
    if answers:
        return
    message = f"{what} does not answer"
    if os.environ.get("GONGKAI_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, and GONGKAI_REQUIRE_SERVICES=1 promises it")
    pytest.skip(f"{message}; start it (see .ci/run) or set GONGKAI_TEST_REDIS_URL")


def fresh_caches() -> None:
    """What another process (app server, gunicorn worker) has: cache objects and
    connection pools of its own."""
    from asgiref.local import Local
    from django.core.cache import caches

    caches._connections = Local()  # noqa: SLF001 - as Django does when CACHES changes


def command_env(tmp_path: Path, *, sqlite: bool, database_url: str = "") -> dict[str, str]:
    env = dict(os.environ)
    # A command of its own installation: local files and an in-process cache,
    # even in the PostgreSQL run (which sets Redis and S3 for the test process,
    # gongkai/tests/suite_env.py); a test that wants them sets them itself.
    for name in [n for n in env if n.startswith("GONGKAI_S3_")] + ["REDIS_URL"]:
        env.pop(name, None)
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    env.pop("GONGKAI_ENV", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if sqlite:
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = database_url
    return env


def gongkai(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"gongkai {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
