"""Clock events that pause, restart or move the reply period (条例第三十条、第三十二条、第三十四条、第三十五条)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

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


@transaction.atomic
def application_request_correction(
    *,
    application: Application,
    on: date,
    until: date,
    what: str,
    acting_user,
    now: datetime | None = None,
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
        now=_now(now),
    )


@transaction.atomic
def application_receive_correction(
    *, application: Application, on: date, acting_user, note: str = "", now: datetime
) -> ClockEvent:
    """条例第三十条: the reply period restarts from the day the correction is received."""
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.CORRECTION_RECEIVED, on),
        acting_user=acting_user,
        note=note,
        now=now,
    )


@transaction.atomic
def application_consult(
    *,
    application: Application,
    kind: str,
    on: date,
    party: str,
    acting_user,
    note: str = "",
    now: datetime | None = None,
) -> ClockEvent:
    """条例第三十二条 (third party) / 第三十四条 (other body): the clock pauses."""
    _require_handler(acting_user, application)
    if kind not in (clock.THIRD_PARTY_CONSULTED, clock.OTHER_BODY_CONSULTED):
        raise ValidationError("请选择征求第三方意见或征求其他机关意见。")
    if not (party or "").strip():
        raise ValidationError("请填写被征求意见的第三方或机关名称。")
    application = _lock(application)
    consultee_letter = (
        LetterKind.CONSULT_THIRD_PARTY
        if kind == clock.THIRD_PARTY_CONSULTED
        else LetterKind.CONSULT_OTHER_BODY
    )
    letters = (consultee_letter, LetterKind.CONSULT_APPLICANT)
    return _record_event(
        application=application,
        new=clock.Event(kind, on),
        acting_user=acting_user,
        party=party.strip(),
        note=note,
        letters=letters,
        now=_now(now),
    )


@transaction.atomic
def application_record_consultation_answer(
    *, application: Application, on: date, acting_user, note: str = "", now: datetime | None = None
) -> ClockEvent:
    _require_handler(acting_user, application)
    application = _lock(application)
    return _record_event(
        application=application,
        new=clock.Event(clock.CONSULTATION_ANSWERED, on),
        acting_user=acting_user,
        note=note,
        now=_now(now),
    )


@transaction.atomic
def application_request_reasons(
    *, application: Application, on: date, until: date, acting_user, note: str = "", now: datetime
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
        now=now,
    )


@transaction.atomic
def application_set_later_date(
    *, application: Application, on: date, until: date, acting_user, note: str = "", now: datetime
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
        now=now,
    )
