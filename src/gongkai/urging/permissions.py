"""Who may see, send, answer and close 督办 (one place; querysets per organization).

- a body's own staff see the notices it received; the 经办人, 公开办负责人 or
  管理员 acknowledge and answer them;
- a supervising body's 监督 or 管理员 (a direct membership: a supervisor of a
  higher body does not act in a lower body's name) send notices to the bodies
  below it and close them; the supervising body sees the notices it sent.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from gongkai.organizations.models import Organization, Role
from gongkai.organizations.permissions import (
    has_role,
    organizations_where,
    visible_organization_ids,
)

from .models import Urging

BODY_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)
SENDER_ROLES = (Role.SUPERVISOR, Role.ADMIN)

NOT_A_SENDER = "只有上级机关的监督人员或管理员可以向下级机关发出督办。"
NOT_A_RESPONDER = "只有被督办机关的经办人、公开办负责人或管理员可以签收和回复督办。"
NOT_A_CLOSER = "只有发出督办的机关的监督人员或管理员可以办结督办。"


def urgings_visible_to(user) -> QuerySet[Urging]:
    """The notices a body received, and those it sent, for the bodies ``user`` may see
    (a supervisor's visible bodies include every body below)."""
    ids = visible_organization_ids(user)
    if not ids:
        return Urging.objects.none()
    return Urging.objects.filter(Q(organization_id__in=ids) | Q(sender_id__in=ids))


def acts_for(user, organization: Organization) -> bool:
    """``user`` directly holds 监督 or 管理员 in ``organization``."""
    return organizations_where(user, *SENDER_ROLES).filter(pk=organization.pk).exists()


def can_send_from(user, sender: Organization) -> bool:
    """The 督办 pages of ``sender``: it has bodies below it and ``user`` acts for it."""
    return sender.children.filter(is_active=True).exists() and acts_for(user, sender)


def can_send(user, sender: Organization, body: Organization) -> bool:
    return body.pk in sender.descendant_ids() and body.is_active and acts_for(user, sender)


def can_respond(user, organization: Organization) -> bool:
    return has_role(user, organization, *BODY_ROLES)


def can_close(user, urging: Urging) -> bool:
    return acts_for(user, urging.sender)


def _members(organization: Organization, roles) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )


def body_staff(organization: Organization) -> QuerySet:
    """Who is told a 督办 arrived: the body's 经办人, 公开办负责人 and 管理员."""
    return _members(organization, BODY_ROLES)


def sender_staff(organization: Organization) -> QuerySet:
    """Who is told a 督办 was answered: the sending body's 监督 and 管理员."""
    return _members(organization, SENDER_ROLES)
