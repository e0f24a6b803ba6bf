"""Who may see and do what with applications — used by views, services and admin."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Organization, Role
from gongkai.organizations.permissions import (
    can_view_org,
    has_role,
    organizations_where,
    roles_of,
    scope_to_user,
)

from .models import Application, ExtensionRequest, ExtensionStatus, IntakeState, UnifiedIntake

# Roles that handle applications (the supervisor only reads).
HANDLER_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)
TEMPLATE_ROLES = (Role.ADMIN, Role.OFFICE_HEAD)


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications of the bodies ``user`` may see (own bodies; supervisors: those below).

    Applicant data is personal data: it never leaves this queryset for a public page.
    """
    return scope_to_user(Application.objects.all(), user)


def can_view(user, application: Application) -> bool:
    return can_view_org(user, application.organization)


def can_handle(user, application: Application) -> bool:
    return has_role(user, application.organization, *HANDLER_ROLES)


def can_register(user, organization) -> bool:
    return has_role(user, organization, *HANDLER_ROLES)


def can_approve_extension(user, organization) -> bool:
    # 条例第三十三条第二款: 经政府信息公开工作机构负责人同意.
    return has_role(user, organization, Role.OFFICE_HEAD)


def extension_requests_to_decide(user) -> QuerySet[ExtensionRequest]:
    """Pending extension requests of the bodies where ``user`` is 公开办负责人."""
    heads = organizations_where(user, Role.OFFICE_HEAD).values("pk")
    return ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING, application__organization_id__in=heads
    ).order_by("requested_on", "pk")


def can_edit_templates(user, organization) -> bool:
    return has_role(user, organization, *TEMPLATE_ROLES)


def can_see_personal_data(user, application: Application) -> bool:
    """ID number and contact details: the body's own staff only (条例第十五条 spirit;
    a supervising body reads the case, not the applicant's particulars)."""
    return bool(roles_of(user, application.organization) - {Role.SUPERVISOR})


def personal_data_organization_ids(user) -> set[int]:
    """Bodies whose applicants' names and particulars ``user`` may see: those where
    the user holds a role other than supervisor (the rule of can_see_personal_data)."""
    staff = [r for r in Role.values if r != Role.SUPERVISOR]
    return set(organizations_where(user, *staff).values_list("pk", flat=True))


# --- 统一受理（集约化） ---------------------------------------------------------------


def can_dispatch(user, intake: UnifiedIntake) -> bool:
    """分办 and the county's queue: the county body's handlers (公开办)."""
    return has_role(user, intake.organization, *HANDLER_ROLES)


def can_view_intake(user, intake: UnifiedIntake) -> bool:
    """The queue and the dispatch record: the county's staff and its supervisors."""
    return can_view_org(user, intake.organization)


def can_edit_intake(user, organization) -> bool:
    return has_role(user, organization, *TEMPLATE_ROLES)


def can_receive_dispatch(user, application: Application) -> bool:
    """签收, 退回, 转办: handlers of the body the application was dispatched to."""
    return has_role(user, application.organization, *HANDLER_ROLES)


def intakes_visible_to(user) -> QuerySet[UnifiedIntake]:
    return scope_to_user(UnifiedIntake.objects.all(), user)


def dispatch_targets(intake: UnifiedIntake) -> QuerySet[Organization]:
    """The bodies an application of ``intake`` may go to: the county body and
    every active body under it."""
    return Organization.objects.filter(
        pk__in=intake.organization.descendant_ids(include_self=True), is_active=True
    ).order_by("name")


def awaiting_signature_for(user, organization) -> QuerySet[Application]:
    """Applications dispatched or transferred to ``organization`` and not yet
    signed for — visible to its own staff only from the dispatch on (the
    ``organization`` field is the receiving body from then)."""
    return applications_visible_to(user).filter(
        organization=organization, intake_state=IntakeState.DISPATCHED
    )
