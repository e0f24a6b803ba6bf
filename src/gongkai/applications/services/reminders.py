"""Reminders (gongkai remind)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.workcal.selectors import calendar

from ..models import Reminder
from ..selectors import reminders_due

REMINDER_SUBJECT = "【政府信息公开】依申请公开办理期限提醒"


def reminders_send(*, today: date, dry_run: bool = False) -> list:
    """Record (and, when an SMTP server is configured, e-mail) today's reminders.

    Idempotent: a reminder is unique per (application, kind, due date), so a
    second run the same day sends nothing new.  ``dry_run`` writes nothing and
    returns what would be sent.
    """
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
