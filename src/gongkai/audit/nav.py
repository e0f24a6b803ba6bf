"""Back-office navigation entries of the audit app (see organizations/extensions.py)."""

from gongkai.organizations.extensions import NavItem

from .views import AUDIT_LOG_ROLES

NAV_ITEMS = [NavItem("audit:event_list", "审计日志", frozenset(AUDIT_LOG_ROLES), order=800)]
