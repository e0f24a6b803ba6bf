"""Self-service password change, and the forced change at first log-in for
accounts an administrator opened (issue #9 item 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import TEST_PASSWORD
from gongkai.organizations.models import AccountSecurity

pytestmark = pytest.mark.django_db

CHANGE = "/backoffice/password/"
INITIAL = "River-Willow-2031"
NEW = "Harbour-Lantern-4096"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def open_account(client_for, org_admin, username="ganhetan_wang"):
    response = client_for(org_admin).post(
        "/backoffice/settings/people/new/",
        {
            "username": username,
            "full_name": "王五",
            "email": "",
            "password": INITIAL,
            "role": "clerk",
        },
    )
    assert response.status_code == 302
    return get_user_model().objects.get(username=username)


def change(client, old, new, new2=None, **extra):
    return client.post(
        CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": new2 or new},
        **extra,
    )


def test_admin_created_account_must_change_password_at_first_login(client_for, org_admin):
    user = open_account(client_for, org_admin)
    assert AccountSecurity.objects.get(user=user).must_change_password
    client = Client()
    response = client.post(
        "/backoffice/login/", {"username": "ganhetan_wang", "password": INITIAL}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(CHANGE)
    assert "首次登录" in response.text
    # Every other back-office page sends them back until they change it.
    for url in ("/backoffice/", "/backoffice/disclosure/", "/backoffice/organizations/"):
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(CHANGE), url
    # A POST elsewhere does not get through either.
    assert client.post("/backoffice/switch/", {"organization": 1})["Location"].startswith(CHANGE)


def test_no_redirect_after_the_forced_change(client_for, org_admin, org):
    user = open_account(client_for, org_admin)
    client = Client()
    client.post("/backoffice/login/", {"username": "ganhetan_wang", "password": INITIAL})
    same = change(client, INITIAL, INITIAL)
    assert same.status_code == 200
    assert "新密码不能与当前密码相同" in same.text
    response = change(client, INITIAL, NEW)
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200  # still signed in, no redirect
    user.refresh_from_db()
    assert user.check_password(NEW)
    security = AccountSecurity.objects.get(user=user)
    assert not security.must_change_password
    assert security.password_changed_at is not None
    event = AuditEvent.objects.get(verb="user.password_change")
    assert event.actor == user
    assert event.organization == org
    assert event.data == {"forced": True}
    # Signing in again later goes straight to the dashboard.
    client.post("/backoffice/logout/")
    again = client.post("/backoffice/login/", {"username": "ganhetan_wang", "password": NEW})
    assert again["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_forced_user_may_log_out(client_for, org_admin):
    open_account(client_for, org_admin)
    client = Client()
    client.post("/backoffice/login/", {"username": "ganhetan_wang", "password": INITIAL})
    response = client.post("/backoffice/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_factory_users_are_not_forced(client, clerk):
    response = client.post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    assert not AccountSecurity.objects.filter(user=clerk, must_change_password=True).exists()


def test_self_service_password_change(client_for, clerk, org):
    client = client_for(clerk)
    dashboard = client.get("/backoffice/")
    assert f'href="{CHANGE}"' in dashboard.text  # in the header's user menu
    page = client.get(CHANGE)
    assert page.status_code == 200
    for label in ("当前密码", "新密码", "确认新密码"):
        assert label in page.text
    assert "首次登录" not in page.text
    wrong = change(client, "not-my-password", NEW)
    assert wrong.status_code == 200
    assert "当前密码不正确" in wrong.text
    mismatch = change(client, TEST_PASSWORD, NEW, "Something-Else-123")
    assert "两次输入的新密码不一致" in mismatch.text
    weak = change(client, TEST_PASSWORD, "12345678")
    assert weak.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(verb="user.password_change").exists()
    done = change(client, TEST_PASSWORD, NEW, follow=True)
    assert done.redirect_chain[-1][0] == "/backoffice/"
    assert "密码已修改" in done.text
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)
    event = AuditEvent.objects.get(verb="user.password_change")
    assert (event.actor, event.organization, event.data) == (clerk, org, {"forced": False})


def test_password_change_needs_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")


def test_user_without_a_body_can_change_password(client_for):
    user = get_user_model().objects.create_user("loner", password=TEST_PASSWORD)
    client = client_for(user)
    assert change(client, TEST_PASSWORD, NEW).status_code == 302
    event = AuditEvent.objects.get(verb="user.password_change")
    assert event.organization is None


def test_service_flags_only_admin_created_accounts(org, org_admin):
    from gongkai.organizations.services import user_create_with_role

    user = user_create_with_role(
        organization=org,
        username="svc_new",
        full_name="新同事",
        email="",
        password=INITIAL,
        role="clerk",
        acting_user=org_admin,
    )
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert AuditEvent.objects.get(verb="user.create").data["must_change_password"] is True


def test_django_admin_created_user_is_forced(client):
    boss = get_user_model().objects.create_superuser("boss", password=TEST_PASSWORD)
    admin_client = Client()
    admin_client.force_login(boss)
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "from_admin",
            "password1": INITIAL,
            "password2": INITIAL,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="from_admin")
    assert AccountSecurity.objects.get(user=user).must_change_password
    client.post("/backoffice/login/", {"username": "from_admin", "password": INITIAL})
    assert client.get("/backoffice/")["Location"].startswith(CHANGE)


def test_demo_users_are_not_forced(db):
    from gongkai.demo import load_demo

    load_demo()
    assert get_user_model().objects.filter(username="ganhetan_clerk").exists()
    assert not AccountSecurity.objects.filter(must_change_password=True).exists()


def test_password_set_by_django_admin_forces_a_change(client, clerk):
    boss = get_user_model().objects.create_superuser("boss", password=TEST_PASSWORD)
    admin_client = Client()
    admin_client.force_login(boss)
    response = admin_client.post(
        f"/admin/auth/user/{clerk.pk}/password/",
        {"password1": INITIAL, "password2": INITIAL, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccountSecurity.objects.get(user=clerk).must_change_password
    event = AuditEvent.objects.get(verb="user.password_reset")
    assert event.actor == boss
    client.post("/backoffice/login/", {"username": "clerk", "password": INITIAL})
    assert client.get("/backoffice/")["Location"].startswith(CHANGE)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_first_login_journey_in_a_browser(page, screenshot, org, org_admin):
    from gongkai.organizations.services import user_create_with_role

    user_create_with_role(
        organization=org,
        username="journey",
        full_name="赵六",
        email="",
        password=INITIAL,
        role="clerk",
        acting_user=org_admin,
    )
    page.goto(f"{page.base_url}/backoffice/login/")
    page.fill("#id_username", "journey")
    page.fill("#id_password", INITIAL)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}{CHANGE}")
    assert "首次登录" in page.content()
    screenshot(page, "password-change-forced")
    page.fill("#id_old_password", INITIAL)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("button.button-primary")
    page.wait_for_url(f"{page.base_url}/backoffice/")
    assert "密码已修改" in page.content()
    assert page.get_by_role("link", name="修改密码").count() == 1
    screenshot(page, "password-changed-dashboard")


# --- Review #9 F8: the old-password check is throttled like a log-in ----------------


@pytest.fixture
def limits(settings):
    settings.GONGKAI_LOGIN_FAILURES_PER_USER = 5
    settings.GONGKAI_LOGIN_LOCKOUT_SECONDS = 900
    return settings


def test_guessing_the_current_password_locks_the_account(limits, clerk, password_checks):
    # An unlocked session must not buy unlimited guesses at the account password.
    client = Client()
    client.force_login(clerk)
    for i in range(4):
        wrong = change(client, f"guess-{i}", NEW)
        assert wrong.status_code == 200 and "当前密码不正确" in wrong.text
    fifth = change(client, "guess-4", NEW)
    assert fifth.status_code == 429 and "登录失败次数过多" in fifth.text
    checks = len(password_checks)
    # Locked: even the right password is refused, before it is checked.
    refused = change(client, TEST_PASSWORD, NEW)
    assert refused.status_code == 429
    assert "已暂时锁定" in refused.text and int(refused["Retry-After"]) > 0
    assert len(password_checks) == checks
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)
    # The same per-user lock: the log-in page refuses the account too.
    login = Client().post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
    assert login.status_code == 429
    lock = AuditEvent.objects.get(verb="login.lockout")
    assert lock.data["scope"] == "user" and lock.data["username"] == "clerk"
    assert lock.data["failures"] == 5


def test_log_in_and_password_change_failures_are_counted_together(limits, clerk):
    anonymous = Client()
    for _ in range(3):
        anonymous.post("/backoffice/login/", {"username": "clerk", "password": "nope"})
    client = Client()
    client.force_login(clerk)
    assert change(client, "nope-1", NEW).status_code == 200
    assert change(client, "nope-2", NEW).status_code == 429


def test_the_right_current_password_clears_the_count(limits, clerk):
    client = Client()
    client.force_login(clerk)
    for i in range(4):
        change(client, f"guess-{i}", NEW)
    assert change(client, TEST_PASSWORD, NEW).status_code == 302
    clerk.refresh_from_db()
    client.force_login(clerk)
    for i in range(4):
        assert change(client, f"again-{i}", "Another-Harbour-77").status_code == 200
    assert not AuditEvent.objects.filter(verb="login.lockout").exists()


@pytest.fixture
def password_checks(monkeypatch):
    calls = []
    original = get_user_model().check_password

    def spy(self, raw):
        calls.append(self.get_username())
        return original(self, raw)

    monkeypatch.setattr(get_user_model(), "check_password", spy)
    return calls
