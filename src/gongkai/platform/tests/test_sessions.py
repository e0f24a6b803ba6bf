"""Sessions on the 集约化 platform (issue #13): with ``REDIS_URL`` the
``cached_db`` engine — any app server serves any session, reads come from
Redis, and a Redis restart logs nobody out, since every session is also in the
database."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from gongkai.organizations.factories import TEST_PASSWORD
from gongkai.tests.helpers import command_env, fresh_caches

from .test_cache import SETUP, run_python

CACHED_DB = "django.contrib.sessions.backends.cached_db"
SHOW = SETUP + "from django.conf import settings as s; print(json.dumps(s.SESSION_ENGINE))"


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [("redis://127.0.0.1:6379/3", CACHED_DB), ("", "django.contrib.sessions.backends.db")],
)
def test_the_session_engine_follows_redis_url(tmp_path, redis_url, engine):
    env = command_env(tmp_path, sqlite=True)
    env["REDIS_URL"] = redis_url
    result = run_python(env, "import json;" + SHOW)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == engine


def signed_in(client: Client) -> bool:
    response = client.get("/backoffice/")
    return response.status_code == 200 and "/backoffice/login/" not in response.get("Location", "")


@pytest.mark.django_db
def test_a_log_in_on_one_server_is_seen_by_another(redis_cache, clerk, settings):
    settings.SESSION_ENGINE = CACHED_DB
    server_a = Client()
    response = server_a.post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = server_a.cookies[settings.SESSION_COOKIE_NAME].value
    # The session is in Redis (under this test's prefix) and in the database.
    assert list(redis_cache.scan_iter(match=f"*{cookie}*"))
    assert Session.objects.filter(session_key=cookie).exists()

    fresh_caches()  # another app server: its own cache objects, nothing in memory
    server_b = Client()
    server_b.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert signed_in(server_b)

    # Redis restarted empty: the database copy still holds the session.
    for key in redis_cache.scan_iter(match=f"*{cookie}*"):
        redis_cache.delete(key)
    fresh_caches()
    assert signed_in(server_b)
    assert list(redis_cache.scan_iter(match=f"*{cookie}*"))  # read back into Redis

    # Logging out on server B ends the session for server A too.
    server_b.post("/backoffice/logout/")
    fresh_caches()
    assert not list(redis_cache.scan_iter(match=f"*{cookie}*"))
    assert not Session.objects.filter(session_key=cookie).exists()
    assert not signed_in(server_a)


@pytest.mark.django_db
def test_without_redis_sessions_live_in_the_database(clerk):
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db"):
        client = Client()
        client.post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
        key = client.cookies["sessionid"].value
        assert Session.objects.filter(session_key=key).exists()
        assert signed_in(client)
