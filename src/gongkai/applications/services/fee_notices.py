"""Fees (国办函〔2020〕109号): the notice and the payment."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from gongkai import fees

from .. import clock
from ..models import (
    Application,
    ClockEvent,
    LetterKind,
)
from ._common import (
    _lock,
    _now,
    _record_event,
    _require_handler,
)


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
    now: datetime | None = None,
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
        now=_now(now),
    )


@transaction.atomic
def application_record_payment(
    *, application: Application, on: date, acting_user, now: datetime
) -> ClockEvent:
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.FEE_PAID, on),
        acting_user=acting_user,
        data={"amount": application.fee_amount},
        now=now,
    )
