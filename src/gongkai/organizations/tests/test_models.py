import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.annual.format import LEVELS
from gongkai.organizations.factories import MembershipFactory, OrganizationFactory, UnitFactory
from gongkai.organizations.models import Membership, Organization, Role


def test_levels_are_the_format_levels():
    assert Organization.Level.choices == list(LEVELS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "expected"),
    [("province", True), ("city", True), ("county", False), ("town", False), ("department", False)],
)
def test_may_make_regulations_defaults_from_level(level, expected):
    org = OrganizationFactory(level=level)
    org.refresh_from_db()
    assert org.may_make_regulations is expected


@pytest.mark.django_db
def test_may_make_regulations_explicit_value_kept():
    org = OrganizationFactory(level="county", may_make_regulations=True)
    org.refresh_from_db()
    assert org.may_make_regulations is True


@pytest.mark.django_db
def test_descendants_and_ancestors():
    root = OrganizationFactory(level="county")
    a = OrganizationFactory(parent=root)
    b = OrganizationFactory(parent=root, level="department")
    a1 = OrganizationFactory(parent=a)
    stranger = OrganizationFactory()
    assert root.descendant_ids() == {a.pk, b.pk, a1.pk}
    assert set(root.descendants(include_self=True)) == {root, a, b, a1}
    assert set(a.descendants()) == {a1}
    assert a1.ancestors() == [a, root]
    assert stranger.descendant_ids() == set()


@pytest.mark.django_db
def test_parent_cannot_be_descendant():
    root = OrganizationFactory()
    child = OrganizationFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as exc:
        root.full_clean()
    assert "上级机关" in str(exc.value)


@pytest.mark.django_db
def test_db_refuses_own_parent():
    org = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=org.pk).update(parent=org.pk)


@pytest.mark.django_db
def test_slug_must_be_ascii():
    org = OrganizationFactory.build(slug="甘河滩", level="town", name="x")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "slug" in exc.value.message_dict


@pytest.mark.django_db
def test_invalid_credit_code_refused_by_full_clean():
    org = OrganizationFactory.build(credit_code="91110000600037341K")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "credit_code" in exc.value.message_dict


@pytest.mark.django_db
def test_membership_unique_per_role_but_many_roles_allowed(org, clerk):
    MembershipFactory(user=clerk, organization=org, role=Role.REVIEWER)
    assert Membership.objects.filter(user=clerk, organization=org).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=clerk, organization=org, role=Role.CLERK)


@pytest.mark.django_db
def test_membership_unit_must_belong_to_organization(org, other_org, clerk):
    foreign_unit = UnitFactory(organization=other_org)
    m = Membership(user=clerk, organization=org, role=Role.APPROVER, unit=foreign_unit)
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "不属于该机关" in str(exc.value)


@pytest.mark.django_db
def test_unit_name_unique_per_organization(org, other_org):
    UnitFactory(organization=org, name="党政办公室")
    UnitFactory(organization=other_org, name="党政办公室")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(organization=org, name="党政办公室")
