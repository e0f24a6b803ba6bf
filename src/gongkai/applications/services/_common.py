"""Shared steps of every application write: permission checks, replaying the
stored clock events, recording an event (audit row, letters)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.bounds import date_in_range
from gongkai.core.errors import Forbidden, Invalid
from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar, fee_pauses_clock

from .. import clock
from ..letters import LETTER_ERRORS, LetterTemplateError, letter_generate
from ..models import (
    Application,
    ClockEvent,
)
from ..permissions import can_handle, can_register

# The name the module had before the split (log configuration and tests use it).
logger = logging.getLogger("gongkai.applications.services")


def _now(now: datetime | None) -> datetime:
    """``now`` as given, or the current time for the callers (tests mostly) that
    leave it out; the views, the demo and the jobs always pass it."""
    return timezone.now() if now is None else now


def _require_writer(user, organization: Organization) -> None:
    """Register applications: the same roles the views allow (permissions.can_register)."""
    if user is None:
        return  # the public portal and scheduled jobs
    if not can_register(user, organization):
        raise Forbidden("您在该机关没有办理政府信息公开申请的权限。")


def _require_handler(user, application: Application) -> None:
    """Act on an application: the same roles the views allow (permissions.can_handle).

    An application of a unified intake (统一受理) is handled only once a body has
    signed for it (services.dispatch)."""
    if not application.is_held:
        raise Invalid("该申请尚未由承办机关签收，签收后才能办理。")
    if user is None:
        return  # scheduled jobs
    if not can_handle(user, application):
        raise Forbidden("您在该机关没有办理政府信息公开申请的权限。")


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
    now: datetime,
) -> ClockEvent:
    from_state = application.status
    # Every step is recorded after it happened: no date after today.
    _require_not_future(new.on, f"“{clock.EVENT_LABEL.get(new.kind, new.kind)}”的日期", now=now)
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
        at=now,
    )
    for kind in letters:
        _generate_or_record_failure(
            application=application, event=event, kind=kind, acting_user=acting_user, now=now
        )
    return event


def _generate_or_record_failure(
    *, application: Application, event: ClockEvent, kind: str, acting_user, now: datetime
) -> None:
    """Generate a step's letter; a broken stored template never loses the step.

    The step (a closing, say) is the legal act and stays recorded; the missing
    letter is noted on the event with a Chinese message naming the template, is
    audited, and is offered on the application page for ``letter_regenerate``
    once the template is fixed.  ``letter_generate`` raises before writing.
    """
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
            at=now,
        )


def _require_not_future(
    day: date | None, label: str, *, now: datetime, field: str | None = None
) -> None:
    """A date that has not happened yet cannot be recorded as having happened
    (today is the local date of ``now``)."""
    if day is not None and day > timezone.localdate(now):
        message = f"{label}（{day:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
        raise ValidationError({field: message} if field else message)
