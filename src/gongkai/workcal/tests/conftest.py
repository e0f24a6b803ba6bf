import pytest

# The default cache on LocMem or on the real Redis (a key prefix per test).
from gongkai.core.tests.conftest import locmem_cache, redis_cache  # noqa: F401
from gongkai.organizations.factories import UserFactory


@pytest.fixture
def superuser(db):
    """The platform operator: the holiday calendar is platform-wide."""
    return UserFactory(username="platform", is_superuser=True, is_staff=True)
