"""Who may see and handle inquiries, in one place (querysets per organization)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Membership, Role
from gongkai.organizations.permissions import has_role, roles_of, scope_to_user

from .models import Inquiry

# The clerk (经办人) and the 公开办负责人 route; the admin may stand in.
HANDLER_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """The bodies' own staff and their supervisors (read-only) see a body's inquiries."""
    return scope_to_user(Inquiry.objects.all(), user)


def can_handle(user, organization) -> bool:
    """Route, answer, publish, reject: the body's clerk, 公开办负责人 or admin."""
    return has_role(user, organization, *HANDLER_ROLES)


def is_unit_staff(user, inquiry: Inquiry) -> bool:
    """A member of the 科室 the inquiry was routed to (any working role there)."""
    if inquiry.unit_id is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        Membership.objects.filter(
            user=user, organization_id=inquiry.organization_id, unit_id=inquiry.unit_id
        )
        .exclude(role=Role.SUPERVISOR)
        .exists()
    )


def can_answer(user, inquiry: Inquiry) -> bool:
    return can_handle(user, inquiry.organization) or is_unit_staff(user, inquiry)


def can_see_personal(user, inquiry: Inquiry) -> bool:
    """Name, phone and e-mail: the body's own staff only; a supervising body reads
    the figures and the question, not the person."""
    return bool(roles_of(user, inquiry.organization) - {Role.SUPERVISOR})


def can_configure(user, organization) -> bool:
    return has_role(user, organization, Role.OFFICE_HEAD, Role.ADMIN)


def can_supervise(user, organization) -> bool:
    """The supervisor's per-body view: a supervisor or admin of a body with bodies below."""
    return (
        has_role(user, organization, Role.SUPERVISOR, Role.ADMIN) and organization.children.exists()
    )
