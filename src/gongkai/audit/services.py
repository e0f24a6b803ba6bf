"""Writing audit events: the one function every app's services call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import AuditEvent


def audit_record(
    *,
    actor,
    organization: models.Model | None,
    verb: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit event.  Call it inside the service's transaction.

    ``actor`` may be a user, ``None`` or an anonymous user (public submissions,
    scheduled jobs); ``verb`` is a short stable English key such as
    ``"item.publish"`` (``<entity>.<verb>``).  ``organization`` is the
    ``organizations.Organization`` the event belongs to (the log it appears
    in), or ``None``.

    ``at`` is when it happened: a service that takes ``now`` passes ``at=now``,
    so the time it stamps on the record and the audit row come from one clock
    (a demo or import dated in the past, a test with a fixed ``now``).  Default:
    ``timezone.now()``.  It must be timezone-aware.
    """
    if not verb:
        raise ValueError("audit_record needs a verb")
    if at is not None and timezone.is_naive(at):
        raise ValueError("audit_record needs an aware datetime for at")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    content_type = None
    object_id = ""
    object_repr = ""
    if obj is not None:
        if obj.pk is None:
            raise ValueError("audit_record needs a saved object")
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id = str(obj.pk)
        object_repr = str(obj)[:300]
    return AuditEvent.objects.create(
        actor=actor,
        actor_repr=actor.get_username() if actor is not None else "",
        organization=organization,
        verb=verb,
        content_type=content_type,
        object_id=object_id,
        object_repr=object_repr,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        comment=comment or "",
        data=data or {},
        created_at=at if at is not None else timezone.now(),
    )
