"""Reading the audit log."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent

# ``organization`` below is an ``organizations.Organization`` (AuditEvent's
# foreign key); audit, below organizations in the layers, does not import it.


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """Events about ``obj``, oldest first (a record's history reads top-down)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )


def events_for_organization(
    organization: models.Model,
    *,
    verb: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> models.QuerySet[AuditEvent]:
    """An organization's log, newest first, optionally filtered (dates inclusive, local time)."""
    qs = AuditEvent.objects.filter(organization=organization).select_related(
        "actor", "content_type"
    )
    if verb:
        qs = qs.filter(verb=verb)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at", "-id")


def verbs_for_organization(organization: models.Model) -> list[str]:
    return list(
        AuditEvent.objects.filter(organization=organization)
        .order_by("verb")
        .values_list("verb", flat=True)
        .distinct()
    )
