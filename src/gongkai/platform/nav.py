"""Back-office navigation entries of the platform's own pages (see extensions.py)."""

from gongkai.organizations.models import Role

from .extensions import NavItem
from .views.audit import AUDIT_LOG_ROLES

NAV_ITEMS = [
    NavItem("organizations:dashboard", "工作台", order=0),
    NavItem("audit:event_list", "审计日志", frozenset(AUDIT_LOG_ROLES), order=800),
    NavItem("organizations:organization_list", "机关与人员", order=900),
    NavItem("organizations:office_edit", "本机关设置", frozenset({Role.ADMIN}), order=910),
]
