import pytest

from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import UnitFactory, UserFactory
from gongkai.organizations.models import Membership, Role

pytestmark = pytest.mark.django_db

PAGES = [
    "/backoffice/settings/office/",
    "/backoffice/settings/units/",
    "/backoffice/settings/people/",
]


@pytest.mark.parametrize("url", PAGES)
def test_only_admin_may_open(client_for, url, org_admin, clerk, supervisor, approver):
    assert client_for(org_admin).get(url).status_code == 200
    for user in (clerk, approver, supervisor):
        assert client_for(user).get(url).status_code == 403


def test_nav_link_only_for_admin(client_for, org_admin, clerk):
    assert "本机关设置" in client_for(org_admin).get("/backoffice/").text
    assert "本机关设置" not in client_for(clerk).get("/backoffice/").text


def test_office_edit(client_for, org_admin, org):
    client = client_for(org_admin)
    data = {
        "short_name": "测试镇",
        "credit_code": "",
        "office_name": "党政办",
        "office_address": "新地址 8 号",
        "office_hours": "工作日",
        "office_phone": "0999-2",
        "office_fax": "",
        "office_email": "a@example.org",
        "office_postcode": "999131",
        "office_website": "www.example.gov.cn",
    }
    response = client.post("/backoffice/settings/office/", data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.office_address == "新地址 8 号"
    assert org.office_website == "https://www.example.gov.cn"
    assert AuditEvent.objects.filter(verb="organization.update", actor=org_admin).exists()


def test_office_edit_errors_in_chinese(client_for, org_admin, org):
    response = client_for(org_admin).post(
        "/backoffice/settings/office/",
        {"office_postcode": "12", "credit_code": "123", "office_email": "not-an-email"},
    )
    assert response.status_code == 200
    assert "邮政编码应为 6 位数字" in response.text
    assert "统一社会信用代码应为 18 位" in response.text
    org.refresh_from_db()
    assert org.office_postcode == ""


def test_units_add_and_toggle(client_for, org_admin, org, other_org):
    client = client_for(org_admin)
    assert client.post("/backoffice/settings/units/", {"name": "经济发展办公室"}).status_code == 302
    unit = org.units.get(name="经济发展办公室")
    duplicate = client.post("/backoffice/settings/units/", {"name": "经济发展办公室"})
    assert "已有名为" in duplicate.text
    assert client.post(f"/backoffice/settings/units/{unit.pk}/toggle/").status_code == 302
    unit.refresh_from_db()
    assert unit.is_active is False
    foreign = UnitFactory(organization=other_org)
    assert client.post(f"/backoffice/settings/units/{foreign.pk}/toggle/").status_code == 404
    assert client.get(f"/backoffice/settings/units/{unit.pk}/toggle/").status_code == 405


def test_grant_existing_user(client_for, org_admin, org):
    colleague = UserFactory(username="colleague")
    client = client_for(org_admin)
    response = client.post(
        "/backoffice/settings/people/grant/", {"username": "colleague", "role": "reviewer"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, organization=org, role="reviewer").exists()
    missing = client.post(
        "/backoffice/settings/people/grant/", {"username": "nobody", "role": "reviewer"}
    )
    assert missing.status_code == 400
    assert "没有这个用户名" in missing.text


def test_create_user(client_for, org_admin, org):
    client = client_for(org_admin)
    response = client.post(
        "/backoffice/settings/people/new/",
        {
            "username": "ganhetan_wang",
            "full_name": "王五",
            "email": "",
            "password": "River-Willow-2031",
            "role": "clerk",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="ganhetan_wang", organization=org).exists()
    weak = client.post(
        "/backoffice/settings/people/new/",
        {"username": "weak_one", "full_name": "弱", "password": "123", "role": "clerk"},
    )
    assert weak.status_code == 400
    assert "密码" in weak.text


def test_revoke(client_for, org_admin, clerk, org, other_clerk):
    client = client_for(org_admin)
    membership = Membership.objects.get(user=clerk, organization=org)
    assert client.post(f"/backoffice/settings/people/{membership.pk}/revoke/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    foreign = Membership.objects.get(user=other_clerk)
    assert client.post(f"/backoffice/settings/people/{foreign.pk}/revoke/").status_code == 404
    own = Membership.objects.get(user=org_admin, role=Role.ADMIN)
    response = client.post(f"/backoffice/settings/people/{own.pk}/revoke/", follow=True)
    assert "最后一名管理员" in response.text
    assert Membership.objects.filter(pk=own.pk).exists()


def test_self_grants_are_shown_to_the_supervisor(client_for, org, org_admin, supervisor, clerk):
    # Issue #9: role grants to oneself are audited and visible to the supervisor.
    admin = client_for(org_admin)
    r = admin.post(
        "/backoffice/settings/people/grant/",
        {"username": org_admin.username, "role": Role.APPROVER},
        follow=True,
    )
    assert "给自己" in r.text and "上级" in r.text
    admin.post(
        "/backoffice/settings/people/grant/", {"username": clerk.username, "role": Role.REVIEWER}
    )
    page = client_for(supervisor).get("/backoffice/")
    assert "自行授予的岗位" in page.text
    assert org_admin.username in page.text and "审批领导" in page.text
    widget = page.text[page.text.index("自行授予的岗位") :]
    assert "保密审查" not in widget.split("</section>")[0]  # a grant to someone else is not listed
    # The body's own staff do not get the supervisor's widget.
    assert "自行授予的岗位" not in client_for(clerk).get("/backoffice/").text
