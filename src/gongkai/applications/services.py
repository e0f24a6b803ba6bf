"""Every write to an application goes through a function here.

Shape of each state change: ``@transaction.atomic``, lock the row, replay the
stored events plus the new one through ``clock.replay`` (the one transition
table and the statutory checks; an illegal step raises a Chinese
``ValidationError``), save the event, cache the state and due date, write an
audit row, generate the letter, defer e-mail with ``transaction.on_commit``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai import fees
from gongkai.audit.services import audit_record
from gongkai.bounds import date_in_range
from gongkai.organizations.models import Organization, Unit
from gongkai.workcal.selectors import calendar, fee_pauses_clock

from . import clock
from .models import (
    ApplicantType,
    Application,
    Channel,
    ClockEvent,
    Delivery,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    FormWanted,
    Letter,
    LetterKind,
    LetterTemplate,
    Status,
)
from .permissions import can_approve_extension, can_edit_templates, can_handle, can_register

logger = logging.getLogger(__name__)

# Unambiguous upper-case base32-like alphabet: no 0/O, 1/I/L.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: unguessable by enumeration


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Application.objects.filter(tracking_code=code).exists():
            return code


def _require_writer(user, organization: Organization) -> None:
    """Register applications: the same roles the views allow (permissions.can_register)."""
    if user is None:
        return  # the public portal and scheduled jobs
    if not can_register(user, organization):
        raise PermissionError("您在该机关没有办理政府信息公开申请的权限。")


def _require_handler(user, application: Application) -> None:
    """Act on an application: the same roles the views allow (permissions.can_handle)."""
    if user is None:
        return  # scheduled jobs
    if not can_handle(user, application):
        raise PermissionError("您在该机关没有办理政府信息公开申请的权限。")


def _events_of(application: Application) -> list[clock.Event]:
    return [_as_clock_event(e) for e in application.events.order_by("on", "id")]


def _as_clock_event(e: ClockEvent) -> clock.Event:
    return clock.Event(
        kind=e.kind,
        on=e.on,
        until=e.until,
        days=e.days,
        approved=bool(e.data.get("approved")),
        outcome=e.data.get("outcome", ""),
    )


def _replay_stored(application: Application, events: list[clock.Event]) -> clock.Deadline:
    """Replay stored dates, refusing any outside the sane range (gongkai.bounds):
    such a date is shown as wrong (``clock.DeadlineDateError``, "日期有误"), never
    computed with — 9999-12-20 would put the due date in the year 10000."""
    if not date_in_range(application.received_on):
        raise clock.DeadlineDateError(
            clock.date_error_message(f"收到申请之日（{application.received_on.isoformat()}）")
        )
    for event in events:
        for day in (event.on, event.until):
            if day is not None and not date_in_range(day):
                label = clock.EVENT_LABEL.get(event.kind, event.kind)
                raise clock.DeadlineDateError(
                    clock.date_error_message(f"“{label}”的日期（{day.isoformat()}）")
                )
    return clock.replay(application.received_on, events, calendar(), fee_pauses=fee_pauses_clock())


def application_deadline(application: Application) -> clock.Deadline:
    """The deadline of a stored application (recomputed from its events).

    Raises ``clock.ClockError`` when the stored history cannot be replayed, and
    its subclass ``clock.DeadlineDateError`` ("日期有误…") when a stored date is
    outside the sane range; pages show the reason instead of a due date."""
    return _replay_stored(application, _events_of(application))


def _apply(application: Application, new: clock.Event) -> clock.Deadline:
    try:
        return _replay_stored(application, [*_events_of(application), new])
    except clock.ClockError as exc:
        raise ValidationError(str(exc)) from exc


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _store(application: Application, deadline: clock.Deadline) -> None:
    application.status = deadline.state
    application.due_on = deadline.due_on
    application.due_provisional = deadline.provisional
    application.waiting_until = deadline.waiting_until


_ACTING = object()  # _record_event's default: the event's actor is the acting user


def _record_event(
    *,
    application: Application,
    new: clock.Event,
    acting_user,
    party: str = "",
    note: str = "",
    data: dict | None = None,
    approved_by=None,
    actor=_ACTING,
    letters: tuple[str, ...] = (),
    update_fields: tuple[str, ...] = (),
) -> ClockEvent:
    from_state = application.status
    # Every step is recorded after it happened: no date after today.
    _require_not_future(new.on, f"“{clock.EVENT_LABEL.get(new.kind, new.kind)}”的日期")
    deadline = _apply(application, new)
    event = ClockEvent.objects.create(
        application=application,
        kind=new.kind,
        on=new.on,
        until=new.until,
        days=new.days,
        party=party,
        note=note,
        data={**(data or {}), "approved": new.approved, "outcome": new.outcome},
        approved_by=approved_by,
        actor=(
            (acting_user if getattr(acting_user, "is_authenticated", False) else None)
            if actor is _ACTING
            else actor
        ),
    )
    _store(application, deadline)
    application.save(
        update_fields=["status", "due_on", "due_provisional", "waiting_until", "updated_at"]
        + list(update_fields)
    )
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb=f"application.{new.kind}",
        obj=application,
        from_state=from_state,
        to_state=application.status,
        comment=note,
        data={
            "event_id": event.pk,
            "on": new.on.isoformat(),
            "until": new.until.isoformat() if new.until else None,
            "days": new.days,
            "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
            **(data or {}),
        },
    )
    for kind in letters:
        _generate_or_record_failure(
            application=application, event=event, kind=kind, acting_user=acting_user
        )
    return event


def _generate_or_record_failure(
    *, application: Application, event: ClockEvent, kind: str, acting_user
) -> None:
    """Generate a step's letter; a broken stored template never loses the step.

    The step (a closing, say) is the legal act and stays recorded; the missing
    letter is noted on the event with a Chinese message naming the template, is
    audited, and is offered on the application page for ``letter_regenerate``
    once the template is fixed.  ``letter_generate`` raises before writing.
    """
    from .letters import LETTER_ERRORS, LetterTemplateError, letter_generate

    try:
        letter_generate(
            application=application,
            kind=kind,
            event=event,
            acting_user=acting_user,
            issued_on=event.on,
        )
    except LetterTemplateError as exc:
        exc.kind = exc.kind or kind
        errors = dict(event.data.get(LETTER_ERRORS, {}))
        errors[kind] = exc.message
        event.data = {**event.data, LETTER_ERRORS: errors}
        event.save(update_fields=["data"])
        audit_record(
            actor=acting_user,
            organization=application.organization,
            verb="letter.failed",
            obj=application,
            comment=exc.message,
            data={"event_id": event.pk, "kind": kind, "problems": exc.problems},
        )


# --- intake --------------------------------------------------------------------


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
    today = timezone.localdate()
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
    )
    return application


@transaction.atomic
def application_assign(*, application: Application, unit: Unit | None, acting_user) -> Application:
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
    )
    return application


# --- the clock -------------------------------------------------------------------


@transaction.atomic
def application_request_correction(
    *, application: Application, on: date, until: date, what: str, acting_user
) -> ClockEvent:
    """条例第三十条: one 补正 notice within 7 working days, stating what and by when."""
    _require_handler(acting_user, application)
    if not (what or "").strip():
        raise ValidationError("补正通知须一次性告知需要补正的事项（条例第三十条）。")
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.CORRECTION_REQUESTED, on, until=until),
        acting_user=acting_user,
        note=what.strip(),
        letters=(LetterKind.CORRECTION,),
    )


@transaction.atomic
def application_receive_correction(
    *, application: Application, on: date, acting_user, note: str = ""
) -> ClockEvent:
    """条例第三十条: the reply period restarts from the day the correction is received."""
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.CORRECTION_RECEIVED, on),
        acting_user=acting_user,
        note=note,
    )


@transaction.atomic
def application_consult(
    *, application: Application, kind: str, on: date, party: str, acting_user, note: str = ""
) -> ClockEvent:
    """条例第三十二条 (third party) / 第三十四条 (other body): the clock pauses."""
    _require_handler(acting_user, application)
    if kind not in (clock.THIRD_PARTY_CONSULTED, clock.OTHER_BODY_CONSULTED):
        raise ValidationError("请选择征求第三方意见或征求其他机关意见。")
    if not (party or "").strip():
        raise ValidationError("请填写被征求意见的第三方或机关名称。")
    application = _lock(application)
    letters = (
        (LetterKind.CONSULT_THIRD_PARTY, LetterKind.CONSULT_APPLICANT)
        if kind == clock.THIRD_PARTY_CONSULTED
        else (LetterKind.CONSULT_OTHER_BODY, LetterKind.CONSULT_APPLICANT)
    )
    return _record_event(
        application=application,
        new=clock.Event(kind, on),
        acting_user=acting_user,
        party=party.strip(),
        note=note,
        letters=letters,
    )


@transaction.atomic
def application_record_consultation_answer(
    *, application: Application, on: date, acting_user, note: str = ""
) -> ClockEvent:
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.CONSULTATION_ANSWERED, on),
        acting_user=acting_user,
        note=note,
    )


def _extension_check(application: Application, *, days: int, on: date) -> None:
    """Would an approved extension of ``days`` on ``on`` be lawful now?  Raises a
    Chinese ``ValidationError`` otherwise (once only, 1-20 days, within the period)."""
    _require_not_future(on, "延期的日期")
    _apply(application, clock.Event(clock.EXTENSION, on, days=days, approved=True))


@transaction.atomic
def application_extension_request(
    *,
    application: Application,
    days: int,
    reason: str,
    on: date,
    acting_user,
) -> ExtensionRequest:
    """条例第三十三条第二款: ask the 公开办负责人 to extend the reply period.

    The request must be lawful on the day it is made (once only — approved
    extensions count; at most 20 working days; before the current due date).
    It takes effect only when approved (``application_extension_decide``).  A
    公开办负责人 requesting it approves it in the same step.
    """
    _require_handler(acting_user, application)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写延期理由（条例第三十三条第二款）。"})
    application = _lock(application)
    if application.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError("本申请已有一项待公开办负责人批准的延期申请，请等待批准结果。")
    _extension_check(application, days=days, on=on)
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
    )
    if acting_user is not None and can_approve_extension(acting_user, application.organization):
        # An office head asking for it decides it at once (one step).
        application_extension_decide(
            extension_request=request, approve=True, on=on, acting_user=acting_user
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
) -> ExtensionRequest:
    """The 公开办负责人 approves (the extension takes effect on ``on``, the letter is
    generated) or rejects (a comment is required) a pending extension request.

    条例第三十三条第二款: the approval, too, must come within the reply period.
    """
    request = ExtensionRequest.objects.select_for_update().get(pk=extension_request.pk)
    application = _lock(request.application)
    if acting_user is None or not can_approve_extension(acting_user, application.organization):
        raise PermissionError(
            "只有本机关的公开办负责人可以批准延长答复期限（条例第三十三条第二款）。"
        )
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError(f"该延期申请已经处理（{request.get_status_display()}）。")
    _require_not_future(on, "批准日期")
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
    )
    request.status = ExtensionStatus.APPROVED
    request.save(update_fields=["status", "decided_on", "decided_by", "comment", "event"])
    return request


def applications_in_month(application: Application) -> int:
    """This application's number among the same applicant's applications to the
    same body in the calendar month of receipt (itself included) — 按件计收."""
    same = Application.objects.filter(
        organization=application.organization,
        applicant_name=application.applicant_name,
        received_on__year=application.received_on.year,
        received_on__month=application.received_on.month,
    )
    if application.id_number:
        same = same.filter(id_number=application.id_number)
    mine = application.received_on
    return same.filter(
        Q(received_on__lt=mine) | Q(received_on=mine, pk__lte=application.pk)
    ).count()


@transaction.atomic
def application_send_fee_notice(
    *,
    application: Application,
    on: date,
    method: str,
    pages: int | None = None,
    acting_user,
) -> ClockEvent:
    """国办函〔2020〕109号: quote by one method, notify; the applicant pays within
    20 working days from the day after receiving the notice."""
    _require_handler(acting_user, application)
    application = _lock(application)
    try:
        if method == fees.PER_APPLICATION:
            q = fees.quote(method=method, applications_in_month=applications_in_month(application))
        else:
            q = fees.quote(method=method, pages=pages)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if q.amount == 0:
        raise ValidationError(f"按{q.method_label}计算本件不收费，无需发出收费通知。{q.basis}")
    application.fee_amount = q.amount
    return _record_event(
        application=application,
        new=clock.Event(clock.FEE_NOTICE, on),
        acting_user=acting_user,
        data={"method": q.method, "amount": q.amount, "basis": q.basis, "pages": pages},
        letters=(LetterKind.FEE,),
        update_fields=("fee_amount",),
    )


@transaction.atomic
def application_record_payment(*, application: Application, on: date, acting_user) -> ClockEvent:
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.FEE_PAID, on),
        acting_user=acting_user,
        data={"amount": application.fee_amount},
    )


@transaction.atomic
def application_request_reasons(
    *, application: Application, on: date, until: date, acting_user, note: str = ""
) -> ClockEvent:
    """条例第三十五条: ask the applicant to explain the quantity/frequency."""
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.REASONS_REQUESTED, on, until=until),
        acting_user=acting_user,
        note=note,
        letters=(LetterKind.REASONS,),
    )


@transaction.atomic
def application_set_later_date(
    *, application: Application, on: date, until: date, acting_user, note: str = ""
) -> ClockEvent:
    """条例第三十五条: reasons sound but no reply possible in time: a later date."""
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.LATER_DATE_SET, on, until=until),
        acting_user=acting_user,
        note=note,
        letters=(LetterKind.LATER_DATE,),
    )


# Outcomes whose letter must state reasons: 条例第三十六条第（三）项 (不予公开:
# "告知申请人不予公开并说明理由"), 第三十七条 (部分公开: 对不予公开的内容说明理由),
# and by the same reasoning the refusals of 第三十六条第（四）至（七）项, 第三十八条,
# 第三十九条 (无法提供 / 不予处理: the applicant must learn why, to seek a remedy).
REASONS_REQUIRED_GROUPS = {
    "partial": "部分公开须对不予公开的部分说明理由（条例第三十七条），请填写答复理由。",
    "withheld": "不予公开须说明理由（条例第三十六条第（三）项），请填写答复理由。",
    "unable": "无法提供须向申请人说明理由，请填写答复理由（条例第三十六条、第三十八条）。",
    "declined": "不予处理须向申请人说明理由，请填写答复理由（条例第三十五条、第三十六条、第三十九条）。",
}


def reasons_required_message(outcome: str) -> str:
    """The Chinese message when ``outcome`` needs reasons, else ``""``."""
    from gongkai.annual.format import T3_ROW_BY_KEY

    row = T3_ROW_BY_KEY.get(outcome or "")
    return REASONS_REQUIRED_GROUPS.get(row.group or "", "") if row else ""


def _require_not_future(day: date | None, label: str, *, field: str | None = None) -> None:
    """A date that has not happened yet cannot be recorded as having happened."""
    if day is not None and day > timezone.localdate():
        message = f"{label}（{day:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
        raise ValidationError({field: message} if field else message)


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
) -> Application:
    """Reply and close with exactly one table-3 outcome; writes the reply date
    and generates the 告知书 of the outcome's group."""
    _require_handler(acting_user, application)
    application = _lock(application)
    from gongkai.annual.format import T3_ROW_BY_KEY

    group = T3_ROW_BY_KEY[outcome].group if outcome in T3_ROW_BY_KEY else None
    _require_not_future(reply_on, "答复日期")
    message = reasons_required_message(outcome)
    if message and not (reasons or "").strip():
        raise ValidationError({"reasons": message})
    application.outcome = outcome or ""
    application.reply_on = reply_on
    application.reply_reasons = (reasons or "").strip()
    _record_event(
        application=application,
        new=clock.Event(clock.CLOSED, reply_on, outcome=outcome or ""),
        acting_user=acting_user,
        note=application.reply_reasons,
        data={"outcome": outcome},
        letters=(OUTCOME_LETTER[group],) if group in OUTCOME_LETTER else (),
        update_fields=("outcome", "reply_on", "reply_reasons"),
    )
    return application


# --- letters ---------------------------------------------------------------------


@transaction.atomic
def letter_template_save(
    *, organization: Organization, kind: str, title: str, body: str, acting_user
) -> LetterTemplate:
    """Save a body's own wording of a letter kind (administrators only)."""
    from .letters import check_template

    if not can_edit_templates(acting_user, organization):
        raise PermissionError("只有管理员或公开办负责人可以修改文书模板。")
    if kind not in LetterKind.values:
        raise ValidationError("未知的文书类型。")
    problems = check_template(title=title, body=body)
    if problems:
        raise ValidationError(problems)
    template, created = LetterTemplate.objects.select_for_update().get_or_create(
        organization=organization,
        kind=kind,
        defaults={"title": title, "body": body, "updated_by": acting_user},
    )
    if not created:
        template.title = title
        template.body = body
        template.updated_by = acting_user
        template.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="letter_template.save",
        obj=template,
        data={"kind": kind},
    )
    return template


@transaction.atomic
def letter_template_reset(*, organization: Organization, kind: str, acting_user) -> None:
    if not can_edit_templates(acting_user, organization):
        raise PermissionError("只有管理员或公开办负责人可以修改文书模板。")
    deleted, _ = LetterTemplate.objects.filter(organization=organization, kind=kind).delete()
    if deleted:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="letter_template.reset",
            data={"kind": kind},
        )


@transaction.atomic
def letter_regenerate(
    *, application: Application, event: ClockEvent, kind: str, acting_user
) -> Letter:
    """Generate a letter a broken template kept from being generated, with the
    date of its step (the letter is the one the step should have produced)."""
    from .letters import LETTER_ERRORS, LetterTemplateError, letter_generate

    _require_handler(acting_user, application)
    application = _lock(application)
    event = ClockEvent.objects.select_for_update().get(pk=event.pk, application=application)
    errors = dict(event.data.get(LETTER_ERRORS, {}))
    if Letter.objects.filter(application=application, event=event, kind=kind).exists():
        raise ValidationError("该文书已生成，无需重新生成。")
    if kind not in errors:
        raise ValidationError("该事项没有未生成的文书。")
    try:
        letter = letter_generate(
            application=application,
            kind=kind,
            event=event,
            acting_user=acting_user,
            issued_on=event.on,
        )
    except LetterTemplateError as exc:
        exc.kind = exc.kind or kind
        raise ValidationError(exc.message) from exc
    del errors[kind]
    event.data = {**event.data, LETTER_ERRORS: errors}
    if not errors:
        event.data.pop(LETTER_ERRORS)
    event.save(update_fields=["data"])
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="letter.regenerate",
        obj=application,
        data={"event_id": event.pk, "kind": kind, "letter_id": letter.pk},
    )
    return letter


def next_letter_number(organization: Organization, year: int) -> int:
    # Serialise numbering per body: lock the body's row for this transaction.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = Letter.objects.filter(organization=organization, year=year).aggregate(m=Max("number"))
    return (current["m"] or 0) + 1


__all__ = [
    "EventKind",
    "Status",
    "application_assign",
    "application_close",
    "application_consult",
    "application_deadline",
    "application_extension_decide",
    "application_extension_request",
    "application_receive",
    "application_receive_correction",
    "application_record_consultation_answer",
    "application_record_payment",
    "application_request_correction",
    "application_request_reasons",
    "application_send_fee_notice",
    "application_set_later_date",
    "calendar",
    "letter_regenerate",
    "letter_template_save",
]


# --- keeping the cached due dates in step with the calendar ---------------------------------


@dataclass
class DeadlineRefresh:
    """What :func:`application_refresh_deadlines` did: how many cached due dates
    changed, and each open application whose stored history can no longer be
    replayed (with the Chinese reason)."""

    changed: int = 0
    skipped: list[tuple[Application, str]] = dataclass_field(default_factory=list)


def application_refresh_deadlines(*, organization_ids=None) -> DeadlineRefresh:
    """Recompute the cached due date of every open application (e.g. after an
    administrator entered next year's holiday schedule, which turns
    provisional dates into final ones).  Each change is audited.

    A stored history the rules now refuse, or a stored date the calendar cannot
    count from ("日期有误", e.g. a 收到申请之日 of 9999-12-20), is never skipped
    silently and never stops the run: it is counted and returned, logged as a
    warning, flagged on the application (``deadline_problem``, shown to the
    公开办负责人 on the dashboard) and audited once per distinct reason; the flag
    is cleared when the history replays again.  ``gongkai remind`` runs it
    before reminding, for every body."""
    result = DeadlineRefresh()
    qs = Application.objects.exclude(status=Status.CLOSED)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    for pk in qs.values_list("pk", flat=True):
        with transaction.atomic():
            application = _lock(Application(pk=pk))
            try:
                deadline = application_deadline(application)
            except clock.ClockError as exc:
                _flag_unreplayable(application, str(exc))
                result.skipped.append((application, str(exc)))
                continue
            if application.deadline_problem:
                application.deadline_problem = ""
                application.save(update_fields=["deadline_problem", "updated_at"])
            before = (application.due_on, application.due_provisional)
            if before == (deadline.due_on, deadline.provisional):
                continue
            _store(application, deadline)
            application.save(
                update_fields=["due_on", "due_provisional", "waiting_until", "updated_at"]
            )
            audit_record(
                actor=None,
                organization=application.organization,
                verb="application.deadline_refresh",
                obj=application,
                data={
                    "from": before[0].isoformat() if before[0] else None,
                    "to": deadline.due_on.isoformat() if deadline.due_on else None,
                    "provisional": deadline.provisional,
                },
            )
            result.changed += 1
    return result


def _flag_unreplayable(application: Application, reason: str) -> None:
    logger.warning(
        "申请 %s（机关 %s）的办理记录无法按现行规则重新计算答复期限，已跳过：%s",
        application.tracking_code,
        application.organization_id,
        reason,
    )
    if application.deadline_problem == reason:
        return  # already flagged and audited for this reason
    application.deadline_problem = reason
    application.save(update_fields=["deadline_problem", "updated_at"])
    audit_record(
        actor=None,
        organization=application.organization,
        verb="application.deadline_unreplayable",
        obj=application,
        comment=reason,
        data={"due_on": application.due_on.isoformat() if application.due_on else None},
    )


# --- reminders (gongkai remind) -------------------------------------------------------------


REMINDER_SUBJECT = "【政府信息公开】依申请公开办理期限提醒"


def reminders_send(*, today: date, dry_run: bool = False) -> list:
    """Record (and, when an SMTP server is configured, e-mail) today's reminders.

    Idempotent: a reminder is unique per (application, kind, due date), so a
    second run the same day sends nothing new.  ``dry_run`` writes nothing and
    returns what would be sent.
    """
    from django.core.mail import send_mail

    from .models import Reminder
    from .selectors import reminders_due

    owed = reminders_due(today=today, calendar=calendar())
    already = set(
        Reminder.objects.filter(application_id__in=[p.application.pk for p in owed]).values_list(
            "application_id", "kind", "due_on"
        )
    )
    new = [p for p in owed if (p.application.pk, p.kind, p.due_on) not in already]
    if dry_run:
        return new
    email_on = bool(getattr(settings, "EMAIL_HOST", ""))
    sent = []
    for planned in new:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                application=planned.application,
                kind=planned.kind,
                due_on=planned.due_on,
                defaults={
                    "sent_on": today,
                    "recipients": ", ".join(planned.recipients),
                    "emailed": email_on and bool(planned.recipients),
                },
            )
            if not created:
                continue
            if email_on and planned.recipients:
                body = (
                    f"{planned.summary}\n\n申请内容：{planned.application.description[:200]}\n"
                    "请登录政府信息公开工作平台办理。"
                )
                recipients = list(planned.recipients)
                transaction.on_commit(
                    lambda body=body, recipients=recipients: send_mail(
                        REMINDER_SUBJECT, body, None, recipients, fail_silently=False
                    )
                )
            sent.append(planned)
    return sent
