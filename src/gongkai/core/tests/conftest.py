"""The default cache as each test wants it: the per-process LocMem, or the
machine's Redis (``GONGKAI_TEST_REDIS_URL``) under a key prefix of the test's
own, whose keys alone are removed afterwards (never FLUSHDB)."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from asgiref.local import Local
from django.core.cache import caches
from django.test import override_settings

TEST_REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_answers(url: str = TEST_REDIS_URL) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def fresh_caches() -> None:
    """What another process has: cache objects (and connection pools) of its own."""
    caches._connections = Local()  # noqa: SLF001 - as Django does when CACHES changes


@pytest.fixture
def redis_cache():
    if not redis_answers():
        pytest.skip(f"Redis at {TEST_REDIS_URL} does not answer; start redis-server")
    prefix = f"gongkai-test-{uuid.uuid4().hex[:12]}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    raw = redis.Redis.from_url(TEST_REDIS_URL)
    with override_settings(CACHES=config):
        yield raw
    keys = list(raw.scan_iter(match=f"{prefix}:*"))
    if keys:
        raw.delete(*keys)


@pytest.fixture
def locmem_cache():
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=config):
        yield None


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    """Each test twice: on LocMem and on the real Redis."""
    return request.getfixturevalue(f"{request.param}_cache")
