"""Helpers for project tests that run the `gongkai` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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
