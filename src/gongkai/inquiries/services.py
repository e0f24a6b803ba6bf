"""Every write of the inquiries app: receive, route, answer, publish or not, reject.

A question arrives on the portal (:func:`inquiry_submit`); the rest are steps
of ``workflow.INQUIRY`` taken through :func:`gongkai.core.transition.transition`
(row lock, state check, permission guard, one audit row).  A refused role is
:class:`~gongkai.core.errors.Forbidden`, a refused request
:class:`~gongkai.core.errors.Invalid`.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai import privacy
from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid, require
from gongkai.core.transition import transition
from gongkai.disclosure.notices import published_contacts
from gongkai.notifications.api import Person, notify
from gongkai.organizations.models import Organization, Unit
from gongkai.workcal.selectors import calendar

from .models import (
    DEFAULT_REPLY_WORKDAYS,
    MAX_REPLY_WORKDAYS,
    MIN_REPLY_WORKDAYS,
    Inquiry,
    InquirySettings,
    Kind,
    Signature,
    mask_name,
)
from .permissions import can_answer, can_configure, can_handle
from .workflow import INQUIRY

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: unguessable by enumeration
SUBJECT_MAX = 100
CONTENT_MAX = 3000
ANSWER_MAX = 5000
NOT_A_HANDLER = "只有本机关的经办人、公开办负责人或管理员可以办理网上留言。"
NOT_AN_ANSWERER = "只有本机关的经办人或承办科室的工作人员可以答复该留言。"
_PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Inquiry.objects.filter(tracking_code=code).exists():
            return code


def reply_workdays_of(organization: Organization) -> int:
    found = (
        InquirySettings.objects.filter(organization=organization)
        .values_list("reply_workdays", flat=True)
        .first()
    )
    return found or DEFAULT_REPLY_WORKDAYS


def signature_of(organization: Organization) -> str:
    found = (
        InquirySettings.objects.filter(organization=organization)
        .values_list("signature", flat=True)
        .first()
    )
    return found or Signature.UNIT


def reply_due_on(organization: Organization, received_on: date) -> tuple[date, bool]:
    """(the last day of the reply period, whether it lies in a year without a known
    holiday schedule).

    The body's ``reply_workdays`` counted on the platform's working-day calendar
    from the working day after receipt (``add_workdays``: the n-th working day
    after ``received_on``), as 条例第三十三条 counts for applications; no statute
    fixes this period for 政民互动 (docs/inquiries.md).
    """
    due = calendar().add_workdays(received_on, reply_workdays_of(organization))
    return due.as_date(), bool(due.unknown_years)


@transaction.atomic
def inquiry_submit(
    *,
    organization: Organization,
    kind: str,
    subject: str,
    content: str,
    asker_name: str,
    phone: str,
    email: str = "",
    consent_publish: bool = False,
    now: datetime,
) -> Inquiry:
    """Receive a question from the portal; the day of submission is the day of receipt."""
    errors: dict[str, str] = {}
    subject = (subject or "").strip()
    content = (content or "").strip()
    asker_name = (asker_name or "").strip()
    phone = (phone or "").strip()
    email = (email or "").strip()
    if kind not in Kind.values:
        errors["kind"] = "请选择留言类型：咨询、建议或投诉。"
    if not subject:
        errors["subject"] = "请填写留言标题。"
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = f"标题不能超过{SUBJECT_MAX}个字。"
    if not content:
        errors["content"] = "请填写留言内容。"
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"留言内容不能超过{CONTENT_MAX}个字。"
    if not asker_name:
        errors["asker_name"] = "请填写姓名。"
    elif len(asker_name) > 50:
        errors["asker_name"] = "姓名不能超过50个字。"
    digits = re.sub(r"\D", "", phone)
    if not _PHONE_RE.match(phone) or len(digits) < 7:
        errors["phone"] = "请填写有效的联系电话（手机号或带区号的固定电话）。"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确。"
    if errors:
        raise Invalid(errors)
    received_on = timezone.localdate(now)
    due_on, provisional = reply_due_on(organization, received_on)
    inquiry = Inquiry.objects.create(
        organization=organization,
        tracking_code=new_tracking_code(),
        kind=kind,
        subject=subject,
        content=content,
        asker_name=asker_name,
        phone=phone,
        email=email,
        consent_publish=bool(consent_publish),
        received_on=received_on,
        received_at=now,
        due_on=due_on,
        due_provisional=provisional,
    )
    audit_record(
        actor=None,
        organization=organization,
        verb="inquiry.submit",
        obj=inquiry,
        to_state=inquiry.status,
        data={"kind": kind, "due_on": due_on.isoformat()},
        at=now,
    )
    return inquiry


def inquiry_route(*, inquiry: Inquiry, unit: Unit | None, acting_user, now: datetime) -> Inquiry:
    """Route to one of the body's 科室 (``unit``) or to the body itself (``None``)."""

    def check(locked: Inquiry) -> None:
        if unit is not None and (
            unit.organization_id != locked.organization_id or not unit.is_active
        ):
            raise Invalid({"unit": "所选科室不属于该机关或已停用。"})
        locked.unit = unit

    return transition(
        inquiry,
        "route",
        table=INQUIRY,
        actor=acting_user,
        now=now,
        guard=lambda locked: (
            None if can_handle(acting_user, locked.organization) else NOT_A_HANDLER
        ),
        change=check,
        audit_data={"unit": unit.name if unit else "本机关"},
        routed_at=now,
    )


def default_signature(inquiry: Inquiry, user) -> str:
    """What the answer is signed with, per the body's setting (post or name)."""
    if signature_of(inquiry.organization) == Signature.PERSON:
        return (user.get_full_name() or "").strip() or inquiry.organization.name
    return inquiry.unit.name if inquiry.unit_id else inquiry.organization.name


def inquiry_answer(
    *,
    inquiry: Inquiry,
    answer: str,
    acting_user,
    now: datetime,
    answered_by_label: str = "",
) -> Inquiry:
    """Record the answer; the day of ``now`` is the reply date."""
    answer = (answer or "").strip()
    label = (answered_by_label or "").strip()

    def record(locked: Inquiry) -> None:
        if not answer:
            raise Invalid({"answer": "请填写答复内容。"})
        if len(answer) > ANSWER_MAX:
            raise Invalid({"answer": f"答复内容不能超过{ANSWER_MAX}个字。"})
        if len(label) > 100:
            raise Invalid({"answered_by_label": "署名不能超过100个字。"})
        locked.answer = answer
        locked.answered_on = timezone.localdate(now)
        locked.answered_by = acting_user
        locked.answered_by_label = label or default_signature(locked, acting_user)

    with transaction.atomic():
        answered = transition(
            inquiry,
            "answer",
            table=INQUIRY,
            actor=acting_user,
            now=now,
            guard=lambda locked: None if can_answer(acting_user, locked) else NOT_AN_ANSWERER,
            change=record,
            audit_data=lambda saved: {
                "answered_on": saved.answered_on.isoformat(),
                "on_time": saved.answered_on <= saved.due_on,
            },
        )
        # The asker hears of the answer at the address they gave (gongkai.notifications);
        # the status page shows it with the tracking code.
        notify(
            "inquiry.answered",
            organization=answered.organization,
            key=f"inquiry:{answered.pk}:answered",
            context={
                "留言人": answered.asker_name,
                "查询码": answered.tracking_code,
                "留言标题": answered.subject,
            },
            applicant=Person(name=answered.asker_name, email=answered.email, phone=answered.phone),
            url=reverse("inquiries:detail", args=[answered.pk]),
            applicant_url=reverse("portal_inquiries:status", args=[answered.organization.slug]),
            now=now,
        )
    return answered


def scrub(text: str, inquiry: Inquiry) -> str:
    """``text`` with the asker's personal data masked: the privacy scanner's kinds
    (ID numbers, phones, bank cards, addresses — the body's own published
    contacts excepted), then the asker's own name, phone and e-mail wherever
    they appear."""
    out = privacy.mask(text or "", allow=published_contacts(inquiry.organization))
    name = inquiry.asker_name.strip()
    if len(name) >= 2:
        out = out.replace(name, mask_name(name))
    if inquiry.email:
        out = re.sub(re.escape(inquiry.email), "***", out, flags=re.IGNORECASE)
    digits = re.sub(r"\D", "", inquiry.phone)
    if len(digits) >= 7:
        # The phone as typed with any separators: 138-1234-5678, 0951 1234567.
        pattern = r"[\s\-]?".join(re.escape(d) for d in digits)
        out = re.sub(pattern, "*" * len(digits), out)
    return out


def leaks(text: str, inquiry: Inquiry) -> list[str]:
    """What of the asker's personal data ``text`` still shows (empty: nothing)."""
    found = [
        privacy.LABELS[hit.kind]
        for hit in privacy.scan(
            text, kinds=privacy.PERSONAL_KINDS, allow=published_contacts(inquiry.organization)
        )
    ]
    if len(inquiry.asker_name.strip()) >= 2 and inquiry.asker_name.strip() in text:
        found.append("留言人姓名")
    digits = re.sub(r"\D", "", inquiry.phone)
    if len(digits) >= 7 and digits in re.sub(r"\D", "", text):
        found.append("留言人电话")
    if inquiry.email and inquiry.email.lower() in text.lower():
        found.append("留言人邮箱")
    return sorted(set(found))


def inquiry_publish(
    *,
    inquiry: Inquiry,
    acting_user,
    now: datetime,
    public_subject: str = "",
    public_content: str = "",
    public_answer: str = "",
) -> Inquiry:
    """Publish the Q&A — only with the asker's consent (公开意愿).

    The clerk's edited texts (blank: the original) are masked with the privacy
    scanner and the asker's own name, phone and e-mail before they are stored as
    the public version; the asker is shown as 张** on the portal.
    """

    def prepare(locked: Inquiry) -> None:
        if not locked.consent_publish:
            raise Invalid("留言人未同意公开，不能公开该问答。")
        subject = scrub((public_subject or "").strip() or locked.subject, locked)
        content = scrub((public_content or "").strip() or locked.content, locked)
        answer = scrub((public_answer or "").strip() or locked.answer, locked)
        if len(subject) > SUBJECT_MAX:
            raise Invalid({"public_subject": f"公开标题不能超过{SUBJECT_MAX}个字。"})
        remaining = sorted(
            {label for text in (subject, content, answer) for label in leaks(text, locked)}
        )
        if remaining:
            raise Invalid(f"公开内容仍含个人信息（{'、'.join(remaining)}），请删除后再公开。")
        locked.public_subject = subject
        locked.public_content = content
        locked.public_answer = answer

    return transition(
        inquiry,
        "publish",
        table=INQUIRY,
        actor=acting_user,
        now=now,
        guard=lambda locked: (
            None if can_handle(acting_user, locked.organization) else NOT_A_HANDLER
        ),
        change=prepare,
    )


def inquiry_withhold(*, inquiry: Inquiry, acting_user, now: datetime, comment: str = "") -> Inquiry:
    """Record that the answered Q&A is not published (no consent, or the clerk's choice)."""
    return transition(
        inquiry,
        "withhold",
        table=INQUIRY,
        actor=acting_user,
        now=now,
        comment=(comment or "").strip(),
        guard=lambda locked: (
            None if can_handle(acting_user, locked.organization) else NOT_A_HANDLER
        ),
    )


def inquiry_unpublish(
    *, inquiry: Inquiry, acting_user, now: datetime, comment: str = ""
) -> Inquiry:
    return transition(
        inquiry,
        "unpublish",
        table=INQUIRY,
        actor=acting_user,
        now=now,
        comment=(comment or "").strip(),
        guard=lambda locked: (
            None if can_handle(acting_user, locked.organization) else NOT_A_HANDLER
        ),
        published_at=None,
    )


def inquiry_reject(*, inquiry: Inquiry, reason: str, acting_user, now: datetime) -> Inquiry:
    """不予受理: an abusive or empty message (insults, advertising), with the reason."""
    reason = (reason or "").strip()

    def check(locked: Inquiry) -> None:
        if not reason:
            raise Invalid({"reason": "请填写不予受理的理由。"})
        locked.reject_reason = reason

    return transition(
        inquiry,
        "reject",
        table=INQUIRY,
        actor=acting_user,
        now=now,
        comment=reason,
        guard=lambda locked: (
            None if can_handle(acting_user, locked.organization) else NOT_A_HANDLER
        ),
        change=check,
    )


@transaction.atomic
def inquiry_settings_save(
    *,
    organization: Organization,
    reply_workdays: int,
    signature: str,
    acting_user,
    now: datetime,
) -> InquirySettings:
    """Change the body's reply period (for questions received from now on) and signature."""
    require(
        can_configure(acting_user, organization), "只有公开办负责人或管理员可以修改政民互动设置。"
    )
    errors: dict[str, str] = {}
    if not isinstance(reply_workdays, int) or not (
        MIN_REPLY_WORKDAYS <= reply_workdays <= MAX_REPLY_WORKDAYS
    ):
        errors["reply_workdays"] = (
            f"答复期限应为{MIN_REPLY_WORKDAYS}至{MAX_REPLY_WORKDAYS}个工作日。"
        )
    if signature not in Signature.values:
        errors["signature"] = "请选择署名方式。"
    if errors:
        raise Invalid(errors)
    current, _ = InquirySettings.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = {"reply_workdays": current.reply_workdays, "signature": current.signature}
    current.reply_workdays = reply_workdays
    current.signature = signature
    current.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="inquiry.settings",
        obj=current,
        data={
            "before": before,
            "after": {"reply_workdays": reply_workdays, "signature": signature},
        },
        at=now,
    )
    return current
