"""Back-office navigation entries of the applications app."""

from gongkai.organizations.models import Role
from gongkai.platform.extensions import NavItem

from .permissions import TEMPLATE_ROLES

NAV_ITEMS = [
    NavItem("applications:list", "依申请公开", order=20),
    NavItem(
        "applications:extension_list", "待我批准的延期", frozenset({Role.OFFICE_HEAD}), order=21
    ),
    NavItem("applications:intake", "统一受理", order=22),
    NavItem("applications:template_list", "文书模板", frozenset(TEMPLATE_ROLES), order=850),
]
