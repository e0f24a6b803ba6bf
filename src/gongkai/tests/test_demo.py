import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from gongkai import demo
from gongkai.demo import DEMO_PASSWORD, DemoRefused, load_demo
from gongkai.organizations.models import Membership, Organization, Role
from gongkai.organizations.permissions import organizations_visible_to, roles_of

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def test_load_demo_creates_bodies_units_users():
    ctx = load_demo()
    assert ctx.district.name == "河湾区人民政府"
    assert ctx.district.level == "county"
    assert ctx.ganhetan.parent == ctx.district and ctx.ganhetan.level == "town"
    assert ctx.liulin.name == "柳林镇人民政府"
    assert ctx.minzheng.level == "department" and ctx.minzheng.name == "河湾区民政局"
    assert set(ctx.units) == {"党政办公室", "经济发展办公室", "社会事务办公室", "农业农村办公室"}
    for org in ctx.organizations:
        org.full_clean()  # credit codes valid, slugs ASCII
    expected = {
        "ganhetan_clerk": Role.CLERK,
        "ganhetan_reviewer": Role.REVIEWER,
        "ganhetan_approver": Role.APPROVER,
        "ganhetan_office_head": Role.OFFICE_HEAD,
        "ganhetan_admin": Role.ADMIN,
    }
    for username, role in expected.items():
        assert roles_of(ctx.users[username], ctx.ganhetan) == {role}
    assert ctx.clerk.check_password(DEMO_PASSWORD)
    assert ctx.clerk.get_full_name() == "李晓燕"
    assert roles_of(ctx.liulin_clerk, ctx.liulin) == {Role.CLERK}
    assert roles_of(ctx.minzheng_clerk, ctx.minzheng) == {Role.CLERK}
    assert set(organizations_visible_to(ctx.supervisor)) == set(ctx.organizations)
    assert roles_of(ctx.district_clerk, ctx.district) == {Role.CLERK}
    assert roles_of(ctx.district_approver, ctx.district) == {Role.APPROVER}
    # The district reviews and publishes through its own staff (保密审查 before
    # approval, 条例第十七条); the district and the 民政局 keep their own profile pages.
    assert roles_of(ctx.district_reviewer, ctx.district) == {Role.REVIEWER}
    assert roles_of(ctx.district_admin, ctx.district) == {Role.ADMIN}
    assert roles_of(ctx.minzheng_admin, ctx.minzheng) == {Role.ADMIN}
    # Pages show who did what by real name: every demo user has a Chinese one.
    for user in ctx.users.values():
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", user.get_full_name()), user.username


def test_second_load_refused():
    load_demo()
    with pytest.raises(DemoRefused, match="已经载入过"):
        load_demo()
    assert Organization.objects.filter(slug="ganhetan").count() == 1


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused, match="生产模式"):
        load_demo()
    assert not Organization.objects.exists()
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo")


def test_app_loaders_called_in_order_inside_transaction(monkeypatch):
    calls = []

    class Loader:
        def __init__(self, app, fail=False):
            self.app, self.fail = app, fail

        def load(self, ctx):
            calls.append(self.app)
            assert Membership.objects.filter(user=ctx.clerk).exists()
            if self.fail:
                raise RuntimeError("boom")

    loaders = {"disclosure": Loader("disclosure"), "reports": Loader("reports", fail=True)}
    monkeypatch.setattr(demo, "_demo_module", lambda app: loaders.get(app))
    with pytest.raises(RuntimeError):
        load_demo()
    assert calls == ["disclosure", "reports"]
    # nothing half-written
    assert not Organization.objects.exists()
    assert not get_user_model().objects.filter(username="ganhetan_clerk").exists()


def test_missing_app_demo_module_is_skipped_but_broken_one_raises(monkeypatch):
    assert demo._demo_module("config") is None

    def broken(name):
        raise ModuleNotFoundError("No module named 'missing_lib'", name="missing_lib")

    monkeypatch.setattr(demo.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        demo._demo_module("disclosure")


def test_demo_command_prints_logins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "ganhetan_clerk" in out and DEMO_PASSWORD in out


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_mails_and_texts_nobody(settings):
    """The demo's people are invented: with a real SMTP server or SMS gateway
    configured, loading it must still send them nothing (in-app notices stay)."""
    from gongkai.notifications.models import Message

    settings.EMAIL_HOST = "smtp.example.org"  # e-mail would be sent if recorded
    load_demo()  # commits: the after-commit notices run too
    assert Message.objects.filter(channel="inapp").exists()
    assert not Message.objects.exclude(channel="inapp").exists()
