import pytest
from django.urls import reverse

from gongkai.organizations.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from gongkai.organizations.models import Role
from gongkai.organizations.permissions import SESSION_KEY

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client):
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")


def test_login_page_is_chinese_and_login_works(client, clerk):
    page = client.get("/backoffice/login/")
    assert page.status_code == 200
    assert "工作人员登录" in page.text
    response = client.post(
        "/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/backoffice/"
    assert "工作台" in response.text


def test_bad_login_shows_chinese_error(client, clerk):
    response = client.post("/backoffice/login/", {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.text


def test_logout_is_post_only(client_for, clerk):
    client = client_for(clerk)
    assert client.get("/backoffice/logout/").status_code == 405
    response = client.post("/backoffice/logout/")
    assert response.status_code == 302
    assert client.get("/backoffice/").status_code == 302


def test_dashboard_lists_memberships_and_header(client_for, clerk, org, unit):
    MembershipFactory(user=clerk, organization=org, role=Role.REVIEWER, unit=unit)
    response = client_for(clerk).get("/backoffice/")
    assert response.status_code == 200
    text = response.text
    assert org.name in text
    assert "经办人" in text and "保密审查" in text
    assert "党政办公室" in text
    assert 'action="/backoffice/logout/"' in text
    # nav from platform/nav.py; the audit log link is role-restricted
    assert reverse("organizations:organization_list") in text
    assert reverse("audit:event_list") not in text


def test_nav_shows_audit_link_for_admin(client_for, org_admin):
    assert reverse("audit:event_list") in client_for(org_admin).get("/backoffice/").text


def test_user_without_membership_sees_notice(client_for):
    response = client_for(UserFactory()).get("/backoffice/")
    assert "尚未分配到任何机关" in response.text
    assert client_for(UserFactory()).get("/backoffice/organizations/").status_code == 403


def test_switcher_shown_only_with_several_orgs(client_for, clerk, org, other_org):
    client = client_for(clerk)
    assert 'name="organization"' not in client.get("/backoffice/").text
    MembershipFactory(user=clerk, organization=other_org, role=Role.CLERK)
    assert 'name="organization"' in client.get("/backoffice/").text


def test_switch_organization(client_for, clerk, org, other_org):
    MembershipFactory(user=clerk, organization=other_org, role=Role.CLERK)
    client = client_for(clerk)
    response = client.post(
        "/backoffice/switch/", {"organization": org.pk, "next": "/backoffice/organizations/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/organizations/"
    assert client.session[SESSION_KEY] == org.pk


def test_switch_to_invisible_org_forbidden(client_for, clerk, other_org):
    client = client_for(clerk)
    response = client.post("/backoffice/switch/", {"organization": other_org.pk})
    assert response.status_code == 403
    assert "无权" in response.text
    assert SESSION_KEY not in client.session


def test_switch_ignores_offsite_next(client_for, clerk, org):
    response = client_for(clerk).post(
        "/backoffice/switch/", {"organization": org.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/backoffice/"


def test_switch_requires_post(client_for, clerk):
    assert client_for(clerk).get("/backoffice/switch/").status_code == 405


def test_organization_detail_scoped(client_for, clerk, org, other_org):
    client = client_for(clerk)
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    assert org.office_address in response.text
    assert "人员与岗位" not in response.text  # clerks don't see the people list
    assert client.get(other_org.get_absolute_url()).status_code == 404


def test_organization_detail_people_for_admin_and_supervisor(
    client_for, org_admin, supervisor, clerk, org
):
    assert "clerk" in client_for(org_admin).get(org.get_absolute_url()).text
    assert "clerk" in client_for(supervisor).get(org.get_absolute_url()).text


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_404_page_is_chinese(client):
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    assert "页面不存在" in response.text


def test_csrf_failure_page_is_chinese(clerk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/backoffice/login/", {"username": "clerk", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.text


def test_people_page_offers_supervisor_role_only_to_a_superuser(client_for, org, org_admin):
    """A body's admin cannot hand out 上级监督 (it opens every body below); the
    superuser, working in the same page, can."""
    url = reverse("organizations:people")
    admin_page = client_for(org_admin).get(url)
    assert admin_page.status_code == 200
    assert f'value="{Role.SUPERVISOR}"' not in admin_page.content.decode()

    root = UserFactory(is_superuser=True, is_staff=True)
    client = client_for(root)
    session = client.session
    session[SESSION_KEY] = org.pk
    session.save()
    root_page = client.get(url)
    assert root_page.status_code == 200
    assert f'value="{Role.SUPERVISOR}"' in root_page.content.decode()
