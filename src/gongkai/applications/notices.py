"""Applications' facts turned into notifications (gongkai.notifications).

Connected in ``ApplicationsConfig.ready``: a new ``Application`` (收到申请) and
a new ``ClockEvent`` (补正, 延期, 收费, 征求意见, 答复办结) each notify the
applicant at the e-mail address and mobile number they gave, and the body's
responsible clerks (not the clerk who recorded the step).

The signal only registers the notification for the commit: the services write
an event first and the application's deadline and status after it, so the
message is rendered from the committed rows (the final 答复期限).  Nothing is
sent for a write that rolls back.  Each message's key names the row it comes
from, so a fact is notified once however often the hook runs.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse

from gongkai.notifications.api import Person, notify

from .delivery import ANSWER_LETTER_KINDS
from .letters import cn_date
from .models import Application, ClockEvent, EventKind
from .selectors import responsible_clerks

# Clock events the applicant hears of, and the notification event of each.
EVENT_OF_KIND = {
    EventKind.CORRECTION_REQUESTED: "application.correction_requested",  # 条例第三十条
    EventKind.EXTENSION: "application.extension",  # 条例第三十三条第二款
    EventKind.FEE_NOTICE: "application.fee_notice",  # 条例第四十二条
    # 条例第三十二条、第三十四条: the time consulting takes is not counted
    # (第三十三条第三款), so the applicant is told why the date moves; the
    # third party is not named to them.
    EventKind.THIRD_PARTY_CONSULTED: "application.consultation_sent",
    EventKind.OTHER_BODY_CONSULTED: "application.consultation_sent",
    EventKind.CLOSED: "application.answered",
}


def _due(application: Application) -> str:
    if application.due_on is None and not application.is_held:
        # 统一受理 under the "signed" rule (D63): no period runs before a body signs.
        return "自承办机关签收之日起20个工作日内"
    return cn_date(application.due_on)


def base_context(application: Application) -> dict[str, str]:
    return {
        "申请人": application.applicant_name,
        "查询码": application.tracking_code,
        "收到日期": cn_date(application.received_on),
        "答复期限": _due(application),
        "申请内容": application.description[:50],
    }


def applicant_of(application: Application) -> Person:
    return Person(name=application.applicant_name, email=application.email, phone=application.phone)


def staff_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def event_context(event: ClockEvent, application: Application) -> dict[str, str]:
    context = base_context(application)
    kind = event.kind
    if kind == EventKind.CORRECTION_REQUESTED:
        context |= {"补正事项": event.note, "补正期限": cn_date(event.until)}
    elif kind == EventKind.EXTENSION:
        context |= {"延期天数": str(event.days or ""), "延期理由": event.note}
    elif kind == EventKind.FEE_NOTICE:
        context |= {"收费金额": str(application.fee_amount), "缴费期限": cn_date(event.until)}
    elif kind in (EventKind.THIRD_PARTY_CONSULTED, EventKind.OTHER_BODY_CONSULTED):
        context |= {"征求意见期限": cn_date(event.until)}
    elif kind == EventKind.CLOSED:
        context |= {
            "答复日期": cn_date(application.reply_on or event.on),
            "办理结果": application.get_outcome_display() if application.outcome else "",
            # Only promise the download when the answer letter was generated.
            "答复书": (
                "答复告知书可凭查询码在查询页面下载"
                if application.letters.filter(kind__in=ANSWER_LETTER_KINDS).exists()
                else "答复告知书将另行送达，可凭查询码在查询页面查询办理情况"
            ),
        }
    return context


def notify_received(application_id: int) -> None:
    application = Application.objects.select_related("organization").get(pk=application_id)
    notify(
        "application.received",
        organization=application.organization,
        key=f"application:{application.pk}:received",
        context=base_context(application),
        applicant=applicant_of(application),
        staff=[u for u in responsible_clerks(application) if u.pk != application.created_by_id],
        url=staff_url(application),
        applicant_url=reverse("portal:status"),
    )


def notify_event(event_id: int) -> None:
    event = ClockEvent.objects.select_related("application__organization").get(pk=event_id)
    application = event.application
    notify(
        EVENT_OF_KIND[event.kind],
        organization=application.organization,
        key=f"application:{application.pk}:event:{event.pk}",
        context=event_context(event, application),
        applicant=applicant_of(application),
        staff=[u for u in responsible_clerks(application) if u.pk != event.actor_id],
        url=staff_url(application),
        # The applicant follows the status page (the answer letter is downloaded
        # there with the tracking code).
        applicant_url=reverse("portal:status"),
    )


def on_application_saved(sender, instance: Application, created: bool, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda pk=instance.pk: notify_received(pk), robust=True)


def on_event_saved(sender, instance: ClockEvent, created: bool, raw=False, **kwargs):
    if created and not raw and instance.kind in EVENT_OF_KIND:
        transaction.on_commit(lambda pk=instance.pk: notify_event(pk), robust=True)


def connect() -> None:
    post_save.connect(on_application_saved, sender=Application, dispatch_uid="notices.application")
    post_save.connect(on_event_saved, sender=ClockEvent, dispatch_uid="notices.clock_event")
