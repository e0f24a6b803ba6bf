"""Every write of the consultations app (audited, one transaction each).

Rules, with their source:

- 《重大行政决策程序暂行条例》第十五条: the draft and its explanation (起草说明) are
  published with the ways and the period to comment; for a major decision the
  period is generally not less than 30 days, and a shorter one (因情况紧急等原因)
  is explained publicly (``shortened_reason``).  Other drafts: the body's own
  minimum (``ConsultationSettings``).
- A period counts in days with the start day not counted (《民法典》第二百零一条:
  按照年、月、日计算期间的，开始的当日不计入): 1 March to 31 March is 30 days.
- A period never starts before the consultation is published, and comments are
  taken only within it; it is never cut short.
- After the period: each accepted comment gets 采纳 / 部分采纳 / 未采纳, with a
  reason unless adopted; the 采纳情况 is published with the final decision (a
  published disclosure item of the same body).

Services take ``now`` from their caller (house rule: no service reads the clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import nh3
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid, require
from gongkai.core.transition import transition
from gongkai.disclosure.models import Item
from gongkai.disclosure.notices import published_contacts
from gongkai.organizations.models import Organization
from gongkai.privacy import mask
from gongkai.uploads import store_checked_upload

from .models import (
    MAJOR_MIN_DAYS,
    Channel,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationAttachment,
    ConsultationSettings,
    Decision,
)
from .permissions import can_approve, can_change_settings, can_handle
from .workflow import COMMENT, CONSULTATION, EDITABLE_STATES, REASON_REQUIRED

ATTACHMENT_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "doc", "xls", "jpg", "png", "txt"})
NOT_A_HANDLER = "只有本机关的经办人可以办理意见征集。"
NOT_AN_APPROVER = "只有本机关的审批领导可以审批意见征集。"
MAX_COMMENT_CHARS = 5000


# --- settings and period rules -------------------------------------------------------


def settings_for(organization: Organization) -> ConsultationSettings:
    """The body's settings, or the defaults (unsaved) when it has none."""
    found = ConsultationSettings.objects.filter(organization=organization).first()
    return found or ConsultationSettings(organization=organization)


def minimum_days(*, is_major: bool, settings: ConsultationSettings) -> int:
    # 《重大行政决策程序暂行条例》第十五条: 一般不少于30日.
    return MAJOR_MIN_DAYS if is_major else settings.ordinary_min_days


def default_end(*, start_on: date, is_major: bool, settings: ConsultationSettings) -> date:
    """The proposed 截止日期: the minimum for a major decision (30 days), the body's
    default for others; the start day is not counted (《民法典》第二百零一条)."""
    days = MAJOR_MIN_DAYS if is_major else settings.ordinary_default_days
    return start_on + timedelta(days=days)


def period_findings(
    *,
    is_major: bool,
    start_on: date | None,
    end_on: date | None,
    shortened_reason: str,
    settings: ConsultationSettings,
) -> dict[str, str]:
    """Every finding about the period, by field (empty: the period is lawful)."""
    if start_on is None or end_on is None:
        return {"end_on": "请填写征求意见的开始日期和截止日期。"}
    if end_on <= start_on:
        return {"end_on": "截止日期必须晚于开始日期。"}
    days = (end_on - start_on).days
    if is_major:
        if days < MAJOR_MIN_DAYS and not shortened_reason.strip():
            return {
                "end_on": f"重大行政决策的征求意见期一般不少于{MAJOR_MIN_DAYS}日（《重大行政决策程序暂行条例》"
                f"第十五条），现为{days}日。因情况紧急等原因需要缩短的，请填写缩短期限的说明。"
            }
    elif days < settings.ordinary_min_days:
        return {
            "end_on": f"征求意见期不得少于{settings.ordinary_min_days}日（本机关意见征集设置），现为{days}日。"
        }
    return {}


# --- drafting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What the clerk writes; the form's cleaned data."""

    title: str
    body: str
    body_format: str
    explanation: str
    is_major: bool
    start_on: date | None
    end_on: date | None
    shortened_reason: str = ""
    accepts_online: bool = True
    mail_address: str = ""
    email: str = ""
    fax: str = ""
    meeting: str = ""


def _sanitise(body: str, body_format: str) -> str:
    if body_format == Consultation.BodyFormat.HTML:
        return nh3.clean(body or "")
    return body or ""


def _draft_findings(draft: Draft, settings: ConsultationSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = "请填写标题。"
    if not draft.body.strip():
        errors["body"] = "请填写草案正文。"
    if draft.body_format not in Consultation.BodyFormat.values:
        errors["body_format"] = "请选择正文格式。"
    # 第十五条: 公布决策草案及其说明等材料.
    if not draft.explanation.strip():
        errors["explanation"] = (
            "请填写起草说明（《重大行政决策程序暂行条例》第十五条要求公布草案及其说明）。"
        )
    # 第十五条: 明确提出意见的方式.
    if not (
        draft.accepts_online
        or draft.mail_address.strip()
        or draft.email.strip()
        or draft.fax.strip()
        or draft.meeting.strip()
    ):
        errors["accepts_online"] = "请至少提供一种提出意见的方式。"
    if draft.shortened_reason.strip() and not draft.is_major:
        errors["shortened_reason"] = "只有重大行政决策缩短征求意见期时才需要填写此说明。"
    errors.update(
        period_findings(
            is_major=draft.is_major,
            start_on=draft.start_on,
            end_on=draft.end_on,
            shortened_reason=draft.shortened_reason,
            settings=settings,
        )
    )
    return errors


def _apply(consultation: Consultation, draft: Draft) -> None:
    consultation.title = draft.title.strip()
    consultation.body_format = draft.body_format
    consultation.body = _sanitise(draft.body, draft.body_format)
    consultation.explanation = draft.explanation.strip()
    consultation.is_major = draft.is_major
    consultation.shortened_reason = draft.shortened_reason.strip()
    consultation.start_on = draft.start_on
    consultation.end_on = draft.end_on
    consultation.accepts_online = draft.accepts_online
    consultation.mail_address = draft.mail_address.strip()
    consultation.email = draft.email.strip()
    consultation.fax = draft.fax.strip()
    consultation.meeting = draft.meeting.strip()


def _add_attachments(consultation: Consultation, files, acting_user, stored: list[str]):
    added = []
    for file in files:
        path, checked = store_checked_upload(
            file,
            organization=consultation.organization,
            subdir="consultations",
            allowed=ATTACHMENT_KINDS,
        )
        stored.append(path)
        added.append(
            ConsultationAttachment.objects.create(
                consultation=consultation,
                path=path,
                original_name=checked.original_name[:255],
                kind=checked.kind,
                size=checked.size,
                uploaded_by=acting_user,
            )
        )
    return added


def _store_files(consultation: Consultation, files, acting_user) -> list[ConsultationAttachment]:
    stored: list[str] = []
    try:
        return _add_attachments(consultation, files, acting_user, stored)
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise


@transaction.atomic
def consultation_create(
    *, organization: Organization, acting_user, draft: Draft, files=(), now: datetime
) -> Consultation:
    require(can_handle(acting_user, organization), NOT_A_HANDLER)
    errors = _draft_findings(draft, settings_for(organization))
    if errors:
        raise Invalid(errors)
    consultation = Consultation(organization=organization, created_by=acting_user)
    _apply(consultation, draft)
    consultation.save()
    added = _store_files(consultation, files, acting_user) if files else []
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="consultation.create",
        obj=consultation,
        to_state=consultation.status,
        data={"attachments_added": [a.original_name for a in added]},
        at=now,
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    acting_user,
    draft: Draft,
    files=(),
    remove_attachment_ids=(),
    now: datetime,
) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_handle(acting_user, consultation.organization), NOT_A_HANDLER)
    if consultation.status not in EDITABLE_STATES:
        raise Invalid(
            f"当前状态为“{consultation.status_label}”，不能修改（已提交或已发布的征求意见不能改动）。"
        )
    errors = _draft_findings(draft, settings_for(consultation.organization))
    if errors:
        raise Invalid(errors)
    _apply(consultation, draft)
    consultation.save()
    removed = list(consultation.attachments.filter(pk__in=list(remove_attachment_ids)))
    for attachment in removed:
        path = attachment.path
        attachment.delete()
        transaction.on_commit(lambda p=path: default_storage.delete(p))
    added = _store_files(consultation, files, acting_user) if files else []
    audit_record(
        actor=acting_user,
        organization=consultation.organization,
        verb="consultation.update",
        obj=consultation,
        data={
            "attachments_added": [a.original_name for a in added],
            "attachments_removed": [a.original_name for a in removed],
        },
        at=now,
    )
    return consultation


# --- review and approval -------------------------------------------------------------


def consultation_submit(*, consultation: Consultation, acting_user, now: datetime) -> Consultation:
    return transition(
        consultation,
        "submit",
        table=CONSULTATION,
        actor=acting_user,
        now=now,
        guard=lambda c: None if can_handle(acting_user, c.organization) else NOT_A_HANDLER,
        related=("organization",),
    )


def consultation_return(
    *, consultation: Consultation, acting_user, comment: str, now: datetime
) -> Consultation:
    def needs_reason(_c: Consultation) -> None:
        if not comment.strip():
            raise Invalid("退回时请写明需要修改的地方。")

    return transition(
        consultation,
        "return",
        table=CONSULTATION,
        actor=acting_user,
        now=now,
        comment=comment.strip(),
        guard=lambda c: None if can_approve(acting_user, c.organization) else NOT_AN_APPROVER,
        change=needs_reason,
        related=("organization",),
    )


def consultation_approve(*, consultation: Consultation, acting_user, now: datetime) -> Consultation:
    """Approve and publish.  The period may not have begun before publication, and
    the period rules are checked again (the body's settings may have changed)."""
    today = timezone.localdate(now)

    def check(c: Consultation) -> None:
        if c.start_on < today:
            raise Invalid(
                f"征求意见开始日期（{c.start_on:%Y-%m-%d}）早于发布日期（{today:%Y-%m-%d}），"
                "请退回经办人调整日期：征求意见期不能在发布之前开始。"
            )
        errors = period_findings(
            is_major=c.is_major,
            start_on=c.start_on,
            end_on=c.end_on,
            shortened_reason=c.shortened_reason,
            settings=settings_for(c.organization),
        )
        if errors:
            raise Invalid(next(iter(errors.values())))

    return transition(
        consultation,
        "approve",
        table=CONSULTATION,
        actor=acting_user,
        now=now,
        guard=lambda c: None if can_approve(acting_user, c.organization) else NOT_AN_APPROVER,
        change=check,
        audit_data=lambda c: {"start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat()},
        related=("organization",),
    )


# --- comments ------------------------------------------------------------------------


def _comment_findings(content: str) -> dict[str, str]:
    if not content.strip():
        return {"content": "请填写意见内容。"}
    if len(content) > MAX_COMMENT_CHARS:
        return {
            "content": f"意见内容不能超过{MAX_COMMENT_CHARS}字，较长的意见请通过信函或电子邮件提交。"
        }
    return {}


def _refuse_outside_period(consultation: Consultation, day: date) -> None:
    if not consultation.is_public:
        raise Invalid("该意见征集尚未发布，不能提交意见。")
    if day < consultation.start_on:
        raise Invalid(f"征求意见将于{consultation.start_on:%Y年%m月%d日}开始，届时欢迎提出意见。")
    if day > consultation.end_on:
        raise Invalid(
            f"征求意见已于{consultation.end_on:%Y年%m月%d日}截止，不再接受意见。感谢您的关注。"
        )


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    content: str,
    name: str = "",
    contact: str = "",
    consented: bool,
    now: datetime,
) -> Comment:
    """An online comment from the portal (no user)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.accepts_online:
        raise Invalid("该意见征集不接受网上留言，请按页面所列方式提出意见。")
    _refuse_outside_period(consultation, timezone.localdate(now))
    errors = _comment_findings(content)
    if not consented:
        errors["consented"] = "请阅读隐私说明并勾选同意后再提交。"
    if errors:
        raise Invalid(errors)
    comment = Comment.objects.create(
        consultation=consultation,
        channel=Channel.ONLINE,
        content=content.strip(),
        name=name.strip()[:100],
        contact=contact.strip()[:200],
        consented=True,
        received_on=timezone.localdate(now),
    )
    audit_record(
        actor=None,
        organization=consultation.organization,
        verb="comment.submit",
        obj=comment,
        to_state=comment.status,
        data={"consultation": consultation.pk},
        at=now,
    )
    return comment


@transaction.atomic
def comment_record(
    *,
    consultation: Consultation,
    channel: str,
    content: str,
    received_on: date,
    acting_user,
    name: str = "",
    contact: str = "",
    now: datetime,
) -> Comment:
    """A comment received by 信函 / 电子邮件 / 传真 / 座谈会, entered by the clerk.

    It counts only if it arrived within the period (a letter posted on the last
    day and received later is the clerk's call: enter the postmark date).
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_handle(acting_user, consultation.organization), NOT_A_HANDLER)
    if consultation.status != "published":
        raise Invalid(f"当前状态为“{consultation.status_label}”，不能登记意见。")
    errors = _comment_findings(content)
    if channel not in Channel.values or channel == Channel.ONLINE:
        errors["channel"] = "请选择信函、电子邮件、传真或座谈会/听证会。"
    if received_on is None:
        errors["received_on"] = "请填写收到日期。"
    elif received_on > timezone.localdate(now):
        errors["received_on"] = "收到日期不能晚于今天。"
    elif not (consultation.start_on <= received_on <= consultation.end_on):
        errors["received_on"] = (
            f"收到日期须在征求意见期内（{consultation.start_on:%Y-%m-%d}至{consultation.end_on:%Y-%m-%d}）；"
            "信函以邮戳日期为准。"
        )
    if errors:
        raise Invalid(errors)
    comment = Comment.objects.create(
        consultation=consultation,
        channel=channel,
        content=content.strip(),
        name=name.strip()[:100],
        contact=contact.strip()[:200],
        received_on=received_on,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        organization=consultation.organization,
        verb="comment.record",
        obj=comment,
        to_state=comment.status,
        data={"consultation": consultation.pk, "channel": channel},
        at=now,
    )
    return comment


def _feedback_not_published(comment: Comment) -> None:
    if comment.consultation.status != "published":
        raise Invalid("采纳情况已经公布，意见的处理结果不能再修改。")


def comment_moderate(
    *, comment: Comment, accept: bool, reason: str = "", acting_user, now: datetime
) -> Comment:
    """受理 a comment for consideration, or 不予受理 it (spam, off-topic) with a reason."""

    def check(c: Comment) -> None:
        _feedback_not_published(c)
        if not accept and not reason.strip():
            raise Invalid(
                {"reason": "不予受理时请填写理由（如：与征求意见内容无关、广告等垃圾信息）。"}
            )

    changes = {} if accept else {"rejection_reason": reason.strip()[:300]}
    return transition(
        comment,
        "accept" if accept else "reject",
        table=COMMENT,
        actor=acting_user,
        now=now,
        comment="" if accept else reason.strip(),
        guard=lambda c: (
            None if can_handle(acting_user, c.consultation.organization) else NOT_A_HANDLER
        ),
        change=check,
        related=("consultation__organization",),
        **changes,
    )


def _masked(text: str, organization: Organization, *, known: tuple[str, ...] = ()) -> str:
    """``text`` with personal data masked: what the scanner finds (ID and phone
    numbers, addresses…) and the commenter's own name and contact wherever they
    appear — the scanner cannot tell a name in free text, but the comment knows
    whose it is.  Other people's names remain the clerk's to summarise away."""
    for value in sorted({v.strip() for v in known if len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, value[0] + "*" * (len(value) - 1))
    return mask(text, allow=published_contacts(organization))


def comment_decide(
    *,
    comment: Comment,
    decision: str,
    reason: str = "",
    summary: str = "",
    acting_user,
    now: datetime,
) -> Comment:
    """Record 采纳 / 部分采纳 / 未采纳 after the period; a reason is required unless
    adopted.  ``summary`` is the clerk's wording of the point, published with the
    采纳情况 instead of the comment itself (a scanner cannot find every name in free
    text); it is required, and masked of what personal data the scanner finds and
    of the commenter's own name and contact."""

    def check(c: Comment) -> None:
        _feedback_not_published(c)
        today = timezone.localdate(now)
        if today <= c.consultation.end_on:
            raise Invalid(
                f"征求意见期至{c.consultation.end_on:%Y年%m月%d日}结束，结束后才能登记采纳情况。"
            )
        errors = {}
        if decision not in Decision.values:
            errors["decision"] = "请选择采纳、部分采纳或未采纳。"
        elif decision in REASON_REQUIRED and not reason.strip():
            errors["reason"] = "部分采纳或未采纳的意见须说明理由（理由将随采纳情况公布）。"
        if not summary.strip():
            errors["summary"] = (
                "请填写意见摘要：摘要随采纳情况公布，请归纳意见要点，不写姓名、电话等个人信息。"
            )
        if errors:
            raise Invalid(errors)
        c.decision = decision
        c.decision_reason = reason.strip()
        c.summary = _masked(
            summary.strip(),
            c.consultation.organization,
            known=(c.name, c.contact),
        )

    return transition(
        comment,
        "decide",
        table=COMMENT,
        actor=acting_user,
        now=now,
        guard=lambda c: (
            None if can_handle(acting_user, c.consultation.organization) else NOT_A_HANDLER
        ),
        change=check,
        audit_data={"decision": decision},
        related=("consultation__organization",),
    )


# --- the 采纳情况 -----------------------------------------------------------------------


def consultation_publish_feedback(
    *,
    consultation: Consultation,
    final_item: Item | None,
    summary: str = "",
    acting_user,
    now: datetime,
) -> Consultation:
    """Publish the 采纳情况 and link the final decision (a published item of the body)."""

    def check(c: Consultation) -> None:
        today = timezone.localdate(now)
        errors: dict[str, str] = {}
        if today <= c.end_on:
            errors["__all__"] = (
                f"征求意见期至{c.end_on:%Y年%m月%d日}结束，期满后才能公布采纳情况"
                "（征求意见期不得提前结束）。"
            )
        comments = Comment.objects.filter(consultation=c)
        pending = comments.filter(status=CommentStatus.PENDING).count()
        undecided = comments.filter(status=CommentStatus.ACCEPTED).count()
        if pending:
            errors["pending"] = f"还有{pending}条意见尚未审核（受理或不予受理）。"
        if undecided:
            errors["undecided"] = f"还有{undecided}条已受理的意见尚未登记采纳情况。"
        if final_item is None:
            errors["final_item"] = "请选择已公开的最终决策文件。"
        elif (
            final_item.organization_id != c.organization_id
            or final_item.status != Item.Status.PUBLISHED
        ):
            errors["final_item"] = "最终决策文件须是本机关已公开的政府信息。"
        if errors:
            raise Invalid(errors)
        c.final_item = final_item
        c.feedback_summary = _masked(summary.strip(), c.organization)

    return transition(
        consultation,
        "publish_feedback",
        table=CONSULTATION,
        actor=acting_user,
        now=now,
        guard=lambda c: None if can_handle(acting_user, c.organization) else NOT_A_HANDLER,
        change=check,
        audit_data=lambda c: {"final_item": c.final_item_id},
        related=("organization",),
    )


# --- settings ------------------------------------------------------------------------


@transaction.atomic
def settings_save(
    *,
    organization: Organization,
    acting_user,
    ordinary_min_days: int,
    ordinary_default_days: int,
    feedback_workdays: int,
    now: datetime,
) -> ConsultationSettings:
    require(
        can_change_settings(acting_user, organization),
        "只有本机关的管理员或公开办负责人可以修改意见征集设置。",
    )
    errors = {}
    if not ordinary_min_days or ordinary_min_days < 1:
        errors["ordinary_min_days"] = "最短征求意见期至少为1日。"
    elif ordinary_default_days < ordinary_min_days:
        errors["ordinary_default_days"] = "默认征求意见期不能短于最短征求意见期。"
    if not feedback_workdays or feedback_workdays < 1:
        errors["feedback_workdays"] = "公布期限至少为1个工作日。"
    if errors:
        raise Invalid(errors)
    found, _ = ConsultationSettings.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = {
        "ordinary_min_days": found.ordinary_min_days,
        "ordinary_default_days": found.ordinary_default_days,
        "feedback_workdays": found.feedback_workdays,
    }
    found.ordinary_min_days = ordinary_min_days
    found.ordinary_default_days = ordinary_default_days
    found.feedback_workdays = feedback_workdays
    found.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="consultation.settings",
        obj=found,
        data={
            "before": before,
            "after": {
                "ordinary_min_days": ordinary_min_days,
                "ordinary_default_days": ordinary_default_days,
                "feedback_workdays": feedback_workdays,
            },
        },
        at=now,
    )
    return found
