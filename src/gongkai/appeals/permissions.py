"""Who may see and record appeals."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import can_view_org, has_role, roles_of, scope_to_user

from .models import Appeal

HANDLER_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)


def appeals_visible_to(user) -> QuerySet[Appeal]:
    return scope_to_user(Appeal.objects.all(), user)


def can_view(user, appeal: Appeal) -> bool:
    return can_view_org(user, appeal.organization)


def can_see_applicant(user, appeal: Appeal) -> bool:
    """The applicant's/plaintiff's name is personal data: the body's own staff only
    (a supervising body reads the case, not the person)."""
    return bool(roles_of(user, appeal.organization) - {Role.SUPERVISOR})


def can_record(user, organization) -> bool:
    return has_role(user, organization, *HANDLER_ROLES)
