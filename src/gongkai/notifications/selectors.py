"""Reads the notification views share."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.organizations.permissions import visible_organization_ids

from .models import Message, Notice
from .permissions import messages_visible_to


def log_for(user, organization, *, filters: dict) -> QuerySet[Message]:
    """The delivery log of ``organization`` as ``user`` may see it, filtered."""
    qs = messages_visible_to(user).filter(organization=organization)
    for field in ("status", "channel", "event"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    tz = timezone.get_current_timezone()
    if filters.get("day_from"):
        qs = qs.filter(created_at__gte=datetime.combine(filters["day_from"], time.min, tzinfo=tz))
    if filters.get("day_to"):
        qs = qs.filter(created_at__lte=datetime.combine(filters["day_to"], time.max, tzinfo=tz))
    return qs.order_by("-created_at", "-pk")


def notices_of(user) -> QuerySet[Notice]:
    """The user's notices from the bodies they may still see: one moved away
    from a body no longer reads its old notices (names, request excerpts)."""
    return (
        Notice.objects.filter(user=user, organization_id__in=visible_organization_ids(user))
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )
