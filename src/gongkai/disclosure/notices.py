"""公示 after their 公示期: find those that still show personal data, remind, mask.

A 公示 (名单公示, 补贴公示, 低保公示 …) publishes names and parts of ID numbers
for its 公示期 (``Item.notice_from`` – ``Item.notice_to``) so that the public can
object.  When the period has ended the purpose is met; leaving the personal
data on the website for years is not necessary any more (条例第十五条;
个人信息保护法第十九条: personal information is kept no longer than the
purpose needs).  So:

- :func:`expired_personal_data_notices` lists published items whose
  ``notice_to`` has passed and whose text still has personal-data hits (the
  clerk's work list, the dashboard, the supervisor's view, ``gongkai remind``);
- :func:`notice_mask_expired` masks the body and summary (transactional,
  audited, the search index updated in the same transaction);
- :func:`notices_remind` is the disclosure part of ``gongkai remind``: one
  reminder per item, and automatic masking for bodies that opted in
  (:class:`~gongkai.disclosure.models.NoticeSettings`).

Attachments (PDF, Word, …) cannot be masked in place: when they hold personal
data the item stays in the list until it is withdrawn (and republished with
masked attachments).

The body's own published phone, fax and address (条例第十二条, the 公开指南) are
not personal data: :func:`published_contacts` gives them to the scanner as its
allow-list, here and on the review pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai import privacy
from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden
from gongkai.organizations.models import Membership, Organization, Role
from gongkai.organizations.permissions import has_role
from gongkai.search.indexing import index_item

from .models import Item, NoticeExpiryReminder, NoticeSettings

# Who handles an expired 公示 of their body: the clerk who keeps the list, the
# office head, and the approver (who may also withdraw it).
MASK_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.APPROVER)
# The body's choice of automatic masking: the office head or the administrator.
SETTINGS_ROLES = (Role.OFFICE_HEAD, Role.ADMIN)
# Who is reminded (by e-mail when configured).
REMIND_ROLES = (Role.CLERK, Role.OFFICE_HEAD)
REMINDER_SUBJECT = "【政府信息公开】公示期已满的公示仍含个人信息"
_CACHE_SECONDS = 24 * 3600


def published_contacts(organization: Organization) -> list[str]:
    """What the body publishes about itself (公开指南, 条例第十二条): its office
    phone, fax and address — the scanner's allow-list, never personal data."""
    return [
        value
        for value in (
            organization.office_phone,
            organization.office_fax,
            organization.office_address,
        )
        if value
    ]


# --- permissions -------------------------------------------------------------------


def can_mask_expired_notice(user, item: Item) -> bool:
    return item.status == Item.Status.PUBLISHED and has_role(user, item.organization, *MASK_ROLES)


def can_configure_notices(user, organization: Organization) -> bool:
    return has_role(user, organization, *SETTINGS_ROLES)


# --- selector ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiredNotice:
    item: Item
    days_since: int  # days since the last day of the 公示期
    body_hits: int  # personal-data hits in title, summary and body (maskable)
    attachment_hits: int  # in the attachments' text (withdraw to remove them)
    labels: tuple[str, ...] = field(default=())  # kinds found, in Chinese

    @property
    def hits(self) -> int:
        return self.body_hits + self.attachment_hits


def _count_hits(texts: Iterable[str], allow: list[str]) -> tuple[int, set[str]]:
    count = 0
    labels: set[str] = set()
    for text in texts:
        if not text:
            continue
        for hit in privacy.scan(text, kinds=privacy.PERSONAL_KINDS, allow=allow):
            count += 1
            labels.add(hit.label)
    return count, labels


def _scan_item(item: Item, allow: list[str]) -> tuple[int, int, tuple[str, ...]]:
    """(body hits, attachment hits, labels) — cached per version of the item,
    its attachments and the body's contacts, so the supervisor's page does not
    rescan every notice of every body on each visit."""
    attachments = list(item.attachments.all())
    key_source = "|".join(
        [
            str(item.pk),
            item.updated_at.isoformat() if item.updated_at else "",
            ",".join(f"{a.pk}:{len(a.text or '')}" for a in attachments),
            "\n".join(allow),
        ]
    )
    key = "gongkai:notice-scan:" + hashlib.sha256(key_source.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    body_hits, labels = _count_hits((item.title, item.summary, item.body), allow)
    attachment_hits, more = _count_hits((a.text for a in attachments), allow)
    result = (body_hits, attachment_hits, tuple(sorted(labels | more)))
    cache.set(key, result, _CACHE_SECONDS)
    return result


def expired_personal_data_notices(
    *, organizations: Iterable[Organization], today: dt.date
) -> list[ExpiredNotice]:
    """Published items of ``organizations`` whose 公示期 ended before ``today``
    and whose text still has personal-data hits, longest expired first."""
    items = (
        Item.objects.filter(
            organization__in=list(organizations),
            status=Item.Status.PUBLISHED,
            notice_to__lt=today,
        )
        .select_related("organization")
        .prefetch_related("attachments")
        .order_by("notice_to", "pk")
    )
    contacts: dict[int, list[str]] = {}
    rows = []
    for item in items:
        allow = contacts.setdefault(item.organization_id, published_contacts(item.organization))
        body_hits, attachment_hits, labels = _scan_item(item, allow)
        if body_hits or attachment_hits:
            rows.append(
                ExpiredNotice(
                    item=item,
                    days_since=(today - item.notice_to).days,
                    body_hits=body_hits,
                    attachment_hits=attachment_hits,
                    labels=labels,
                )
            )
    return rows


def expired_notice_counts(
    *, organizations: Iterable[Organization], today: dt.date
) -> dict[int, list[ExpiredNotice]]:
    """The same, grouped by body id (the supervisor's view)."""
    out: dict[int, list[ExpiredNotice]] = {}
    for row in expired_personal_data_notices(organizations=organizations, today=today):
        out.setdefault(row.item.organization_id, []).append(row)
    return out


def notice_settings_for(organization: Organization) -> NoticeSettings:
    """The body's settings (unsaved defaults when it never chose)."""
    found = NoticeSettings.objects.filter(organization=organization).first()
    return found or NoticeSettings(organization=organization)


# --- services ------------------------------------------------------------------------


def _mask_item(item: Item, *, actor, now: dt.datetime, automatic: bool) -> int:
    """Mask title, summary and body of a locked item; returns the number of hits masked."""
    allow = published_contacts(item.organization)
    before = {name: getattr(item, name) or "" for name in ("title", "summary", "body")}
    hits = sum(
        len(privacy.scan(text, kinds=privacy.PERSONAL_KINDS, allow=allow))
        for text in before.values()
    )
    changed = []
    for name, text in before.items():
        masked = privacy.mask(text, allow=allow)
        if masked != text:
            setattr(item, name, masked)
            changed.append(name)
    if not changed:
        return 0
    item.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        organization=item.organization,
        verb="item.notice_mask_expired",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        comment="公示期满自动打码" if automatic else "",
        data={
            "hits": hits,
            "fields": changed,
            "automatic": automatic,
            "notice_to": item.notice_to.isoformat() if item.notice_to else None,
            "at": now.isoformat(),
        },
    )
    # The portal's search shows the masked text at once (same transaction).
    index_item(item)
    return hits


def _locked_expired(item: Item, today: dt.date) -> Item:
    item = Item.objects.select_for_update().select_related("organization").get(pk=item.pk)
    if item.status != Item.Status.PUBLISHED:
        raise ValidationError("只有已公开的公示才需要在公示期满后打码。")
    if item.notice_to is None or item.notice_to >= today:
        raise ValidationError("公示期尚未结束，公示期内应完整公示。")
    return item


@transaction.atomic
def notice_mask_expired(*, item: Item, acting_user, now: dt.datetime) -> Item:
    """Mask the personal data in an expired 公示 (title, summary, body).

    Raises ``Forbidden`` (a ``PermissionDenied``) for a user without a role in the body, and
    ``ValidationError`` (Chinese message) when the 公示期 has not ended or there
    is nothing in the text to mask (attachments must be withdrawn instead).
    """
    today = timezone.localdate(now)
    if not can_mask_expired_notice(acting_user, item):
        raise Forbidden("只有本机关的经办人、公开办负责人或审批领导可以处理公示期满的公示。")
    item = _locked_expired(item, today)
    if not _mask_item(item, actor=acting_user, now=now, automatic=False):
        raise ValidationError(
            "正文中没有需要打码的个人信息。附件中的个人信息无法自动打码，请撤回该信息后更换附件。"
        )
    return item


@transaction.atomic
def notice_settings_update(
    *, organization: Organization, acting_user, auto_mask_expired: bool
) -> NoticeSettings:
    if not can_configure_notices(acting_user, organization):
        raise Forbidden("只有公开办负责人或机关管理员可以修改公示期满处理方式。")
    current = NoticeSettings.objects.select_for_update().filter(organization=organization).first()
    before = bool(current and current.auto_mask_expired)
    current = current or NoticeSettings(organization=organization)
    current.auto_mask_expired = auto_mask_expired
    current.updated_by = acting_user
    current.save()
    if before != auto_mask_expired:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="notice_settings.update",
            obj=current,
            data={"auto_mask_expired": auto_mask_expired},
        )
    return current


# --- the daily run (``gongkai remind``) ------------------------------------------------


@dataclass(frozen=True)
class NoticeReminder:
    item: Item
    action: str  # "remind" or "masked"
    recipients: tuple[str, ...]
    summary: str


def _recipients(organization: Organization) -> tuple[str, ...]:
    emails = (
        Membership.objects.filter(
            organization=organization, role__in=REMIND_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return tuple(sorted(set(emails)))


def notices_remind(
    *, now: dt.datetime, dry_run: bool = False, organizations: Iterable[Organization] | None = None
) -> list[NoticeReminder]:
    """Expired 公示 that still show personal data: mask them automatically where
    the body chose so, otherwise remind the body's clerks once per item.

    Idempotent: a reminder is recorded once per item (a second run sends
    nothing new); masked items no longer have hits.  ``dry_run`` writes nothing
    and returns what would be done.
    """
    today = timezone.localdate(now)
    if organizations is None:
        organizations = Organization.objects.filter(is_active=True)
    rows = expired_personal_data_notices(organizations=organizations, today=today)
    auto = set(
        NoticeSettings.objects.filter(auto_mask_expired=True).values_list(
            "organization_id", flat=True
        )
    )
    reminded = set(
        NoticeExpiryReminder.objects.filter(item_id__in=[r.item.pk for r in rows]).values_list(
            "item_id", flat=True
        )
    )
    email_on = bool(getattr(settings, "EMAIL_HOST", ""))
    done: list[NoticeReminder] = []
    for row in rows:
        item = row.item
        body = item.organization
        end = f"{item.notice_to:%Y-%m-%d}"
        if body.pk in auto and row.body_hits:
            summary = (
                f"{body.name}：《{item.title}》公示期已于{end}结束，已自动对正文中的个人信息打码"
            )
            if row.attachment_hits:
                summary += "；附件中仍有个人信息，请撤回后更换附件"
            if not dry_run:
                with transaction.atomic():
                    locked = _locked_expired(item, today)
                    if not _mask_item(locked, actor=None, now=now, automatic=True):
                        continue
            done.append(NoticeReminder(item, "masked", (), summary))
            continue
        if item.pk in reminded:
            continue
        recipients = _recipients(body)
        summary = (
            f"{body.name}：《{item.title}》公示期已于{end}结束，仍含{row.hits}处个人信息"
            f"（{'、'.join(row.labels)}），请撤回或打码"
        )
        if not dry_run:
            with transaction.atomic():
                _, created = NoticeExpiryReminder.objects.get_or_create(
                    item=item,
                    defaults={
                        "sent_on": today,
                        "recipients": ", ".join(recipients),
                        "emailed": email_on and bool(recipients),
                    },
                )
                if not created:
                    continue
                if email_on and recipients:
                    text = f"{summary}。\n请登录政府信息公开工作平台处理。"
                    transaction.on_commit(
                        lambda text=text, to=list(recipients): send_mail(
                            REMINDER_SUBJECT, text, None, to, fail_silently=False
                        )
                    )
        done.append(NoticeReminder(item, "remind", recipients, summary))
    return done


def notices_remind_lines(*, today: dt.date, dry_run: bool = False) -> list[str]:
    """The disclosure part of ``gongkai remind``, as the lines it prints.

    The run happens at noon of ``today`` (the command's ``--date``), so a
    dated re-run computes the same 公示期 ends as the daily one.
    """
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    done = notices_remind(now=now, dry_run=dry_run)
    lines = []
    for n in done:
        if n.action == "masked":
            verb = "将自动打码" if dry_run else "已自动打码"
            lines.append(f"{verb}：{n.summary}")
        else:
            verb = "将发送" if dry_run else "已记录"
            lines.append(f"{verb}：{n.summary} → {'、'.join(n.recipients) or '（无邮箱，仅记录）'}")
    lines.append(f"{today:%Y-%m-%d} 公示期满仍含个人信息的公示：共 {len(done)} 条。")
    return lines
