"""Replying and closing with one table-3 outcome."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.annual.format import T3_ROW_BY_KEY

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
    now: datetime | None = None,
) -> Application:
    """Reply and close with exactly one table-3 outcome; writes the reply date
    and generates the 告知书 of the outcome's group."""
    now = _now(now)
    _require_handler(acting_user, application)
    application = _lock(application)
    group = T3_ROW_BY_KEY[outcome].group if outcome in T3_ROW_BY_KEY else None
    _require_not_future(reply_on, "答复日期", now=now)
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
        now=now,
    )
    return application
