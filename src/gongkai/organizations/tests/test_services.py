import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.audit.selectors import events_for
from gongkai.organizations.factories import MembershipFactory, UnitFactory, UserFactory
from gongkai.organizations.models import Membership, Role
from gongkai.organizations.services import (
    membership_grant,
    membership_revoke,
    organization_update_office,
    unit_create,
    unit_set_active,
    user_create_with_role,
)

pytestmark = pytest.mark.django_db


def test_update_office_records_changes(org, org_admin):
    organization_update_office(
        organization=org,
        acting_user=org_admin,
        values={"office_phone": "0999-1", "office_hours": org.office_hours},
    )
    org.refresh_from_db()
    assert org.office_phone == "0999-1"
    (event,) = events_for(org)
    assert event.verb == "organization.update"
    assert event.data == {"changed": {"office_phone": {"from": "0000-12345678", "to": "0999-1"}}}


def test_update_office_no_change_no_event(org, org_admin):
    organization_update_office(organization=org, acting_user=org_admin, values={})
    assert not AuditEvent.objects.exists()


def test_update_office_refuses_structure_fields(org, org_admin):
    with pytest.raises(ValueError):
        organization_update_office(
            organization=org, acting_user=org_admin, values={"level": "city"}
        )


def test_update_office_validates_credit_code(org, org_admin):
    with pytest.raises(ValidationError):
        organization_update_office(
            organization=org, acting_user=org_admin, values={"credit_code": "91110000600037341K"}
        )
    org.refresh_from_db()
    assert org.credit_code == ""
    assert not AuditEvent.objects.exists()


def test_unit_create_and_toggle(org, org_admin):
    unit = unit_create(organization=org, name=" 社会事务办公室 ", acting_user=org_admin)
    assert unit.name == "社会事务办公室"
    with pytest.raises(ValidationError, match="已有名为"):
        unit_create(organization=org, name="社会事务办公室", acting_user=org_admin)
    unit_set_active(unit=unit, is_active=False, acting_user=org_admin)
    unit_set_active(unit=unit, is_active=False, acting_user=org_admin)  # no-op, no event
    verbs = [e.verb for e in events_for(unit)]
    assert verbs == ["unit.create", "unit.deactivate"]
    assert events_for(unit).last().to_state == "inactive"


def test_grant_and_revoke(org, other_org, org_admin):
    user = UserFactory()
    unit = UnitFactory(organization=org)
    m = membership_grant(
        organization=org, user=user, role=Role.REVIEWER, unit=unit, acting_user=org_admin
    )
    with pytest.raises(ValidationError, match="已经是本机关的保密审查"):
        membership_grant(organization=org, user=user, role=Role.REVIEWER, acting_user=org_admin)
    with pytest.raises(ValidationError, match="不属于该机关"):
        membership_grant(
            organization=other_org,
            user=user,
            role=Role.CLERK,
            unit=unit,
            acting_user=org_admin,
        )
    membership_revoke(membership=m, acting_user=org_admin)
    assert not Membership.objects.filter(pk=m.pk).exists()
    verbs = list(AuditEvent.objects.filter(organization=org).values_list("verb", flat=True))
    assert sorted(verbs) == ["membership.grant", "membership.revoke"]


def test_last_admin_cannot_be_revoked(org, org_admin):
    only = Membership.objects.get(user=org_admin, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="最后一名管理员"):
        membership_revoke(membership=only, acting_user=org_admin)
    second = MembershipFactory(organization=org, role=Role.ADMIN)
    membership_revoke(membership=only, acting_user=second.user)
    assert not Membership.objects.filter(pk=only.pk).exists()


def test_user_create_with_role(org, org_admin):
    user = user_create_with_role(
        organization=org,
        username="ganhetan_new",
        full_name="新同事",
        email="",
        password="Ganhetan-2024-strong",
        role=Role.CLERK,
        acting_user=org_admin,
    )
    assert user.check_password("Ganhetan-2024-strong")
    assert user.get_full_name() == "新同事"
    assert Membership.objects.filter(user=user, organization=org, role=Role.CLERK).exists()
    with pytest.raises(ValidationError, match="已被使用"):
        user_create_with_role(
            organization=org,
            username="ganhetan_new",
            full_name="x",
            email="",
            password="Ganhetan-2024-strong",
            role=Role.CLERK,
            acting_user=org_admin,
        )


def test_user_create_refuses_weak_password_atomically(org, org_admin):
    with pytest.raises(ValidationError):
        user_create_with_role(
            organization=org,
            username="weak",
            full_name="弱",
            email="",
            password="12345678",
            role=Role.CLERK,
            acting_user=org_admin,
        )
    assert not get_user_model().objects.filter(username="weak").exists()


def test_body_admin_cannot_grant_supervisor(org, org_admin):
    """上级监督 opens every body below: only a platform superuser hands it out."""
    from django.core.exceptions import PermissionDenied

    from gongkai.organizations.forms import GrantForm, NewUserForm

    target = UserFactory(username="wouldbe_supervisor")
    with pytest.raises(PermissionDenied, match="上级监督"):
        membership_grant(organization=org, user=target, role=Role.SUPERVISOR, acting_user=org_admin)
    assert not Membership.objects.filter(user=target).exists()
    for form_class in (GrantForm, NewUserForm):
        offered = [v for v, _ in form_class(organization=org).fields["role"].choices]
        assert Role.SUPERVISOR not in offered and Role.CLERK in offered
    form = GrantForm({"username": "wouldbe_supervisor", "role": "supervisor"}, organization=org)
    assert not form.is_valid() and "role" in form.errors
    root = UserFactory(username="root", is_superuser=True)
    membership_grant(organization=org, user=target, role=Role.SUPERVISOR, acting_user=root)
    offered = [v for v, _ in GrantForm(organization=org, acting_user=root).fields["role"].choices]
    assert Role.SUPERVISOR in offered


def test_office_fields_are_one_list():
    from gongkai.organizations.admin import OrganizationAdminForm
    from gongkai.organizations.forms import OfficeForm
    from gongkai.organizations.services import OFFICE_FIELDS

    # The very same tuple object, not a retyped copy that could drift.
    assert OfficeForm.Meta.fields is OFFICE_FIELDS
    admin_fields = OrganizationAdminForm._meta.fields
    assert tuple(admin_fields[-len(OFFICE_FIELDS) :]) == OFFICE_FIELDS
    assert len(admin_fields) == len(set(admin_fields))


def test_a_grant_to_oneself_is_audited_as_such(org, org_admin):
    # Issue #9: a body admin could grant itself clerk, reviewer and approver unnoticed.
    other = UserFactory()
    membership_grant(organization=org, user=other, role=Role.CLERK, acting_user=org_admin)
    membership_grant(organization=org, user=org_admin, role=Role.APPROVER, acting_user=org_admin)
    events = {e.data["user"]: e for e in AuditEvent.objects.filter(verb="membership.grant")}
    assert events[other.username].data["self_grant"] is False
    mine = events[org_admin.username]
    assert mine.data["self_grant"] is True and mine.to_state == Role.APPROVER
    assert mine.actor == org_admin
