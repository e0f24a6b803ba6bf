"""Shared pytest fixtures for every app.

Organizations: ``org`` (甘河滩-like town under ``district``), ``other_org``
(another town under the same district), ``district`` (county-level parent).
Users (each with one membership in ``org`` unless noted): ``clerk``,
``reviewer``, ``approver``, ``office_head``, ``org_admin``, ``supervisor``
(supervisor of ``district``, so it sees ``org`` and ``other_org`` read-only),
``other_clerk`` (clerk of ``other_org``).  ``client_for(user)`` returns a
logged-in test Client working in the user's first organization.

Browser: ``browser`` (session), ``page`` (fresh context per test, against
``live_server``), ``login(page, user)`` and ``screenshot(page, name)``.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from gongkai.organizations.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)
from gongkai.organizations.models import Organization, Role
from gongkai.tests.helpers import TEST_REDIS_URL, redis_answers, require_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

__all__ = [
    "TEST_PASSWORD",
    "MembershipFactory",
    "OrganizationFactory",
    "UnitFactory",
    "UserFactory",
]


def pytest_runtest_setup(item):
    # Rate-limit and failed-log-in counters live in the Django cache: every test
    # starts from an empty one.  A hook, not an autouse fixture, so Hypothesis
    # tests see no function-scoped fixture.
    cache.clear()


@pytest.fixture
def local_files(settings, tmp_path) -> Path:
    """Files on disk under a temporary MEDIA_ROOT, for a test that looks at the
    files themselves (the PostgreSQL run stores files in S3 otherwise)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def redis_cache():
    """The default cache on the machine's real Redis, under a key prefix of the
    test's own whose keys alone are removed afterwards (never FLUSHDB).  Yields
    the raw client; the prefix is ``settings.CACHES["default"]["KEY_PREFIX"]``."""
    require_service(redis_answers(), f"Redis at {TEST_REDIS_URL}")
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
    """The default cache in process memory, of this test's own."""
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=config):
        yield None


@pytest.fixture
def process_cache(settings):
    """The in-process LocMem cache, for a test that moves the clock with
    time_machine: Redis (the cache of the PostgreSQL run) expires keys by its own
    clock, which no test can move."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai-virtual-clock",
        }
    }


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # PBKDF2 at production strength costs ~0.2 s per user; tests need no strength.
    # Session scope: no per-test cost, and Hypothesis tests see no function fixture.
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture
def district(db) -> Organization:
    return OrganizationFactory(
        name="测试区人民政府", slug="test-district", level=Organization.Level.COUNTY
    )


@pytest.fixture
def org(district) -> Organization:
    return OrganizationFactory(name="测试镇人民政府", slug="test-town", parent=district)


@pytest.fixture
def other_org(district) -> Organization:
    return OrganizationFactory(name="另一镇人民政府", slug="other-town", parent=district)


@pytest.fixture
def unit(org):
    return UnitFactory(organization=org, name="党政办公室")


@pytest.fixture
def clerk(org):
    return user_with_role(org, Role.CLERK, username="clerk")


@pytest.fixture
def reviewer(org):
    return user_with_role(org, Role.REVIEWER, username="reviewer")


@pytest.fixture
def approver(org):
    return user_with_role(org, Role.APPROVER, username="approver")


@pytest.fixture
def office_head(org):
    return user_with_role(org, Role.OFFICE_HEAD, username="office_head")


@pytest.fixture
def org_admin(org):
    return user_with_role(org, Role.ADMIN, username="org_admin")


@pytest.fixture
def supervisor(district):
    return user_with_role(district, Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def other_clerk(other_org):
    return user_with_role(other_org, Role.CLERK, username="other_clerk")


@pytest.fixture
def client_for(db):
    """``client_for(user)`` -> a django.test.Client logged in as ``user``."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


# --- Playwright -------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed; browser tests need the system Chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses
    # ORM calls from a thread with a running loop unless told otherwise.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; ``page.base_url`` is the live server's address."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def screenshot(tmp_path_factory):
    """``screenshot(page, name)`` saves a full-page PNG and returns its path.

    Files go to $GONGKAI_SCREENSHOT_DIR when set (to keep them), else a tmp dir.
    """
    target = os.environ.get("GONGKAI_SCREENSHOT_DIR")
    directory = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = directory / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(pg, user, password: str = TEST_PASSWORD) -> None:
    """Sign ``user`` in through the real login form and wait for the dashboard."""
    pg.goto(f"{pg.base_url}/backoffice/login/")
    pg.fill("#id_username", user.get_username())
    pg.fill("#id_password", password)
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{pg.base_url}/backoffice/")


@pytest.fixture(name="login")
def login_fixture():
    """The :func:`login` helper as a fixture: ``login(page, user)``."""
    return login
