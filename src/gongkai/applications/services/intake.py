"""Intake: registering an application (条例第二十九条、第三十一条) and assigning it."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization, Unit
from gongkai.workcal.selectors import calendar, fee_pauses_clock

from .. import clock
from ..models import (
    ApplicantType,
    Application,
    Channel,
    Delivery,
    FormWanted,
)
from ._common import (
    _lock,
    _require_handler,
    _require_writer,
    _store,
)

# Unambiguous upper-case base32-like alphabet: no 0/O, 1/I/L.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: unguessable by enumeration


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Application.objects.filter(tracking_code=code).exists():
            return code


@transaction.atomic
def application_receive(
    *,
    organization: Organization,
    channel: str,
    applicant_type: str,
    applicant_name: str,
    id_number: str,
    phone: str,
    email: str,
    address: str,
    description: str,
    form_wanted: str,
    delivery: str,
    received_on: date | None = None,
    submitted_on: date,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
    acting_user=None,
    unit: Unit | None = None,
    now: datetime,
) -> Application:
    """Register an application (back office) or an online submission (portal,
    ``acting_user=None``, ``channel="online"``, ``confirmed_on=submitted_on``).

    条例第三十一条 fixes the day of receipt per channel (``clock.receipt_date``);
    ``received_on`` may be given only when it agrees with that rule.
    """
    _require_writer(acting_user, organization)
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "请选择申请渠道。"
    if applicant_type not in ApplicantType.values:
        errors["applicant_type"] = "请选择申请人类型（自然人或法人或其他组织中的一类）。"
    if not (applicant_name or "").strip():
        errors["applicant_name"] = "请填写申请人姓名或名称（条例第二十九条）。"
    if not (description or "").strip():
        errors["description"] = "请填写所需政府信息的名称、文号或其他特征性描述（条例第二十九条）。"
    if not ((phone or "").strip() or (email or "").strip() or (address or "").strip()):
        errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）（条例第二十九条）。"
    if form_wanted not in FormWanted.values:
        errors["form_wanted"] = "请选择获取信息的形式。"
    if delivery not in Delivery.values:
        errors["delivery"] = "请选择获取信息的方式。"
    if unit is not None and unit.organization_id != organization.pk:
        errors["unit"] = "所选科室不属于该机关。"
    today = timezone.localdate(now)
    for field, label, day in (
        ("submitted_on", "提交/寄出日期", submitted_on),
        ("signed_for_on", "签收日期", signed_for_on),
        ("confirmed_on", "双方确认日期", confirmed_on),
        ("received_on", "收到申请之日", received_on),
    ):
        if day is not None and day > today:
            errors[field] = f"{label}（{day:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
    if errors:
        raise ValidationError(errors)
    if channel == Channel.ONLINE and confirmed_on is None and acting_user is None:
        # The portal confirms the submission on screen at once: both sides confirm that day.
        confirmed_on = submitted_on
    try:
        receipt = clock.receipt_date(
            channel=channel,
            submitted_on=submitted_on,
            signed_for_on=signed_for_on,
            confirmed_on=confirmed_on,
        )
    except clock.ClockError as exc:
        raise ValidationError(str(exc)) from exc
    if received_on is not None and received_on != receipt:
        raise ValidationError(
            f"按条例第三十一条，该渠道的收到申请之日应为{receipt:%Y-%m-%d}，与填写的{received_on:%Y-%m-%d}不一致。"
        )
    deadline = clock.replay(receipt, [], calendar(), fee_pauses=fee_pauses_clock())
    application = Application(
        organization=organization,
        unit=unit,
        tracking_code=new_tracking_code(),
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        id_number=(id_number or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        address=(address or "").strip(),
        description=description.strip(),
        form_wanted=form_wanted,
        delivery=delivery,
        submitted_on=submitted_on,
        signed_for_on=signed_for_on,
        confirmed_on=confirmed_on,
        received_on=receipt,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    _store(application, deadline)
    application.full_clean(exclude=["tracking_code"])
    application.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="application.receive",
        obj=application,
        to_state=application.status,
        data={"channel": channel, "received_on": receipt.isoformat()},
        at=now,
    )
    return application


@transaction.atomic
def application_assign(
    *, application: Application, unit: Unit | None, acting_user, now: datetime
) -> Application:
    _require_handler(acting_user, application)
    application = _lock(application)
    if unit is not None and unit.organization_id != application.organization_id:
        raise ValidationError("所选科室不属于该机关。")
    before = application.unit.name if application.unit else ""
    application.unit = unit
    application.save(update_fields=["unit", "updated_at"])
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="application.assign",
        obj=application,
        data={"from": before, "to": unit.name if unit else ""},
        at=now,
    )
    return application
