"""Back-office navigation entries (see gongkai/platform/extensions.py)."""

from gongkai.organizations.models import Role
from gongkai.platform.extensions import NavItem

NAV_ITEMS = [
    # Platform-wide (every body's deadlines): superusers only (permissions.can_manage_holidays).
    NavItem("workcal:holidays", "节假日安排", frozenset({Role.ADMIN}), order=890, superuser=True),
]
