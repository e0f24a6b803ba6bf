"""Recording, sending and administering notifications (docs/notifications.md).

``notify`` records one :class:`~.models.Message` per recipient and channel in
the caller's transaction and defers ``notifications.send`` for each, which the
job queue runs once the transaction commits.  The send job claims its row with
a conditional UPDATE (``pending`` → ``sending``): a job run twice, or two
workers at once, send it once.  A failure leaves the row ``pending`` with the
error and raises, so the queue retries; after the last attempt the row is
``failed`` with the error kept, and the back office can retry it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core import placeholders
from gongkai.core.errors import Forbidden, Invalid
from gongkai.core.outbound import outbound_allowed
from gongkai.jobs import defer
from gongkai.organizations.models import Organization
from gongkai.organizations.permissions import visible_organization_ids

from . import events, sms
from .events import APPLICANT, EMAIL, INAPP, SMS, STAFF
from .models import Message, MessageStatus, Notice, NotificationTemplate, Preference, QuietHours
from .permissions import can_administer, can_see_log

logger = logging.getLogger("gongkai.notifications")

SEND_JOB = "notifications.send"
# Runs of the send job per message (the first and two retries); the job is
# declared with the same number (tasks.py).
SEND_ATTEMPTS = 3
MAX_SUBJECT = 200
MAX_BODY = 2000
MAX_SMS = 300
SUBJECT_MAX = 300  # Message.subject, Notice.title
# A row left "sending" this long was taken by a process that died mid-send.
STALE_SENDING = timedelta(minutes=15)


@dataclass(frozen=True)
class Person:
    """An applicant, asker or commenter: reached at what they supplied."""

    name: str = ""
    email: str = ""
    phone: str = ""


class DeliveryError(Exception):
    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class RetryLater(Exception):
    """Raised by the send job so that the queue runs it again."""


# --- templates ------------------------------------------------------------------


def template_problems(event: events.Event, channel: str, subject: str, body: str) -> list[str]:
    """What is wrong with a body's wording of ``event`` on ``channel`` (Chinese)."""
    parts = [("正文", body or "", MAX_SMS if channel == SMS else MAX_BODY)]
    if channel != SMS:
        parts.insert(0, ("标题", subject or "", MAX_SUBJECT))
    out = []
    for label, text, limit in parts:
        if not text.strip():
            out.append(f"{label}：不能为空。")
        elif len(text) > limit:
            out.append(f"{label}：过长（{len(text)} 字），最多 {limit} 字。")
        else:
            problems, _ = placeholders.field_problems(text, event.allowed)
            out += [f"{label}：{p}。" for p in problems]
    return out


def wording(
    organization: Organization, event: events.Event, audience: str, channel: str
) -> tuple[str, str]:
    own = NotificationTemplate.objects.filter(
        organization=organization, event=event.key, audience=audience, channel=channel
    ).first()
    if own is not None:
        return own.subject, own.body
    return event.default(audience, channel)


def render(
    organization: Organization,
    event: events.Event,
    audience: str,
    channel: str,
    values: Mapping[str, object],
) -> tuple[str, str]:
    """(subject, body) for one audience and channel; a stored wording that cannot
    be filled (saved before a check existed) falls back to the default and is logged."""
    subject, body = wording(organization, event, audience, channel)
    try:
        return _fill(subject, event, values, MAX_SUBJECT), _fill(body, event, values, MAX_BODY)
    except placeholders.PlaceholderError as exc:
        logger.error("通知模板有误（%s %s %s）：%s", organization.pk, event.key, channel, exc)
        subject, body = event.default(audience, channel)
        return _fill(subject, event, values, MAX_SUBJECT), _fill(body, event, values, MAX_BODY)


def _fill(text: str, event: events.Event, values: Mapping[str, object], limit: int) -> str:
    return placeholders.fill(text, values, event.allowed, max_length=limit) if text else ""


@transaction.atomic
def template_save(
    *,
    organization: Organization,
    event: str,
    audience: str,
    channel: str,
    subject: str,
    body: str,
    acting_user,
    now: datetime,
) -> NotificationTemplate:
    if not can_administer(acting_user, organization):
        raise Forbidden("只有管理员或公开办负责人可以修改通知模板。")
    declared = events.EVENTS.get(event)
    if (
        declared is None
        or audience not in declared.audiences
        or channel not in events.channels_for(audience)
    ):
        raise Invalid("未知的通知事件、对象或渠道。")
    problems = template_problems(declared, channel, subject, body)
    if problems:
        raise ValidationError(problems)
    template, created = NotificationTemplate.objects.select_for_update().get_or_create(
        organization=organization,
        event=event,
        audience=audience,
        channel=channel,
        defaults={"subject": subject, "body": body, "updated_by": acting_user},
    )
    if not created:
        template.subject, template.body, template.updated_by = subject, body, acting_user
        template.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="notification_template.save",
        obj=template,
        data={"event": event, "audience": audience, "channel": channel},
        at=now,
    )
    return template


@transaction.atomic
def template_reset(
    *,
    organization: Organization,
    event: str,
    audience: str,
    channel: str,
    acting_user,
    now: datetime,
) -> None:
    if not can_administer(acting_user, organization):
        raise Forbidden("只有管理员或公开办负责人可以修改通知模板。")
    deleted, _ = NotificationTemplate.objects.filter(
        organization=organization, event=event, audience=audience, channel=channel
    ).delete()
    if deleted:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="notification_template.reset",
            data={"event": event, "audience": audience, "channel": channel},
            at=now,
        )


# --- quiet hours ------------------------------------------------------------------


def quiet_hours_of(organization: Organization) -> QuietHours:
    found = QuietHours.objects.filter(organization=organization).first()
    return found or QuietHours(organization=organization)


DEFAULT_RELEASE_AT = time(8, 0)


def release_time() -> time:
    """When the daily job releases held messages (settings, default 08:00)."""
    return getattr(settings, "GONGKAI_NOTIFY_RELEASE_AT", DEFAULT_RELEASE_AT)


def quiet_until(quiet: QuietHours, now: datetime) -> datetime | None:
    """The end of the quiet period ``now`` falls in (aware), or None outside it."""
    if not quiet.enabled:
        return None
    local = timezone.localtime(now)
    t = local.time()
    start, end = quiet.start, quiet.end
    if start < end:  # e.g. 12:00–14:00
        inside, ends_today = start <= t < end, True
    else:  # over midnight, e.g. 22:00–08:00
        inside, ends_today = t >= start or t < end, t < end
    if not inside:
        return None
    day = local.date() if ends_today else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def held_by_quiet_hours(quiet: QuietHours, *, audience: str, channel: str) -> bool:
    """Which messages wait for the end of quiet hours.

    Staff: e-mail and SMS (in-app notices are silent).  Applicants: SMS when the
    body keeps ``applicant_sms`` on (default) — a phone buzzing at night from a
    government body is intrusive and nothing is lost by waiting, since an SMS is
    a courtesy notice, never the formal 送达 of a letter; e-mail is read when the
    reader chooses, so it goes at once."""
    if channel == INAPP:
        return False
    if audience == STAFF:
        return True
    return channel == SMS and quiet.applicant_sms


@transaction.atomic
def quiet_hours_save(
    *,
    organization: Organization,
    enabled: bool,
    start: time,
    end: time,
    applicant_sms: bool,
    acting_user,
    now: datetime,
) -> QuietHours:
    if not can_administer(acting_user, organization):
        raise Forbidden("只有管理员或公开办负责人可以修改免打扰时段。")
    problems = {}
    if start == end:
        problems["end"] = "开始与结束时间不能相同。"
    release = release_time()
    if end > release:
        # Held messages leave with the daily release run (tasks.release_held).
        problems["end"] = f"免打扰时段须在每日放行时间 {release:%H:%M} 或之前结束。"
    if problems:
        raise Invalid(problems)
    quiet, _ = QuietHours.objects.select_for_update().get_or_create(organization=organization)
    quiet.enabled, quiet.start, quiet.end, quiet.applicant_sms = enabled, start, end, applicant_sms
    quiet.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="notification_quiet_hours.save",
        obj=quiet,
        data={"enabled": enabled, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        at=now,
    )
    return quiet


# --- preferences ------------------------------------------------------------------


def preference_of(user) -> Preference:
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


@transaction.atomic
def preference_save(*, user, phone: str, enabled: Iterable[str], now: datetime) -> Preference:
    """``enabled``: the "group:channel" pairs the user keeps on; the rest go off."""
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise Invalid({"phone": "请填写11位手机号码。"})
    on = set(enabled)
    every = {f"{g}:{c}" for g in events.GROUPS for c in events.STAFF_CHANNELS}
    if on - every:
        raise Invalid("未知的通知类别。")
    pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
    pref.phone = phone
    pref.disabled = sorted(every - on)
    pref.save()
    return pref


# --- notify ----------------------------------------------------------------------


def email_enabled() -> bool:
    # As before this module: mail goes out only when an SMTP server is configured.
    return bool(getattr(settings, "EMAIL_HOST", ""))


def absolute(url: str) -> str:
    base = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    return base + url if base and url.startswith("/") else url


def mobile(phone: str | None) -> str:
    """A mainland mobile number (11 digits from 1) out of what was typed, else "":
    a landline or an extension cannot receive a text message."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) == 11 and digits.startswith("1") else ""


@dataclass(frozen=True)
class _Recipient:
    audience: str
    channel: str
    identity: str
    address: str
    name: str
    user: object | None


def _recipients(
    event: events.Event, applicant: Person | None, staff: Iterable | None
) -> list[_Recipient]:
    out: list[_Recipient] = []
    external = outbound_allowed()  # off while the demo loads (gongkai.core.outbound)
    if applicant is not None and APPLICANT in event.audiences and external:
        email, phone = (applicant.email or "").strip(), mobile(applicant.phone)
        if email and email_enabled():
            out.append(
                _Recipient(APPLICANT, EMAIL, f"email:{email.lower()}", email, applicant.name, None)
            )
        if phone:
            out.append(_Recipient(APPLICANT, SMS, f"phone:{phone}", phone, applicant.name, None))
    if staff and STAFF in event.audiences:
        users = {u.pk: u for u in staff if u is not None and u.is_active}
        prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
        for pk, user in sorted(users.items()):
            pref = prefs.get(pk) or Preference(user=user)
            name = user.get_full_name() or user.get_username()
            for channel in events.STAFF_CHANNELS:
                if not pref.wants(event.group, channel):
                    continue
                address = {INAPP: "", EMAIL: user.email, SMS: pref.phone}[channel]
                if channel != INAPP and not external:
                    continue
                if channel == EMAIL and not (address and email_enabled()):
                    continue
                out.append(_Recipient(STAFF, channel, f"user:{pk}", address, name, user))
    return out


def notify(
    event_key: str,
    *,
    organization: Organization,
    key: str,
    context: Mapping[str, object] | None = None,
    applicant: Person | None = None,
    staff: Iterable | None = None,
    url: str = "",
    applicant_url: str = "",
    now: datetime | None = None,
) -> list[Message]:
    """Record the messages of one fact and send them after the commit (see module doc).

    ``url``: the staff's link (in-app notice, {链接}); ``applicant_url``: the
    applicant's {链接} (a public page), default ``url``.  Returns the messages
    recorded now (none for a fact already notified)."""
    event = events.get(event_key)
    now = now or timezone.now()
    given = {k: "" if v is None else v for k, v in (context or {}).items()}
    unknown = set(given) - set(event.allowed)
    if unknown:
        raise ValueError(f"{event_key}: unknown placeholders {sorted(unknown)}")
    links = {STAFF: absolute(url), APPLICANT: absolute(applicant_url or url)}
    quiet = quiet_hours_of(organization)
    until = quiet_until(quiet, now)
    recorded: list[Message] = []
    with transaction.atomic():
        for r in _recipients(event, applicant, staff):
            values = {"机关名称": organization.name, "链接": links[r.audience], **given}
            subject, body = render(organization, event, r.audience, r.channel, values)
            # A header line, never longer than its column: long names must not
            # fail the step that notifies (a notice is a courtesy, D62).
            subject = " ".join(subject.split())[:SUBJECT_MAX]
            held = until is not None and held_by_quiet_hours(
                quiet, audience=r.audience, channel=r.channel
            )
            message = _record(
                event=event,
                organization=organization,
                key=key,
                recipient=r,
                subject=subject,
                body=body,
                url=url if r.audience == STAFF else links[APPLICANT],
                status=MessageStatus.HELD if held else MessageStatus.PENDING,
                hold_until=until if held else None,
                now=now,
            )
            if message is None:
                continue
            recorded.append(message)
            if r.channel == INAPP:
                Notice.objects.create(
                    user=r.user,
                    organization=organization,
                    message=message,
                    event=event.key,
                    title=subject,
                    body=body,
                    url=url,
                    created_at=now,
                )
                Message.objects.filter(pk=message.pk).update(
                    status=MessageStatus.SENT, attempts=1, sent_at=now
                )
            elif not held:
                defer(SEND_JOB, message_id=message.pk)
    return recorded


def _record(*, event, organization, key, recipient: _Recipient, now, **fields) -> Message | None:
    """The new message, or None when (key, recipient, channel) exists already."""
    lookup = {"key": key[:200], "recipient": recipient.identity, "channel": recipient.channel}
    if Message.objects.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert loses quietly
            return Message.objects.create(
                **lookup,
                event=event.key,
                organization=organization,
                audience=recipient.audience,
                recipient_user=recipient.user,
                recipient_name=recipient.name[:200],
                address=recipient.address,
                backend=_backend_name(recipient.channel),
                max_attempts=SEND_ATTEMPTS,
                created_at=now,
                **fields,
            )
    except IntegrityError:
        return None


def _backend_name(channel: str) -> str:
    if channel == SMS:
        return getattr(settings, "GONGKAI_SMS_BACKEND", "console")
    return {EMAIL: "smtp", INAPP: "inapp"}[channel]


# --- sending -----------------------------------------------------------------------


def deliver(message: Message) -> str:
    """Hand one message to its channel; the provider's id ("" if none)."""
    if message.channel == EMAIL:
        try:
            connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", 10))
            EmailMessage(
                subject=message.subject,
                body=message.body,
                to=[message.address],
                connection=connection,
            ).send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"邮件服务器拒收该地址：{exc}", retryable=False) from exc
        except TimeoutError as exc:
            raise DeliveryError("邮件服务器无响应（超时）") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"邮件发送失败：{exc}") from exc
        return ""
    if message.channel == SMS:
        try:
            return sms.backend().send(phone=message.address, text=message.body).provider_id
        except sms.SmsError as exc:
            raise DeliveryError(str(exc), retryable=exc.retryable) from exc
    raise DeliveryError(f"渠道 {message.channel} 不经发送任务", retryable=False)


def message_send(*, message_id: int, now: datetime | None = None) -> str:
    """Send one message if it is still ``pending``; returns its status afterwards.

    Raises :class:`RetryLater` after a failure the next run may cure, so that
    the job queue runs the job again."""
    now = now or timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
        status=MessageStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        updated_at=now,
    )
    if not claimed:  # sent, being sent by another run, failed, held or gone
        return Message.objects.filter(pk=message_id).values_list("status", flat=True).first() or ""
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = deliver(message)
    except DeliveryError as exc:
        last = message.attempts >= message.max_attempts or not exc.retryable
        status = MessageStatus.FAILED if last else MessageStatus.PENDING
        Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
            status=status, last_error=str(exc)[:2000], updated_at=timezone.now()
        )
        if last:
            logger.error(
                "通知 %s 发送失败（第 %d 次，不再重试）：%s", message_id, message.attempts, exc
            )
            return status
        raise RetryLater(f"通知 {message_id} 第 {message.attempts} 次发送失败：{exc}") from exc
    Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        provider_id=provider_id[:100],
        last_error="",
        updated_at=timezone.now(),
    )
    return MessageStatus.SENT


def held_release(*, now: datetime) -> int:
    """Queue the held messages whose quiet hours are over, and fail the ones a
    dead process left ``sending`` (no automatic resend: the message may have
    gone out; a clerk checks and retries).  Returns how many were queued."""
    stale = Message.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(
        status=MessageStatus.FAILED,
        last_error="发送过程中断，无法确认是否已送达；请核实后在发送记录中重试。",
        updated_at=now,
    )
    if stale:
        logger.warning("%d 条通知发送中断，已记为失败。", stale)
    released = 0
    due = Message.objects.filter(status=MessageStatus.HELD, hold_until__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            moved = Message.objects.filter(pk=pk, status=MessageStatus.HELD).update(
                status=MessageStatus.PENDING, updated_at=now
            )
            if moved:
                defer(SEND_JOB, message_id=pk)
                released += 1
    return released


@transaction.atomic
def message_retry(*, message: Message, acting_user, now: datetime) -> Message:
    """Send a failed message again (the back office's 重试), with fresh attempts."""
    if not can_see_log(acting_user, message.organization):
        raise Forbidden("无权重试该通知。")
    moved = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING,
        max_attempts=F("attempts") + SEND_ATTEMPTS,
        updated_at=now,
    )
    if not moved:
        raise Invalid("只能重试发送失败的通知。")
    audit_record(
        actor=acting_user,
        organization=message.organization,
        verb="notification.retry",
        obj=message,
        data={"event": message.event, "channel": message.channel},
        at=now,
    )
    defer(SEND_JOB, message_id=message.pk)
    message.refresh_from_db()
    return message


# --- in-app notices -------------------------------------------------------------------


def notices_mark_read(*, user, ids: Iterable[int] | None, now: datetime) -> int:
    """Mark the user's notices read (all unread ones when ``ids`` is None)."""
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=now)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(
        user=user, read_at__isnull=True, organization_id__in=visible_organization_ids(user)
    ).count()
