"""The Django admin grants and revokes roles only through ``membership_grant`` /
``membership_revoke`` (review #9 F7): every change is audited, a grant to
oneself is flagged for the supervisor, and the last admin of a body stays."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import TEST_PASSWORD, UnitFactory, UserFactory
from gongkai.organizations.models import Membership, Role
from gongkai.organizations.services import OFFICE_FIELDS

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/admin/organizations/membership/"


@pytest.fixture
def boss():
    return get_user_model().objects.create_superuser("boss", password=TEST_PASSWORD)


@pytest.fixture
def admin_client(boss):
    client = Client()
    client.force_login(boss)
    return client


def test_a_role_added_in_the_admin_is_granted_through_the_service(admin_client, org, boss, clerk):
    response = admin_client.post(
        MEMBERSHIPS + "add/", {"user": clerk.pk, "organization": org.pk, "role": Role.APPROVER}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=clerk, organization=org, role=Role.APPROVER)
    event = AuditEvent.objects.get(verb="membership.grant")
    assert event.actor == boss and event.organization == org
    assert event.to_state == Role.APPROVER and event.object_id == str(membership.pk)
    assert event.data == {"user": "clerk", "self_grant": False}


def test_a_grant_to_oneself_in_the_admin_is_flagged(admin_client, org, boss):
    response = admin_client.post(
        MEMBERSHIPS + "add/", {"user": boss.pk, "organization": org.pk, "role": Role.REVIEWER}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="membership.grant").data["self_grant"] is True


def test_admin_add_form_errors_are_shown_not_raised(admin_client, org, other_org, clerk):
    foreign_unit = UnitFactory(organization=other_org)
    response = admin_client.post(
        MEMBERSHIPS + "add/",
        {"user": clerk.pk, "organization": org.pk, "role": Role.CLERK, "unit": foreign_unit.pk},
    )
    assert response.status_code == 200
    assert "所选科室不属于该机关" in response.text
    duplicate = admin_client.post(
        MEMBERSHIPS + "add/", {"user": clerk.pk, "organization": org.pk, "role": Role.CLERK}
    )
    assert duplicate.status_code == 200
    assert Membership.objects.filter(user=clerk).count() == 1
    assert not AuditEvent.objects.filter(verb="membership.grant").exists()


def test_a_membership_cannot_be_edited_in_place(admin_client, org, clerk):
    membership = Membership.objects.get(user=clerk, organization=org)
    url = f"{MEMBERSHIPS}{membership.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="role"' not in page.text  # shown read-only: revoke and grant instead
    admin_client.post(url, {"user": clerk.pk, "organization": org.pk, "role": Role.APPROVER})
    membership.refresh_from_db()
    assert membership.role == Role.CLERK


def test_deleting_in_the_admin_revokes_through_the_service(admin_client, org, boss, clerk):
    membership = Membership.objects.get(user=clerk, organization=org)
    response = admin_client.post(f"{MEMBERSHIPS}{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(verb="membership.revoke")
    assert event.actor == boss and event.from_state == Role.CLERK


def test_the_last_admin_cannot_be_deleted_in_the_admin(admin_client, org, org_admin):
    membership = Membership.objects.get(user=org_admin, organization=org, role=Role.ADMIN)
    response = admin_client.post(
        f"{MEMBERSHIPS}{membership.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "最后一名管理员" in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.filter(verb="membership.revoke").exists()


def test_bulk_revoke_action_goes_through_the_service(admin_client, org, org_admin, clerk, approver):
    ids = list(
        Membership.objects.filter(user__in=[clerk, approver, org_admin]).values_list(
            "pk", flat=True
        )
    )
    response = admin_client.post(
        MEMBERSHIPS,
        {"action": "revoke_selected", "_selected_action": ids},
        follow=True,
    )
    assert response.status_code == 200
    assert "已撤销 2 个岗位" in response.text and "最后一名管理员" in response.text
    assert set(Membership.objects.values_list("user__username", flat=True)) == {"org_admin"}
    assert AuditEvent.objects.filter(verb="membership.revoke").count() == 2
    # Django's own bulk delete, which would bypass the audit, is not offered.
    assert "delete_selected" not in admin_client.get(MEMBERSHIPS).text


# --- the inline on the body's page -------------------------------------------------


def organization_post(org, memberships: list[dict], *, initial: int) -> dict:
    data = {
        "name": org.name,
        "level": org.level,
        "parent": org.parent_id or "",
        "may_make_regulations": "unknown",
        "is_active": "on",
        "slug": org.slug,
        **{name: getattr(org, name) for name in OFFICE_FIELDS},
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(initial),
    }
    for i, row in enumerate(memberships):
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = value
    return data


def test_inline_additions_and_deletions_go_through_the_services(
    admin_client, org, boss, clerk, org_admin
):
    existing = list(Membership.objects.filter(organization=org).order_by("pk"))
    newcomer = UserFactory(username="newcomer")
    rows = [
        {
            "id": m.pk,
            "organization": org.pk,
            **({"DELETE": "on"} if m.user == clerk else {}),
        }
        for m in existing
    ]
    rows.append({"organization": org.pk, "user": newcomer.pk, "role": Role.APPROVER, "unit": ""})
    url = f"/admin/organizations/organization/{org.pk}/change/"
    response = admin_client.post(url, organization_post(org, rows, initial=len(existing)))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=newcomer, role=Role.APPROVER).exists()
    assert not Membership.objects.filter(user=clerk).exists()
    grant = AuditEvent.objects.get(verb="membership.grant")
    assert grant.actor == boss and grant.data["user"] == "newcomer"
    assert AuditEvent.objects.get(verb="membership.revoke").data["user"] == "clerk"
    assert Membership.objects.filter(user=org_admin, role=Role.ADMIN).exists()


def test_inline_refuses_to_delete_the_last_admin(admin_client, org, org_admin):
    admin_membership = Membership.objects.get(user=org_admin, role=Role.ADMIN)
    rows = [{"id": admin_membership.pk, "organization": org.pk, "DELETE": "on"}]
    url = f"/admin/organizations/organization/{org.pk}/change/"
    response = admin_client.post(url, organization_post(org, rows, initial=1))
    assert response.status_code == 200
    assert "最后一名管理员" in response.text
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    assert not AuditEvent.objects.filter(verb="membership.revoke").exists()


def test_inline_rows_are_read_only(admin_client, org, clerk):
    membership = Membership.objects.get(user=clerk, organization=org)
    page = admin_client.get(f"/admin/organizations/organization/{org.pk}/change/")
    assert page.status_code == 200
    rows = [{"id": membership.pk, "organization": org.pk, "role": Role.ADMIN, "user": clerk.pk}]
    admin_client.post(
        f"/admin/organizations/organization/{org.pk}/change/",
        organization_post(org, rows, initial=1),
    )
    membership.refresh_from_db()
    assert membership.role == Role.CLERK
    assert not AuditEvent.objects.filter(verb__startswith="membership.").exists()
