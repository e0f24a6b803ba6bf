"""Who may do what with annual reports (one place, used by views and services).

- view: any member of the body, and supervisors above it (read-only);
- edit the prose, refresh, submit, import earlier reports: 经办人 or 管理员;
- approve or return: 审批领导 — never the person who submitted the report or last
  changed its prose; an imported report is confirmed (made public) by a 审批领导
  other than the importer (no one person publishes alone, issue #9);
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


def last_editor_id(report) -> int | None:
    """Who last changed the report's prose (falls back to whoever started it)."""
    return report.last_edited_by_id or report.created_by_id


def is_author(user, report) -> bool:
    """``user`` submitted the report, last changed its prose, or imported it."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in {
        report.submitted_by_id,
        last_editor_id(report),
        report.created_by_id if report.source == "imported" else None,
    }


def can_approve_report(user, report) -> bool:
    """The approve / confirm-import button: the role, and not one of its authors."""
    return can_approve(user, report.organization) and not is_author(user, report)


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
