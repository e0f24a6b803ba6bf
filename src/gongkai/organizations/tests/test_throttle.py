"""Failed log-ins are throttled per user name and per client address, in the
Django cache (shared across workers once the cache is), and lock-outs are audited.

Issue #9 item 5: 200 wrong passwords in 78 s were accepted for checking."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory

from gongkai.audit.models import AuditEvent
from gongkai.organizations import throttle
from gongkai.organizations.factories import TEST_PASSWORD
from gongkai.tests.helpers import command_env

pytestmark = pytest.mark.django_db

LOGIN = "/backoffice/login/"
ADMIN_LOGIN = "/admin/login/"
T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in Asia/Shanghai


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.GONGKAI_LOGIN_FAILURES_PER_USER = 5
    settings.GONGKAI_LOGIN_FAILURES_PER_IP = 20
    settings.GONGKAI_LOGIN_LOCKOUT_SECONDS = 900
    settings.GONGKAI_PROXY_COUNT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password_checks(monkeypatch):
    """Counts every real password check (hash comparison) made for any user."""
    calls = []
    original = get_user_model().check_password

    def spy(self, raw):
        calls.append(self.get_username())
        return original(self, raw)

    monkeypatch.setattr(get_user_model(), "check_password", spy)
    return calls


def post_login(client, username, password, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_two_hundred_wrong_passwords_are_not_all_checked(clerk, password_checks):
    client = Client(REMOTE_ADDR="198.51.100.1")
    with time_machine.travel(T0, tick=False):
        statuses = [post_login(client, "clerk", f"guess-{n}").status_code for n in range(200)]
    # Five real checks, then every further attempt is refused before any check.
    assert len(password_checks) == 5
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}


def test_sixth_attempt_with_the_right_password_is_refused(clerk, password_checks):
    client = Client(REMOTE_ADDR="198.51.100.2")
    with time_machine.travel(T0, tick=False):
        for n in range(5):
            post_login(client, "clerk", f"wrong-{n}")
        response = post_login(client, "clerk", TEST_PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert len(password_checks) == 5
    text = response.content.decode()
    assert "登录失败次数过多" in text
    # T0 is 06:13:20 Beijing time; the lock lasts 15 minutes.
    assert "06:28" in text
    assert int(response["Retry-After"]) == 900


def test_lock_ends_after_the_lockout_period(clerk):
    client = Client(REMOTE_ADDR="198.51.100.3")
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(5):
            post_login(client, "clerk", f"wrong-{n}")
        assert post_login(client, "clerk", TEST_PASSWORD).status_code == 429
        clock.shift(899)
        assert post_login(client, "clerk", TEST_PASSWORD).status_code == 429
        clock.shift(2)
        response = post_login(client, "clerk", TEST_PASSWORD)
        assert response.status_code == 302
        assert logged_in(client)  # (inside the travel: the session expires in 2 weeks)


def test_username_lock_ignores_case_and_surrounding_space(clerk, password_checks):
    client = Client(REMOTE_ADDR="198.51.100.4")
    with time_machine.travel(T0, tick=False):
        for name in ("clerk", "CLERK", " Clerk ", "clerK", "cLeRk"):
            post_login(client, name, "wrong")
        assert post_login(client, "clerk", TEST_PASSWORD).status_code == 429
    assert len(password_checks) <= 5


def test_success_resets_the_username_counter(clerk):
    client = Client(REMOTE_ADDR="198.51.100.5")
    with time_machine.travel(T0, tick=False):
        for n in range(4):
            post_login(client, "clerk", f"wrong-{n}")
        assert post_login(client, "clerk", TEST_PASSWORD).status_code == 302
        client.post("/backoffice/logout/")
        for n in range(4):
            post_login(client, "clerk", f"again-{n}")
        response = post_login(client, "clerk", TEST_PASSWORD)
        assert response.status_code == 302
        assert logged_in(client)


def test_per_address_limit_across_usernames(clerk, other_clerk, password_checks):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(T0, tick=False):
        # Four tries at each of five names: no name reaches its own limit of 5.
        for name in ("a1", "a2", "a3", "a4", "a5"):
            for n in range(4):
                assert post_login(attacker, name, f"x{n}").status_code == 200
        refused = post_login(attacker, "clerk", TEST_PASSWORD)
        # Another address is not affected, and clerk's own account is not locked.
        elsewhere = Client(REMOTE_ADDR="203.0.113.10")
        allowed = post_login(elsewhere, "clerk", TEST_PASSWORD)
    assert refused.status_code == 429
    assert "网络地址" in refused.content.decode()
    assert not logged_in(attacker)
    assert allowed.status_code == 302
    # The refused attempt never reached clerk's password; the one from elsewhere did.
    assert password_checks == ["clerk"]


def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(clerk):
    client = Client(REMOTE_ADDR="203.0.113.20")
    with time_machine.travel(T0, tick=False):
        for n in range(20):
            post_login(client, f"name{n}", "x", HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
        response = post_login(client, "clerk", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.99.1")
    assert response.status_code == 429


def test_forwarded_for_is_honoured_behind_one_trusted_proxy(settings, clerk):
    settings.GONGKAI_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    with time_machine.travel(T0, tick=False):
        for n in range(20):
            # The client may send any X-Forwarded-For; the proxy appends the real address.
            post_login(proxy, f"name{n}", "x", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.30")
        locked = post_login(proxy, "clerk", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.30")
        other = post_login(proxy, "clerk", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.31")
    assert locked.status_code == 429
    assert other.status_code == 302


def test_client_address(settings):
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.GONGKAI_PROXY_COUNT = 0
    assert throttle.client_address(spoofed) == "203.0.113.1"
    settings.GONGKAI_PROXY_COUNT = 1
    assert throttle.client_address(spoofed) == "5.6.7.8"
    settings.GONGKAI_PROXY_COUNT = 2
    assert throttle.client_address(spoofed) == "1.2.3.4"
    # Fewer entries than trusted proxies, or garbage: the direct peer, never the header.
    settings.GONGKAI_PROXY_COUNT = 3
    assert throttle.client_address(spoofed) == "203.0.113.1"
    settings.GONGKAI_PROXY_COUNT = 1
    junk = rf.get("/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-ip x")
    assert throttle.client_address(junk) == "203.0.113.1"
    v6 = rf.get("/", REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="2001:db8::7")
    assert throttle.client_address(v6) == "2001:db8::7"
    assert throttle.client_address(rf.get("/", REMOTE_ADDR="")) is None


def test_lockout_is_audited_once_per_lock(org, clerk, process_cache):
    client = Client(REMOTE_ADDR="198.51.100.6")
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(30):
            post_login(client, "clerk", f"wrong-{n}")
        events = list(AuditEvent.objects.filter(verb="login.lockout"))
        assert len(events) == 1
        event = events[0]
        assert event.organization == org
        assert event.object_id == str(clerk.pk)
        assert event.actor is None
        assert event.data["scope"] == "user"
        assert event.data["username"] == "clerk"
        assert event.data["address"] == "198.51.100.6"
        # A second lock after the first has run out is a second event.
        clock.shift(901)
        for n in range(5):
            post_login(client, "clerk", f"later-{n}")
    assert AuditEvent.objects.filter(verb="login.lockout").count() == 2


def test_address_lockout_is_audited(clerk):
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(T0, tick=False):
        for n in range(25):
            post_login(client, f"nobody{n}", "x")
    events = AuditEvent.objects.filter(verb="login.lockout", data__scope="address")
    assert events.count() == 1
    assert events.get().data["address"] == "198.51.100.7"


def test_admin_login_is_throttled_too(clerk, password_checks):
    clerk.is_staff = True
    clerk.save()
    client = Client(REMOTE_ADDR="198.51.100.8")
    with time_machine.travel(T0, tick=False):
        for n in range(5):
            post_login(client, "clerk", f"wrong-{n}", url=ADMIN_LOGIN)
        response = post_login(client, "clerk", TEST_PASSWORD, url=ADMIN_LOGIN)
    assert not logged_in(client)
    assert len(password_checks) == 5
    assert "登录失败次数过多" in response.content.decode()


def test_limits_come_from_the_environment(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.update(
        GONGKAI_PROXY_COUNT="2",
        GONGKAI_LOGIN_FAILURES_PER_USER="3",
        GONGKAI_LOGIN_FAILURES_PER_IP="40",
        GONGKAI_LOGIN_LOCKOUT_SECONDS="600",
        GONGKAI_RATE_APPLY="4/60",
        GONGKAI_RATE_STATUS="50/300",
        GONGKAI_RATE_INQUIRY="7/120",
        GONGKAI_RATE_COMMENT="8/240",
        GONGKAI_RATE_DOWNLOAD="9/90",
    )
    code = (
        "import django, os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'gongkai.config.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps([s.GONGKAI_PROXY_COUNT, s.GONGKAI_LOGIN_FAILURES_PER_USER,"
        " s.GONGKAI_LOGIN_FAILURES_PER_IP, s.GONGKAI_LOGIN_LOCKOUT_SECONDS,"
        " s.GONGKAI_RATE_LIMITS]))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        2,
        3,
        40,
        600,
        {
            "apply": [4, 60],
            "status": [50, 300],
            "inquiry": [7, 120],
            "comment": [8, 240],
            "download": [9, 90],
        },
    ]


def test_defaults_without_environment(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    for name in list(env):
        if name.startswith(("GONGKAI_RATE_", "GONGKAI_LOGIN_", "GONGKAI_PROXY_COUNT")):
            env.pop(name)
    code = (
        "import django, os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'gongkai.config.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps([s.GONGKAI_PROXY_COUNT, s.GONGKAI_LOGIN_FAILURES_PER_USER,"
        " s.GONGKAI_LOGIN_FAILURES_PER_IP, s.GONGKAI_LOGIN_LOCKOUT_SECONDS,"
        " s.GONGKAI_RATE_LIMITS]))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        0,
        5,
        20,
        900,
        {
            "apply": [10, 3600],
            "status": [30, 600],
            "inquiry": [5, 3600],
            "comment": [5, 3600],
            "download": [60, 600],
        },
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GONGKAI_PROXY_COUNT", "-1"),
        ("GONGKAI_LOGIN_FAILURES_PER_USER", "0"),
        ("GONGKAI_LOGIN_FAILURES_PER_IP", "many"),
        ("GONGKAI_RATE_APPLY", "10"),
        ("GONGKAI_RATE_STATUS", "30/0"),
        ("GONGKAI_RATE_INQUIRY", "five/3600"),
        ("GONGKAI_RATE_COMMENT", "0/3600"),
        ("GONGKAI_RATE_DOWNLOAD", "60/"),
        ("GONGKAI_DELIVERY_LINK_HOURS", "0"),
        ("GONGKAI_INTAKE_DISPATCH_DAYS", "one"),
        ("GONGKAI_INTAKE_CLOCK_START", "received"),
    ],
)
def test_bad_limit_settings_refuse_to_start(tmp_path, name, value):
    env = command_env(tmp_path, sqlite=True)
    env[name] = value
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'gongkai.config.settings'); django.setup()"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr
