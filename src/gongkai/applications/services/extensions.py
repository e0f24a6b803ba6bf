"""Extending the reply period (条例第三十三条第二款): request and decision."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden

from .. import clock
from ..models import (
    Application,
    ExtensionRequest,
    ExtensionStatus,
    LetterKind,
)
from ..permissions import can_approve_extension
from ._common import (
    _apply,
    _lock,
    _now,
    _record_event,
    _require_handler,
    _require_not_future,
)


def _extension_check(application: Application, *, days: int, on: date, now: datetime) -> None:
    """Would an approved extension of ``days`` on ``on`` be lawful now?  Raises a
    Chinese ``ValidationError`` otherwise (once only, 1-20 days, within the period)."""
    _require_not_future(on, "延期的日期", now=now)
    _apply(application, clock.Event(clock.EXTENSION, on, days=days, approved=True))


@transaction.atomic
def application_extension_request(
    *,
    application: Application,
    days: int,
    reason: str,
    on: date,
    acting_user,
    now: datetime | None = None,
) -> ExtensionRequest:
    """条例第三十三条第二款: ask the 公开办负责人 to extend the reply period.

    The request must be lawful on the day it is made (once only — approved
    extensions count; at most 20 working days; before the current due date).
    It takes effect only when approved (``application_extension_decide``).  A
    公开办负责人 requesting it approves it in the same step.
    """
    now = _now(now)
    _require_handler(acting_user, application)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写延期理由（条例第三十三条第二款）。"})
    application = _lock(application)
    if application.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError("本申请已有一项待公开办负责人批准的延期申请，请等待批准结果。")
    _extension_check(application, days=days, on=on, now=now)
    request = ExtensionRequest.objects.create(
        application=application,
        days=days,
        reason=reason.strip(),
        requested_on=on,
        requested_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="application.extension_request",
        obj=application,
        comment=request.reason,
        data={"request_id": request.pk, "days": days, "on": on.isoformat()},
        at=now,
    )
    if acting_user is not None and can_approve_extension(acting_user, application.organization):
        # An office head asking for it decides it at once (one step).
        application_extension_decide(
            extension_request=request, approve=True, on=on, acting_user=acting_user, now=now
        )
        request.refresh_from_db()
    return request


@transaction.atomic
def application_extension_decide(
    *,
    extension_request: ExtensionRequest,
    approve: bool,
    on: date,
    acting_user,
    comment: str = "",
    now: datetime | None = None,
) -> ExtensionRequest:
    """The 公开办负责人 approves (the extension takes effect on ``on``, the letter is
    generated) or rejects (a comment is required) a pending extension request.

    条例第三十三条第二款: the approval, too, must come within the reply period.
    """
    now = _now(now)
    request = ExtensionRequest.objects.select_for_update().get(pk=extension_request.pk)
    application = _lock(request.application)
    if acting_user is None or not can_approve_extension(acting_user, application.organization):
        raise Forbidden("只有本机关的公开办负责人可以批准延长答复期限（条例第三十三条第二款）。")
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError(f"该延期申请已经处理（{request.get_status_display()}）。")
    _require_not_future(on, "批准日期", now=now)
    if on < request.requested_on:
        raise ValidationError(
            f"批准日期不能早于延期申请的日期（{request.requested_on:%Y-%m-%d}）。"
        )
    request.decided_on = on
    request.decided_by = acting_user
    request.comment = (comment or "").strip()
    if not approve:
        if not request.comment:
            raise ValidationError({"comment": "不批准延期时请填写意见，告知经办人原因。"})
        request.status = ExtensionStatus.REJECTED
        request.save(update_fields=["status", "decided_on", "decided_by", "comment"])
        audit_record(
            actor=acting_user,
            organization=application.organization,
            verb="application.extension_reject",
            obj=application,
            comment=request.comment,
            data={"request_id": request.pk, "days": request.days, "on": on.isoformat()},
            at=now,
        )
        return request
    request.event = _record_event(
        application=application,
        new=clock.Event(clock.EXTENSION, on, days=request.days, approved=True),
        acting_user=acting_user,
        actor=request.requested_by,
        note=request.reason,
        approved_by=acting_user,
        data={
            "approved_by": acting_user.get_username(),
            "requested_by": request.requested_by.get_username() if request.requested_by else "",
            "requested_on": request.requested_on.isoformat(),
            "request_id": request.pk,
        },
        letters=(LetterKind.EXTENSION,),
        now=now,
    )
    request.status = ExtensionStatus.APPROVED
    request.save(update_fields=["status", "decided_on", "decided_by", "comment", "event"])
    return request
