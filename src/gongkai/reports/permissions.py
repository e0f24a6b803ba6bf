"""Who may do what with annual reports (one place, used by views and services).

- view: any member of the body, and supervisors above it (read-only);
- edit the prose, refresh, submit, import earlier reports: 经办人 or 管理员;
- approve or return: 审批领导 — never the person who submitted the report or last
  changed its prose; an imported report is confirmed (made public) by a 审批领导
  other than the importer (no one person publishes alone, issue #9);
- publish: 审批领导 or 管理员;
- record a correction after publication: 审批领导 or 管理员 open it and may
  correct its prose (held on the correction, not public yet); only a 审批领导
  closes it (the corrected figures and prose become public), and never the
  person who last changed the correction's prose — the same rule as approving
  a report (no one person publishes alone, review of issue #9);
- supervision pages and settings: 监督 (of the supervising body) or its 管理员.

These are role and authorship rules; which step a report's state allows is
``workflow.py``'s.  :func:`may` joins the two for the back office's buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import can_view_org, has_role

from .workflow import IMPORTED


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
        report.created_by_id if report.source == IMPORTED else None,
    }


def can_approve_report(user, report) -> bool:
    """The approve / confirm-import button: the role, and not one of its authors."""
    return can_approve(user, report.organization) and not is_author(user, report)


def can_publish(user, org) -> bool:
    return has_role(user, org, Role.APPROVER, Role.ADMIN)


def can_return(user, report) -> bool:
    """退回: the 审批领导; an approved report also whoever may publish it (it goes
    back to the clerk instead of out)."""
    org = report.organization
    return can_approve(user, org) or (report.status == "approved" and can_publish(user, org))


def can_correct(user, org) -> bool:
    """Open a correction and correct its prose."""
    return has_role(user, org, Role.APPROVER, Role.ADMIN)


def correction_close_refusal(user, correction) -> str:
    """Why ``user`` may not close ``correction`` (a Chinese sentence), or ``""``.

    Closing publishes what the correction changed.  A 审批领导 closes it, and
    not the person who last changed its prose (``AnnualReport.last_edited_by``,
    which ``report_correction_update_prose`` sets): the same rule as
    :func:`can_approve_report`.
    """
    report = correction.report
    if not can_approve(user, report.organization):
        return "完成更正须由审批领导办理：完成后更正的数字和正文将在门户网站公开。"
    if correction.prose_changes and last_editor_id(report) == getattr(user, "pk", None):
        return "您最后修改了本次更正的正文，须由另一位审批领导核对后完成更正。"
    return ""


def can_close_correction(user, correction) -> bool:
    return not correction_close_refusal(user, correction)


def can_import(user, org) -> bool:
    return has_role(user, org, Role.CLERK, Role.ADMIN)


def can_supervise(user, org) -> bool:
    return has_role(user, org, Role.SUPERVISOR, Role.ADMIN) and org.children.exists()


def can_configure_supervision(user, org) -> bool:
    return has_role(user, org, Role.ADMIN)


# Who may take each step of workflow.REPORT / IMPORTED_REPORT (the state aside):
# the back office shows a step's button only when this says yes.  The services
# check the role first and separation of duties after the state (approve,
# confirm), with their own sentences.
STEP_RULES: dict[str, Callable[..., bool]] = {
    "submit": lambda user, report: can_submit(user, report.organization),
    "return": can_return,
    "approve": can_approve_report,
    "publish": lambda user, report: can_publish(user, report.organization),
    "confirm": can_approve_report,
    "reject": lambda user, report: can_approve(user, report.organization),
}


def may(user, report, action: str) -> bool:
    """``user`` may take ``action`` on ``report`` (its state aside: see ``workflow``)."""
    return STEP_RULES[action](user, report)
