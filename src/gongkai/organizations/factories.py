"""factory_boy factories for tests of every app (import from here or use the
fixtures in gongkai/conftest.py)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from .models import Membership, Organization, Role, Unit

TEST_PASSWORD = "gongkai-test-pass-2024"  # noqa: S105 - test-only password


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试镇{n}人民政府")
    short_name = ""
    level = Organization.Level.TOWN
    slug = factory.Sequence(lambda n: f"org{n}")
    is_active = True
    office_name = factory.LazyAttribute(lambda o: f"{o.name}党政办公室")
    office_address = "测试路1号"
    office_phone = "0000-12345678"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = ""
    last_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CLERK
    unit = None


def user_with_role(organization: Organization, role: str, *, username: str | None = None, **kw):
    """A new user holding ``role`` in ``organization``."""
    user = UserFactory(**({"username": username} if username else {}), **kw)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
