import pytest

from gongkai.organizations.factories import UserFactory


@pytest.fixture
def superuser(db):
    """The platform operator: the holiday calendar is platform-wide."""
    return UserFactory(username="platform", is_superuser=True, is_staff=True)
