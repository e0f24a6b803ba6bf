"""Back-office navigation entries of the notifications (my notices are in the header)."""

from gongkai.platform.extensions import NavItem

from .permissions import ADMIN_ROLES, LOG_ROLES

NAV_ITEMS = [
    NavItem("notifications:log", "通知发送记录", frozenset(LOG_ROLES), order=860),
    NavItem("notifications:template_list", "通知模板", frozenset(ADMIN_ROLES), order=855),
]
