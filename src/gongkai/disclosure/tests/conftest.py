import datetime as dt

import pytest
from django.utils import timezone

from gongkai.disclosure import services
from gongkai.disclosure.models import Item
from gongkai.organizations.factories import user_with_role
from gongkai.organizations.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def item_data():
    return {
        "title": "关于2024年春耕生产的通知",
        "document_number": "测政发〔2024〕1号",
        "body": "各村委会：请做好春耕准备。",
        "formed_on": dt.date(2024, 3, 1),
        "kind": Item.Kind.NOTICE,
    }


@pytest.fixture
def draft(org, clerk, item_data):
    return services.item_create(organization=org, acting_user=clerk, data=item_data)


@pytest.fixture
def in_review(draft, clerk):
    return services.item_submit(item=draft, acting_user=clerk)


@pytest.fixture
def in_approval(in_review, reviewer):
    return services.item_review_pass(item=in_review, acting_user=reviewer)


@pytest.fixture
def published(in_approval, approver):
    return services.item_approve(item=in_approval, acting_user=approver, now=timezone.now())


@pytest.fixture
def all_roles_user(org):
    """One person holding every working role (a small town's office)."""
    user = user_with_role(org, Role.CLERK, username="allrounder")
    for role in (Role.REVIEWER, Role.APPROVER):
        from gongkai.organizations.factories import MembershipFactory

        MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def superuser(org):
    """The platform operator (holiday calendar is platform-wide)."""
    from gongkai.organizations.factories import UserFactory

    user = UserFactory(username="platform", is_superuser=True, is_staff=True)
    return user
