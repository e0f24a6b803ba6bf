import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from gongkai.organizations.factories import MembershipFactory, OrganizationFactory, UserFactory
from gongkai.organizations.models import Membership, Organization, Role
from gongkai.organizations.permissions import (
    SESSION_KEY,
    can_view_org,
    current_organization,
    has_role,
    organizations_visible_to,
    organizations_where,
    roles_of,
    scope_to_user,
    set_current_organization,
)

pytestmark = pytest.mark.django_db


def fresh(user):
    """Drop per-request caches by reloading the user."""
    return type(user).objects.get(pk=user.pk)


def test_member_sees_only_own_org(clerk, org, other_org, district):
    assert set(organizations_visible_to(clerk)) == {org}
    assert can_view_org(clerk, org)
    assert not can_view_org(clerk, other_org)
    assert not can_view_org(clerk, district)


def test_supervisor_sees_all_descendants(supervisor, district, org, other_org):
    grandchild = OrganizationFactory(parent=org)
    outside = OrganizationFactory()
    visible = set(organizations_visible_to(fresh(supervisor)))
    assert visible == {district, org, other_org, grandchild}
    assert outside not in visible


def test_supervisor_role_inherited_read_only(supervisor, org):
    assert roles_of(supervisor, org) == {Role.SUPERVISOR}
    assert has_role(supervisor, org, Role.SUPERVISOR)
    assert not has_role(supervisor, org, Role.CLERK, Role.APPROVER)


def test_roles_of_multiple_roles(clerk, org, other_org):
    MembershipFactory(user=clerk, organization=org, role=Role.REVIEWER)
    MembershipFactory(user=clerk, organization=other_org, role=Role.APPROVER)
    assert roles_of(clerk, org) == {"clerk", "reviewer"}
    assert roles_of(clerk, other_org) == {"approver"}
    assert has_role(clerk, other_org, Role.APPROVER)
    assert not has_role(clerk, other_org, Role.CLERK)


def test_has_role_rejects_unknown_role(clerk, org):
    with pytest.raises(ValueError):
        has_role(clerk, org, "boss")


def test_anonymous_and_inactive_see_nothing(clerk, org):
    anon = AnonymousUser()
    assert not organizations_visible_to(anon).exists()
    assert roles_of(anon, org) == set()
    clerk.is_active = False
    clerk.save()
    assert not can_view_org(fresh(clerk), org)


def test_superuser_sees_all_and_holds_all_roles(org, other_org):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert {org, other_org} <= set(organizations_visible_to(root))
    assert has_role(root, org, Role.APPROVER)


def test_inactive_organization_hidden(clerk, org):
    org.is_active = False
    org.save()
    assert not organizations_visible_to(fresh(clerk)).exists()


def test_scope_to_user_filters_querysets(clerk, supervisor, org, other_org, other_clerk):
    qs = Membership.objects.all()
    assert set(scope_to_user(qs, clerk).values_list("organization", flat=True)) == {org.pk}
    sup_orgs = set(scope_to_user(qs, fresh(supervisor)).values_list("organization", flat=True))
    assert {org.pk, other_org.pk} <= sup_orgs
    assert not scope_to_user(qs, AnonymousUser()).exists()
    # a custom org path
    scoped = scope_to_user(Organization.objects.all(), clerk, org_field="pk")
    assert list(scoped) == [org]


def test_organizations_where_is_direct_only(supervisor, district, org):
    assert list(organizations_where(supervisor, Role.SUPERVISOR)) == [district]
    assert not organizations_where(supervisor, Role.CLERK).exists()


def _request(user, session=None):
    request = RequestFactory().get("/backoffice/")
    request.user = user
    request.session = session if session is not None else {}
    return request


def test_current_organization_default_and_switch(clerk, org, other_org):
    MembershipFactory(user=clerk, organization=other_org, role=Role.CLERK)
    clerk = fresh(clerk)
    session = {}
    assert current_organization(_request(clerk, session)) == other_org  # "另…" sorts first
    set_current_organization(_request(clerk, session), org)
    assert session[SESSION_KEY] == org.pk
    assert current_organization(_request(clerk, session)) == org


def test_current_organization_ignores_stale_session_choice(clerk, org, other_org):
    session = {SESSION_KEY: other_org.pk}  # not visible to clerk
    assert current_organization(_request(clerk, session)) == org


def test_set_current_organization_refuses_invisible(clerk, other_org):
    with pytest.raises(PermissionError):
        set_current_organization(_request(clerk), other_org)


def test_supervisor_defaults_to_own_body(supervisor, district, org):
    assert current_organization(_request(fresh(supervisor))) == district


def test_user_without_membership_has_no_current_org(db):
    assert current_organization(_request(UserFactory())) is None


def test_roles_of_is_memoised_per_user_and_organization(
    clerk, org, other_org, django_assert_num_queries
):
    from gongkai.organizations.factories import MembershipFactory
    from gongkai.organizations.permissions import forget_cached_permissions, roles_of

    assert roles_of(clerk, org) == {"clerk"}
    with django_assert_num_queries(0):
        for _ in range(5):
            assert roles_of(clerk, org) == {"clerk"}
            assert not has_role(clerk, org, "approver")
    MembershipFactory(user=clerk, organization=org, role="reviewer")
    forget_cached_permissions(clerk)
    assert roles_of(clerk, org) == {"clerk", "reviewer"}


def test_membership_grant_refreshes_the_cached_roles(clerk, org, org_admin):
    from gongkai.organizations.permissions import roles_of
    from gongkai.organizations.services import membership_grant

    assert roles_of(clerk, org) == {"clerk"}
    membership_grant(organization=org, user=clerk, role="reviewer", acting_user=org_admin)
    assert roles_of(clerk, org) == {"clerk", "reviewer"}
