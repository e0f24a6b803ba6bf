"""Who may do what with annual reports (one place, used by views and services).

- view: any member of the body, and supervisors above it (read-only);
- edit the prose, refresh, submit, import earlier reports: 经办人 or 管理员;
- approve or return: 审批领导;
- publish: 审批领导 or 管理员;
- record a correction after publication: 审批领导 or 管理员;
- supervision pages and settings: 监督 (of the supervising body) or its 管理员.
"""

from __future__ import annotations

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import can_view_org, has_role


def can_view(user, report_or_org) -> bool:
    org = getattr(report_or_org, "organization", report_or_org)
    return can_view_org(user, org)


def can_edit(user, org) -> bool:
    return has_role(user, org, Role.CLERK, Role.ADMIN)


def can_submit(user, org) -> bool:
    return has_role(user, org, Role.CLERK, Role.ADMIN)


def can_approve(user, org) -> bool:
    return has_role(user, org, Role.APPROVER)


def can_publish(user, org) -> bool:
    return has_role(user, org, Role.APPROVER, Role.ADMIN)


def can_correct(user, org) -> bool:
    return has_role(user, org, Role.APPROVER, Role.ADMIN)


def can_import(user, org) -> bool:
    return has_role(user, org, Role.CLERK, Role.ADMIN)


def can_supervise(user, org) -> bool:
    return has_role(user, org, Role.SUPERVISOR, Role.ADMIN) and org.children.exists()


def can_configure_supervision(user, org) -> bool:
    return has_role(user, org, Role.ADMIN)
