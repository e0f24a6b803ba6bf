"""Reads about bodies and their people that views share."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from gongkai.audit.models import AuditEvent


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
