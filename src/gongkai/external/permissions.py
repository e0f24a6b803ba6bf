"""Who may see and manage the bodies outside the platform (one place).

A supervising body's 监督 staff and its 管理员 keep its list of outside bodies
and see their results; nobody sees another supervisor's list -- the queryset
is scoped to the supervising body.
"""

from __future__ import annotations

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import has_role

from .models import ExternalBody, ExternalCheck


def can_manage_external(user, org) -> bool:
    return has_role(user, org, Role.SUPERVISOR, Role.ADMIN)


def external_bodies_visible_to(user, org):
    if not can_manage_external(user, org):
        return ExternalBody.objects.none()
    return ExternalBody.objects.filter(supervisor=org)


def external_checks_visible_to(user, org):
    if not can_manage_external(user, org):
        return ExternalCheck.objects.none()
    return ExternalCheck.objects.filter(body__supervisor=org)
