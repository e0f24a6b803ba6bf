"""Reminders (gongkai remind): staff notifications of reply deadlines.

Each reminder owed is recorded once (``Reminder``, unique per application, kind
and due date) and notified through gongkai.notifications in the same
transaction: an in-app notice, and e-mail / SMS by the clerk's preferences
(e-mail only when an SMTP server is configured, as before).
"""

from __future__ import annotations

import warnings
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from gongkai.notifications.api import notify
from gongkai.workcal.selectors import calendar

from ..letters import cn_date
from ..models import Reminder, ReminderKind
from ..selectors import reminders_due, responsible_clerks

# Reminder kind -> notification event (gongkai.notifications.events).
EVENT_OF_KIND = {
    ReminderKind.DUE_SOON: "application.due_soon",
    ReminderKind.DUE_TODAY: "application.due_soon",
    ReminderKind.OVERDUE: "application.overdue",
    ReminderKind.APPLICANT_LAPSED: "application.applicant_lapsed",
}


def _context(planned, *, today: date, cal) -> dict[str, str]:
    a = planned.application
    context = {
        "申请人": a.applicant_name,
        "查询码": a.tracking_code,
        "收到日期": cn_date(a.received_on),
        "答复期限": cn_date(a.due_on),
        "申请内容": a.description[:50],
    }
    if planned.kind in (ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY):
        with warnings.catch_warnings():  # a year without a schedule is flagged elsewhere
            warnings.simplefilter("ignore")
            context["剩余工作日"] = str(max(cal.workdays_between(today, planned.due_on), 0))
    elif planned.kind == ReminderKind.APPLICANT_LAPSED:
        context["申请人期限"] = cn_date(planned.due_on)
    return context


def reminders_send(*, today: date, dry_run: bool = False) -> list:
    """Record and notify today's reminders.

    Idempotent: a reminder is unique per (application, kind, due date), and its
    notification key is too, so a second run the same day sends nothing new.
    ``dry_run`` writes nothing and returns what would be sent.
    """
    cal = calendar()
    owed = reminders_due(today=today, calendar=cal)
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
            a = planned.application
            reminder, created = Reminder.objects.get_or_create(
                application=a,
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
            notify(
                EVENT_OF_KIND[planned.kind],
                organization=a.organization,
                key=f"application:{a.pk}:reminder:{planned.kind}:{planned.due_on.isoformat()}",
                context=_context(planned, today=today, cal=cal),
                staff=responsible_clerks(a),
                url=reverse("applications:detail", args=[a.pk]),
            )
            sent.append(planned)
    return sent
