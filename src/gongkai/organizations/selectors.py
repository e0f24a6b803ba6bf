"""Reads about bodies and their people that views share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from gongkai.audit.models import AuditEvent

from .models import Role

# Roles whose grant the supervising body sees even when it goes to someone else:
# each is one of the separate persons that separation of duties relies on
# (reviewer, approver, office head) or can create them (admin, supervisor).
KEY_ROLES = (Role.REVIEWER, Role.APPROVER, Role.OFFICE_HEAD, Role.ADMIN, Role.SUPERVISOR)


def self_grants(organization_ids, *, since: dt.datetime) -> QuerySet[AuditEvent]:
    """Role grants a user made to themselves (``membership.grant`` marked
    ``self_grant``) in the given bodies since ``since``, newest first."""
    return (
        AuditEvent.objects.filter(
            verb="membership.grant",
            organization_id__in=list(organization_ids),
            created_at__gte=since,
            data__self_grant=True,
        )
        .select_related("organization", "actor")
        .order_by("-created_at", "-id")
    )


def staff_changes(organization_ids, *, since: dt.datetime) -> QuerySet[AuditEvent]:
    """Accounts opened (``user.create``) and grants of a key role (:data:`KEY_ROLES`)
    or of any role to oneself, in the given bodies since ``since``, newest first.

    A body admin can open an account with the approver role, or give a colleague
    the reviewer role, and then use it (a puppet account): the supervising body
    sees each such step — who did what to whom, and when."""
    return (
        AuditEvent.objects.filter(organization_id__in=list(organization_ids), created_at__gte=since)
        .filter(
            Q(verb="user.create")
            | Q(verb="membership.grant", to_state__in=KEY_ROLES)
            | Q(verb="membership.grant", data__self_grant=True)
        )
        .select_related("organization", "actor")
        .order_by("-created_at", "-id")
    )
