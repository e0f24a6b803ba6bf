"""The supervisor's view of who opens accounts and hands out the key roles
(review #9 F7: puppet accounts), and the admin's reminder to record the court
(review #9 F13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.organizations.factories import UserFactory
from gongkai.organizations.models import Role
from gongkai.organizations.services import membership_grant, user_create_with_role

pytestmark = pytest.mark.django_db

STAFF = "新建账号与关键岗位授予"


def widget(text: str, title: str) -> str:
    """The HTML of the dashboard widget titled ``title`` ("" when absent)."""
    if title not in text:
        return ""
    return text[text.index(title) :].split("</section>")[0]


def test_account_creations_and_key_role_grants_are_listed_for_the_supervisor(
    client_for, org, other_org, org_admin, supervisor, clerk, other_clerk
):
    # The puppet: a body admin opens an account with the approver role ...
    admin = client_for(org_admin)
    response = admin.post(
        "/backoffice/settings/people/new/",
        {
            "username": "puppet_li",
            "full_name": "李傀",
            "email": "",
            "password": "River-Willow-2031",
            "role": Role.APPROVER,
        },
    )
    assert response.status_code == 302
    # ... grants reviewer to a colleague, approver to itself, clerk to someone (routine).
    membership_grant(organization=org, user=clerk, role=Role.REVIEWER, acting_user=org_admin)
    membership_grant(organization=org, user=org_admin, role=Role.APPROVER, acting_user=org_admin)
    newcomer = UserFactory(username="newcomer")
    membership_grant(organization=org, user=newcomer, role=Role.CLERK, acting_user=org_admin)
    # Another body under the same district, and one the supervisor does not oversee.
    membership_grant(
        organization=other_org, user=other_clerk, role=Role.ADMIN, acting_user=other_clerk
    )

    page = client_for(supervisor).get("/backoffice/")
    box = widget(page.text, STAFF)
    assert box, "the supervisor's widget is missing"
    assert "org_admin 新建账号「puppet_li」" in box
    assert "org_admin 授予 puppet_li「审批领导」" in box
    assert "org_admin 授予 clerk「保密审查」" in box
    # A grant to oneself stays flagged.
    assert "【自行授予】org_admin 给自己授予「审批领导」" in box
    assert "【自行授予】other_clerk 给自己授予「管理员」" in box
    # Who, what, to whom, where and when.
    assert "测试镇人民政府" in box and timezone.localdate().isoformat() in box
    # A routine clerk grant to someone else is not a key role.
    assert "newcomer" not in box
    # The bodies' own staff do not get it.
    assert STAFF not in client_for(org_admin).get("/backoffice/").text
    assert STAFF not in client_for(clerk).get("/backoffice/").text


def test_only_the_last_year_and_only_the_bodies_overseen(
    client_for, org, org_admin, supervisor, time_machine
):
    def puppet(organization, username, acting_user):
        user_create_with_role(
            organization=organization,
            username=username,
            full_name="傀",
            email="",
            password="River-Willow-2031",
            role=Role.APPROVER,
            acting_user=acting_user,
        )

    outsider_body = type(org).objects.create(name="外县人民政府", slug="far-county", level="county")
    puppet(outsider_body, "far_puppet", UserFactory(username="far_admin"))
    now = timezone.now()
    time_machine.move_to(now - dt.timedelta(days=400), tick=False)
    puppet(org, "old_puppet", org_admin)
    time_machine.move_to(now, tick=False)
    box = widget(client_for(supervisor).get("/backoffice/").text, STAFF)
    assert "far_puppet" not in box and "old_puppet" not in box
    assert "近一年没有新建账号" in box


def test_the_widget_says_how_many_when_it_shows_only_the_latest(client_for, org, supervisor):
    actor = UserFactory(username="busy_admin")
    for i in range(12):
        user = UserFactory(username=f"helper{i:02d}")
        membership_grant(organization=org, user=user, role=Role.REVIEWER, acting_user=actor)
    box = widget(client_for(supervisor).get("/backoffice/").text, STAFF)
    assert "共 12 条" in box and "显示最近 10 条" in box
    assert "helper11" in box and "helper00" not in box


# --- F13: the admin is reminded to record the court --------------------------------

COURT = "告知书信息待补充"


def test_admin_without_court_is_reminded(client_for, org, org_admin, clerk):
    assert org.court == ""
    box = widget(client_for(org_admin).get("/backoffice/").text, COURT)
    assert "尚未填写管辖法院" in box and "有管辖权的人民法院" in box
    assert "/backoffice/settings/office/" in box
    # Only the admin maintains it, so only the admin is reminded.
    assert COURT not in client_for(clerk).get("/backoffice/").text
    org.court = "河湾区人民法院"
    org.save()
    assert COURT not in client_for(org_admin).get("/backoffice/").text


def test_admin_of_a_body_whose_reconsideration_body_is_unknown_is_reminded(
    client_for, org, org_admin
):
    org.court = "河湾区人民法院"
    org.parent = None  # a root body: the hierarchy names no reconsideration body
    org.level = "town"
    org.save()
    box = widget(client_for(org_admin).get("/backoffice/").text, COURT)
    assert "尚未填写行政复议机关" in box and "有权受理的行政复议机关" in box
    org.reconsideration_body = "某县人民政府"
    org.save()
    assert COURT not in client_for(org_admin).get("/backoffice/").text
