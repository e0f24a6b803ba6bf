"""Who may see the delivery log and edit templates and quiet hours of a body."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import has_role, organizations_where

from .models import Message

# The body's 公开办负责人 and administrators word the messages and set quiet hours.
ADMIN_ROLES = (Role.ADMIN, Role.OFFICE_HEAD)
# The delivery log shows applicants' addresses (masked) and the texts sent to
# them: the body's own handling staff, never a supervising body.
LOG_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMIN)


def can_administer(user, organization) -> bool:
    return has_role(user, organization, *ADMIN_ROLES)


def can_see_log(user, organization) -> bool:
    return has_role(user, organization, *LOG_ROLES)


def messages_visible_to(user) -> QuerySet[Message]:
    """Delivery-log rows of the bodies where ``user`` directly holds a log role."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    if user.is_superuser:
        return Message.objects.all()
    bodies = organizations_where(user, *LOG_ROLES).values("pk")
    return Message.objects.filter(organization_id__in=bodies)
