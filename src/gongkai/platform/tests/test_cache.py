"""The default cache comes from the environment (review #9 F8): ``REDIS_URL``
gives every worker process one cache, so the log-in throttle's counters hold
across workers; production with several workers and a per-process cache warns
at start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import TEST_PASSWORD
from gongkai.platform.deployment import cache_warning, expected_workers
from gongkai.tests.helpers import command_env, fresh_caches

GOOD_KEY = "k" * 30 + "-production-secret-key-for-tests"
SETUP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
    "'gongkai.config.settings'); django.setup();"
)
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


def run_python(env, code):
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def production_env(tmp_path, **extra):
    env = command_env(tmp_path, sqlite=True)
    env.update(GONGKAI_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="gk.example.gov.cn")
    for name in ("REDIS_URL", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        env.pop(name, None)
    env.update(extra)
    return env


# --- settings ------------------------------------------------------------------------

SHOW_CACHE = SETUP + (
    "from django.conf import settings as s; import json;print(json.dumps(s.CACHES['default']))"
)


def test_embedded_default_is_locmem(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.pop("REDIS_URL", None)
    result = run_python(env, SHOW_CACHE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["BACKEND"].endswith("LocMemCache")


def test_redis_url_selects_djangos_redis_cache(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    result = run_python(env, SHOW_CACHE)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_a_malformed_redis_url_stops_the_start(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env["REDIS_URL"] = "127.0.0.1:6379"
    result = run_python(env, SETUP)
    assert result.returncode != 0
    assert "REDIS_URL 应以 redis://" in result.stderr


# --- the warning at start ----------------------------------------------------------


def test_production_with_locmem_and_several_workers_warns_at_start(tmp_path):
    result = run_python(production_env(tmp_path, WEB_CONCURRENCY="4"), SETUP)
    assert result.returncode == 0, result.stderr
    assert "生产模式预计运行 4 个工作进程" in result.stderr
    assert "REDIS_URL" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        {"WEB_CONCURRENCY": "4", "REDIS_URL": "redis://127.0.0.1:6379/15"},  # shared cache
        {},  # one worker
        {"WEB_CONCURRENCY": "1"},
    ],
)
def test_no_warning_when_the_cache_is_shared_or_there_is_one_worker(tmp_path, extra):
    result = run_python(production_env(tmp_path, **extra), SETUP)
    assert result.returncode == 0, result.stderr
    assert "工作进程" not in result.stderr


def test_no_warning_in_the_embedded_mode(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.pop("REDIS_URL", None)
    env["WEB_CONCURRENCY"] = "4"
    result = run_python(env, SETUP)
    assert result.returncode == 0, result.stderr
    assert "工作进程" not in result.stderr


@pytest.mark.parametrize(
    ("environ", "argv", "workers"),
    [
        ({}, ["manage.py", "check"], 1),
        ({"WEB_CONCURRENCY": "3"}, [], 3),
        ({"WEB_CONCURRENCY": "x"}, [], 1),
        ({"GUNICORN_CMD_ARGS": "--bind 127.0.0.1:8000 --workers 4"}, [], 4),
        ({"GUNICORN_CMD_ARGS": "-w 2"}, [], 2),
        ({"WEB_CONCURRENCY": "3"}, ["/srv/.venv/bin/gunicorn", "app", "--workers=6"], 6),
        ({}, ["/srv/.venv/bin/gunicorn", "gongkai.config.wsgi", "-w", "4"], 4),
        ({}, ["/usr/lib/python3/site-packages/gunicorn/__main__.py", "-w8"], 8),
        ({}, ["other-server", "--workers", "4"], 1),  # not gunicorn's command line
    ],
)
def test_expected_workers(environ, argv, workers):
    assert expected_workers(environ, argv) == workers


def test_cache_warning_only_for_a_per_process_cache_in_production():
    several = {"WEB_CONCURRENCY": "4"}
    assert cache_warning(production=True, caches=LOCMEM, environ=several, argv=[])
    assert cache_warning(production=True, caches=REDIS, environ=several, argv=[]) is None
    assert cache_warning(production=False, caches=LOCMEM, environ=several, argv=[]) is None
    assert cache_warning(production=True, caches=LOCMEM, environ={}, argv=[]) is None


# --- two workers, one Redis: the throttle counts across them ------------------------


def new_worker():
    """What a second gunicorn worker has: its own cache object and connection pool."""
    fresh_caches()
    return caches["default"]


@pytest.mark.django_db
def test_two_workers_share_the_log_in_failure_counter(redis_cache, clerk, settings):
    raw, prefix = redis_cache, settings.CACHES["default"]["KEY_PREFIX"]
    settings.GONGKAI_LOGIN_FAILURES_PER_USER = 5
    settings.GONGKAI_LOGIN_LOCKOUT_SECONDS = 900
    worker_a = new_worker()
    for _ in range(3):
        response = Client().post("/backoffice/login/", {"username": "clerk", "password": "x"})
        assert response.status_code == 200
    assert caches["default"] is worker_a
    worker_b = new_worker()
    assert worker_b is not worker_a
    pool_a = worker_a._cache._get_connection_pool(write=True)
    pool_b = worker_b._cache._get_connection_pool(write=True)
    assert pool_a is not pool_b  # two connections, as two processes would have
    # The counter the first worker wrote is in Redis, under this test's prefix.
    counters = [k for k in raw.scan_iter(match=f"{prefix}:*failures:user:*")]
    assert len(counters) == 1 and int(raw.get(counters[0])) == 3
    for _ in range(2):  # failures 4 and 5, counted on top of the first worker's 3
        response = Client().post("/backoffice/login/", {"username": "clerk", "password": "x"})
        assert response.status_code == 200
    assert AuditEvent.objects.filter(verb="login.lockout").count() == 1
    locks = list(raw.scan_iter(match=f"{prefix}:*lock:user:*"))
    assert len(locks) == 1
    # A third worker sees the lock and refuses even the right password.
    new_worker()
    right = Client().post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
    assert right.status_code == 429
    assert "登录失败次数过多" in right.text


@pytest.mark.django_db
def test_with_per_process_caches_the_same_guesses_do_not_lock(clerk, settings):
    # The defect itself: two LocMem caches (two processes) count apart.
    settings.GONGKAI_LOGIN_FAILURES_PER_USER = 5
    for location in ("worker-a", "worker-b"):
        config = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": location,
            }
        }
        with override_settings(CACHES=config):
            for _ in range(3 if location == "worker-a" else 2):
                Client().post("/backoffice/login/", {"username": "clerk", "password": "x"})
    assert not AuditEvent.objects.filter(verb="login.lockout").exists()
