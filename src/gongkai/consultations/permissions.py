"""Who may see and do what with consultations, in one place.

Drafting, moderating and recording decisions: the body's 经办人 (and its 公开办负责人
and 管理员); approving publication: its 审批领导.  A supervisor reads, never
writes, and never sees a commenter's name or contact.
"""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import can_view_org, has_role, roles_of, scope_to_user

from .models import Comment, Consultation

HANDLER_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)
APPROVER_ROLES = (Role.APPROVER,)


def consultations_visible_to(user) -> QuerySet[Consultation]:
    return scope_to_user(Consultation.objects.all(), user)


def comments_visible_to(user) -> QuerySet[Comment]:
    return scope_to_user(Comment.objects.all(), user, "consultation__organization")


def can_view(user, consultation: Consultation) -> bool:
    return can_view_org(user, consultation.organization)


def can_handle(user, organization) -> bool:
    """Draft, edit, moderate, record decisions, publish the 采纳情况."""
    return has_role(user, organization, *HANDLER_ROLES)


def can_approve(user, organization) -> bool:
    return has_role(user, organization, *APPROVER_ROLES)


def can_see_commenter(user, consultation: Consultation) -> bool:
    """A commenter's name and contact: the body's own staff only."""
    return bool(roles_of(user, consultation.organization) - {Role.SUPERVISOR})


def can_change_settings(user, organization) -> bool:
    return has_role(user, organization, Role.ADMIN, Role.OFFICE_HEAD)
