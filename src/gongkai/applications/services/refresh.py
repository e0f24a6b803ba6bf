"""Keeping the cached due dates in step with the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

from django.db import transaction

from gongkai.audit.services import audit_record

from .. import clock
from ..models import (
    Application,
    Status,
)
from ..workflow import INTAKE_NOT_HELD
from ._common import (
    _lock,
    _now,
    _store,
    application_deadline,
    logger,
)


@dataclass
class DeadlineRefresh:
    """What :func:`application_refresh_deadlines` did: how many cached due dates
    changed, and each open application whose stored history can no longer be
    replayed (with the Chinese reason)."""

    changed: int = 0
    skipped: list[tuple[Application, str]] = dataclass_field(default_factory=list)


def application_refresh_deadlines(
    *, organization_ids=None, now: datetime | None = None
) -> DeadlineRefresh:
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
    now = _now(now)
    result = DeadlineRefresh()
    # 统一受理 under the "signed" rule (D63): no reply period runs before a body
    # signs for the application, so there is no due date to refresh.
    qs = Application.objects.exclude(status=Status.CLOSED).exclude(
        intake_state__in=INTAKE_NOT_HELD, due_on__isnull=True
    )
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    for pk in qs.values_list("pk", flat=True):
        with transaction.atomic():
            application = _lock(Application(pk=pk))
            try:
                deadline = application_deadline(application)
            except clock.ClockError as exc:
                _flag_unreplayable(application, str(exc), now=now)
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
                at=now,
            )
            result.changed += 1
    return result


def _flag_unreplayable(application: Application, reason: str, *, now: datetime) -> None:
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
        at=now,
    )
