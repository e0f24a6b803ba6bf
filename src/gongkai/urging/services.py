"""Every write of the 督办 app: send, acknowledge, answer, escalate, close.

Sending creates the notice (numbered per sending body and year under a lock on
the sender's row); the rest are steps of ``workflow.URGING`` taken through
:func:`gongkai.core.transition.transition` (row lock, state check, permission
guard, one audit row).  A refused role is :class:`~gongkai.core.errors.Forbidden`,
a refused request :class:`~gongkai.core.errors.Invalid`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid, require
from gongkai.core.transition import transition
from gongkai.notifications.api import notify
from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar

from .models import DEFAULT_RESPOND_WORKDAYS, MAX_RESPOND_WORKDAYS, MIN_RESPOND_WORKDAYS, Urging
from .permissions import (
    NOT_A_CLOSER,
    NOT_A_RESPONDER,
    NOT_A_SENDER,
    body_staff,
    can_close,
    can_respond,
    can_send,
    sender_staff,
)
from .targets import Target
from .workflow import OPEN_STATES, URGING

TEXT_MAX = 3000
RESPONSE_MAX = 3000
COMMENT_MAX = 1000
# A commitment further out than a year is not a commitment.
DONE_BY_MAX_DAYS = 366


def respond_by_for(sent_on: date, workdays: int = DEFAULT_RESPOND_WORKDAYS) -> tuple[date, bool]:
    """The respond-by date: the ``workdays``-th working day after ``sent_on`` on the
    platform's calendar, and whether it lies in a year without a known holiday
    schedule.  No statute sets this period; it is a local management rule
    (docs/urging.md), 5 working days by default."""
    due = calendar().add_workdays(sent_on, workdays)
    return due.as_date(), bool(due.unknown_years)


def _open_for(target: Target):
    qs = Urging.objects.filter(status__in=OPEN_STATES, kind=target.kind)
    if target.kind == "report":
        return qs.filter(organization=target.organization, report_year=target.report_year)
    return qs.filter(**{target.kind: getattr(target, target.kind)})


@transaction.atomic
def urging_send(
    *,
    sender: Organization,
    target: Target,
    text: str,
    respond_workdays: int = DEFAULT_RESPOND_WORKDAYS,
    acting_user,
    now: datetime,
) -> Urging:
    """Send a 督办 from ``sender`` about ``target`` (built by ``targets`` for ``today``,
    which checked that it is overdue).  One open notice per target."""
    require(can_send(acting_user, sender, target.organization), NOT_A_SENDER)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "请填写督办内容。"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"督办内容不能超过{TEXT_MAX}个字。"
    if not isinstance(respond_workdays, int) or not (
        MIN_RESPOND_WORKDAYS <= respond_workdays <= MAX_RESPOND_WORKDAYS
    ):
        errors["respond_workdays"] = (
            f"回复期限应为{MIN_RESPOND_WORKDAYS}至{MAX_RESPOND_WORKDAYS}个工作日。"
        )
    if errors:
        raise Invalid(errors)
    # The sender's row numbers its notices one after the other; the urged
    # body's row lets one of two simultaneous 督办 of the same thing through,
    # whichever supervisor sends them (both locked in one order: no deadlock).
    list(
        Organization.objects.select_for_update()
        .filter(pk__in={sender.pk, target.organization.pk})
        .order_by("pk")
    )
    existing = _open_for(target).first()
    if existing is not None:
        raise Invalid(f"该事项已有未办结的督办（{existing.reference}），请在原督办中跟进。")
    sent_on = timezone.localdate(now)
    respond_by, provisional = respond_by_for(sent_on, respond_workdays)
    year = sent_on.year
    last = Urging.objects.filter(sender=sender, year=year).aggregate(n=Max("number"))["n"]
    urging = Urging.objects.create(
        sender=sender,
        organization=target.organization,
        year=year,
        number=(last or 0) + 1,
        target_label=target.label[:300],
        text=text,
        sent_on=sent_on,
        sent_at=now,
        sent_by=acting_user,
        respond_by=respond_by,
        respond_by_provisional=provisional,
        **target.fields,
    )
    audit_record(
        actor=acting_user,
        organization=target.organization,
        verb="urging.send",
        obj=urging,
        to_state=urging.status,
        data={
            "reference": urging.reference,
            "sender": sender.name,
            "kind": target.kind,
            "respond_by": respond_by.isoformat(),
        },
        at=now,
    )
    notify(
        "urging.received",
        organization=target.organization,
        key=f"urging:{urging.pk}:received",
        context={
            "督办事项": urging.target_label,
            "督办机关": sender.name,
            "办理期限": f"{respond_by:%Y年%m月%d日}",
        },
        staff=list(body_staff(target.organization)),
        url=urging.get_absolute_url(),
        now=now,
    )
    return urging


def urging_acknowledge(*, urging: Urging, acting_user, now: datetime) -> Urging:
    def record(locked: Urging) -> None:
        locked.acknowledged_on = timezone.localdate(now)
        locked.acknowledged_by = acting_user

    return transition(
        urging,
        "acknowledge",
        table=URGING,
        actor=acting_user,
        now=now,
        guard=lambda locked: (
            None if can_respond(acting_user, locked.organization) else NOT_A_RESPONDER
        ),
        change=record,
    )


@transaction.atomic
def urging_answer(
    *, urging: Urging, response: str, done_by: date | None, acting_user, now: datetime
) -> Urging:
    """What the body did, and the date by which it commits to finish (or finished)."""
    response = (response or "").strip()
    today = timezone.localdate(now)

    def record(locked: Urging) -> None:
        errors: dict[str, str] = {}
        if not response:
            errors["response"] = "请填写办理情况。"
        elif len(response) > RESPONSE_MAX:
            errors["response"] = f"办理情况不能超过{RESPONSE_MAX}个字。"
        if done_by is None:
            errors["done_by"] = "请填写承诺办结日期（已办结的填写办结日期）。"
        elif done_by < locked.sent_on:
            errors["done_by"] = f"办结日期不能早于督办日期（{locked.sent_on:%Y-%m-%d}）。"
        elif done_by > today + timedelta(days=DONE_BY_MAX_DAYS):
            errors["done_by"] = "承诺办结日期不能超过一年。"
        if errors:
            raise Invalid(errors)
        locked.response = response
        locked.done_by = done_by
        locked.answered_on = today
        locked.answered_by = acting_user
        if locked.acknowledged_at is None:  # answering acknowledges receipt too
            locked.acknowledged_at = now
            locked.acknowledged_on = today
            locked.acknowledged_by = acting_user

    urging = transition(
        urging,
        "answer",
        table=URGING,
        actor=acting_user,
        now=now,
        guard=lambda locked: (
            None if can_respond(acting_user, locked.organization) else NOT_A_RESPONDER
        ),
        change=record,
        audit_data=lambda saved: {
            "done_by": saved.done_by.isoformat(),
            "on_time": saved.answered_on <= saved.respond_by,
        },
    )
    notify(
        "urging.answered",
        organization=urging.sender,
        key=f"urging:{urging.pk}:answered",
        context={"督办事项": urging.target_label, "反馈机关": urging.organization.name},
        staff=list(sender_staff(urging.sender)),
        url=urging.get_absolute_url(),
        now=now,
    )
    return urging


def urging_escalate(*, urging: Urging, now: datetime) -> Urging:
    """Not answered by the respond-by date: escalated (the daily job; no person acts)."""
    today = timezone.localdate(now)

    def check(locked: Urging) -> None:
        if locked.respond_by >= today:
            raise Invalid(f"回复期限（{locked.respond_by:%Y-%m-%d}）未过，不能升级督办。")

    return transition(
        urging,
        "escalate",
        table=URGING,
        actor=None,
        now=now,
        change=check,
        audit_data=lambda saved: {"respond_by": saved.respond_by.isoformat()},
    )


def urging_close(*, urging: Urging, comment: str, acting_user, now: datetime) -> Urging:
    """The supervisor reviewed the answer (or, for an escalated notice, followed it up
    another way, which the comment says) and closes the notice."""
    comment = (comment or "").strip()

    def record(locked: Urging) -> None:
        if locked.status == "escalated" and not comment:
            raise Invalid({"comment": "该督办逾期未回复，办结时请写明办结意见（如何跟进处理）。"})
        if len(comment) > COMMENT_MAX:
            raise Invalid({"comment": f"办结意见不能超过{COMMENT_MAX}个字。"})
        locked.close_comment = comment
        locked.closed_by = acting_user

    return transition(
        urging,
        "close",
        table=URGING,
        actor=acting_user,
        now=now,
        comment=comment,
        guard=lambda locked: None if can_close(acting_user, locked) else NOT_A_CLOSER,
        change=record,
    )
