"""Replying and closing with one table-3 outcome."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.annual.format import T3_ROW_BY_KEY
from gongkai.organizations.models import Organization

from .. import clock
from ..models import (
    Application,
    LetterKind,
)
from ..outcomes import reasons_required_message
from ._common import (
    _lock,
    _now,
    _record_event,
    _require_handler,
    _require_not_future,
)

OUTCOME_LETTER = {
    "granted": LetterKind.GRANTED,
    "partial": LetterKind.PARTIAL,
    "withheld": LetterKind.WITHHELD,
    "unable": LetterKind.UNABLE,
    "declined": LetterKind.DECLINED,
    "other": LetterKind.OTHER,
}


@transaction.atomic
def application_close(
    *,
    application: Application,
    outcome: str,
    reply_on: date,
    acting_user,
    reasons: str = "",
    responsible_organization: Organization | None = None,
    responsible_body: str = "",
    responsible_contact: str = "",
    now: datetime | None = None,
) -> Application:
    """Reply and close with exactly one table-3 outcome; writes the reply date
    and generates the 告知书 of the outcome's group.

    条例第三十六条第（五）项: when the information is not this body's to disclose
    and the body that discloses it can be determined, the letter names it and
    its contact (``responsible_organization`` on the platform, or
    ``responsible_body`` with ``responsible_contact``)."""
    now = _now(now)
    _require_handler(acting_user, application)
    application = _lock(application)
    group = T3_ROW_BY_KEY[outcome].group if outcome in T3_ROW_BY_KEY else None
    _require_not_future(reply_on, "答复日期", now=now)
    message = reasons_required_message(outcome)
    if message and not (reasons or "").strip():
        raise ValidationError({"reasons": message})
    elsewhere = _apply_elsewhere(
        application,
        outcome=outcome,
        organization=responsible_organization,
        name=responsible_body,
        contact=responsible_contact,
    )
    application.outcome = outcome or ""
    application.reply_on = reply_on
    application.reply_reasons = (reasons or "").strip()
    _record_event(
        application=application,
        new=clock.Event(clock.CLOSED, reply_on, outcome=outcome or ""),
        acting_user=acting_user,
        note=application.reply_reasons,
        data={"outcome": outcome, **elsewhere},
        letters=(OUTCOME_LETTER[group],) if group in OUTCOME_LETTER else (),
        update_fields=("outcome", "reply_on", "reply_reasons"),
        now=now,
    )
    return application


# 条例第三十六条第（四）项、第（五）项 share table 3's row "本机关不掌握相关政府信息".
NOT_HELD_OUTCOME = "unable_not_held"
NO_CONTACT = "（见该机关政府信息公开指南）"


def _apply_elsewhere(
    application: Application, *, outcome: str, organization, name: str, contact: str
) -> dict[str, str]:
    """The other body the 告知书 names (条例第三十六条第（五）项), as closing-event
    data: ``{"responsible_body": ..., "responsible_contact": ...}`` or ``{}``."""
    name, contact = (name or "").strip(), (contact or "").strip()
    if organization is None and not name:
        if contact:
            raise ValidationError({"responsible_body": "请填写负责公开该信息的机关名称。"})
        return {}
    if outcome != NOT_HELD_OUTCOME:
        raise ValidationError(
            {
                "responsible_organization": "只有按“本机关不掌握相关政府信息”答复时，"
                "才告知申请人向负责公开的机关申请（条例第三十六条第（五）项）。"
            }
        )
    if organization is not None and name:
        raise ValidationError({"responsible_body": "平台上的机关和其他机关名称只需填写一项。"})
    if organization is not None:
        if organization.pk == application.organization_id:
            raise ValidationError({"responsible_organization": "负责公开的机关不能是本机关。"})
        parts = [p for p in (organization.office_address, organization.office_phone) if p]
        if organization.office_name:
            parts.insert(0, organization.office_name)
        return {
            "responsible_body": organization.name,
            "responsible_contact": contact or "，".join(parts) or NO_CONTACT,
            "responsible_organization": str(organization.pk),
        }
    if not contact:
        raise ValidationError(
            {
                "responsible_contact": "请填写该机关的联系方式，告知书须写明负责机关的名称、"
                "联系方式（条例第三十六条第（五）项）。"
            }
        )
    return {"responsible_body": name, "responsible_contact": contact}
