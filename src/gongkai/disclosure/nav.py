"""Back-office navigation entries (see gongkai/organizations/extensions.py).

One top-level entry; the disclosure pages share a tab bar of their own
(templates/disclosure/_tabs.html) so the main navigation stays short.
"""

from gongkai.organizations.extensions import NavItem
from gongkai.organizations.models import Role

NAV_ITEMS = [
    NavItem("disclosure:item_list", "主动公开", order=10),
    # Platform-wide (every body's deadlines): superusers only (permissions.can_manage_holidays).
    NavItem(
        "disclosure:holidays", "节假日安排", frozenset({Role.ADMIN}), order=890, superuser=True
    ),
]
