"""Every write of the disclosure app.

Item workflow — the one declared transition table is :data:`TRANSITIONS`::

    draft ──submit──► in_review ──review_pass──► in_approval ──approve──► published
      ▲                   │                          │                       │
      └──── returned ◄────┴──────── return ──────────┘                    withdraw
               │                                                            ▼
               └──submit──► in_review                                   withdrawn

An approved item whose attribute is not 主动公开 takes the ``record`` step
instead (in_approval ──record──► recorded): decided, never shown publicly.
Each step: ``@transaction.atomic``, state checked against the table, role
checked with ``permissions.can_<verb>``, one audit row (who, when, from → to,
comment).  The search index is updated inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid
from gongkai.core.transition import transition
from gongkai.core.workflow import Transition
from gongkai.organizations.models import Membership, Organization, Role
from gongkai.search.indexing import index_item, unindex_item
from gongkai.uploads import store_checked_upload

from .. import permissions as perms
from ..extract import extract_text
from ..models import (
    Attachment,
    IndexCounter,
    Item,
    Publication,
    PublishingSettings,
)
from ..workflow import ITEM
from ._common import S, TransitionError, _deny, _lock
from .interpretation import interpretation_readiness_error, publishing_settings_for

ATTACHMENT_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "doc", "xls", "jpg", "png", "txt"})


# The item workflow is declared once, in workflow.ITEM; this view of it keyed by
# action (``TRANSITIONS["submit"].sources``) is kept for callers and tests.
TRANSITIONS: dict[str, Transition] = {action: ITEM.get(action) for action in ITEM.actions}
# Fields a clerk may set on an item (everything else is the workflow's).
EDITABLE_FIELDS = (
    "title",
    "document_number",
    "summary",
    "body",
    "body_format",
    "formed_on",
    "attribute",
    "attribute_reason",
    "attribute_basis",
    "category",
    "article_item",
    "subject_words",
    "unit",
    "kind",
    "interprets",
    "notice_from",
    "notice_to",
    "is_reposted",
    "source_name",
    "source_url",
)


def sanitise_body(body: str, body_format: str) -> str:
    """Plain text is stored as typed; HTML only after nh3 (never raw user HTML)."""
    if body_format == Item.BodyFormat.HTML:
        return nh3.clean(body or "")
    return body or ""


# --- items: create and edit ---------------------------------------------------


def _apply_fields(item: Item, data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in data.items():
        setattr(item, name, "" if value is None and name not in _NULLABLE else value)
    item.body = sanitise_body(item.body, item.body_format)
    if item.attribute == Item.Attribute.PROACTIVE:
        item.attribute_reason = ""
        item.attribute_basis = ""
    if item.kind != Item.Kind.INTERPRETATION:
        item.interprets = None
    item.source_name = (item.source_name or "").strip()
    item.source_url = (item.source_url or "").strip()
    if not item.is_reposted:
        item.source_name = ""
        item.source_url = ""


_NULLABLE = {"category", "unit", "interprets", "notice_from", "notice_to", "formed_on"}


def _add_attachments(item: Item, files, acting_user, stored: list[str]) -> list[Attachment]:
    """Store (checking each file exactly once, in store_checked_upload) and extract
    each file; ``stored`` collects paths for clean-up when a later file is refused."""
    added = []
    for file in files:
        path, checked = store_checked_upload(
            file, organization=item.organization, subdir="disclosure", allowed=ATTACHMENT_KINDS
        )
        stored.append(path)
        file.seek(0)
        content = file.read()
        file.seek(0)
        added.append(
            Attachment.objects.create(
                item=item,
                path=path,
                original_name=checked.original_name[:255],
                kind=checked.kind,
                size=checked.size,
                text=extract_text(content, checked.kind),
                uploaded_by=acting_user,
            )
        )
    return added


def _discard(paths: list[str]) -> None:
    for path in paths:
        default_storage.delete(path)


def _refresh_attachment_text(item: Item) -> None:
    item.attachment_text = "\n\n".join(a.text for a in item.attachments.order_by("pk") if a.text)


@transaction.atomic
def item_create(
    *,
    organization: Organization,
    acting_user,
    data: dict[str, Any],
    files=(),
) -> Item:
    if not perms.can_create(acting_user, organization):
        _deny("只有本机关的经办人可以起草政府信息。")
    item = Item(
        organization=organization,
        created_by=acting_user,
        last_edited_by=acting_user,
        status=S.DRAFT,
    )
    _apply_fields(item, data)
    item.full_clean()
    item.save()
    if files:
        stored: list[str] = []
        try:
            _add_attachments(item, files, acting_user, stored)
        except Exception:
            _discard(stored)
            raise
        _refresh_attachment_text(item)
        item.save(update_fields=["attachment_text"])
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="item.create",
        obj=item,
        to_state=item.status,
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    acting_user,
    data: dict[str, Any],
    files=(),
    remove_attachment_ids=(),
) -> Item:
    """Edit an item; only in draft or returned (published items are withdrawn and re-issued)."""
    item = _lock(item)
    if not item.is_editable:
        raise TransitionError(
            f"当前状态为“{item.get_status_display()}”，不能修改。", code="not_editable"
        )
    if not perms.can_edit(acting_user, item):
        _deny("只有本机关的经办人可以修改政府信息。")
    before = {f: getattr(item, f"{f}_id" if f in _FK else f) for f in data}
    _apply_fields(item, data)
    item.full_clean()
    removed = list(item.attachments.filter(pk__in=list(remove_attachment_ids)))
    for attachment in removed:
        path = attachment.path
        attachment.delete()
        transaction.on_commit(lambda p=path: default_storage.delete(p))
    stored: list[str] = []
    try:
        added = _add_attachments(item, files, acting_user, stored) if files else []
    except Exception:
        _discard(stored)
        raise
    _refresh_attachment_text(item)
    changed = sorted(f for f in data if before[f] != getattr(item, f"{f}_id" if f in _FK else f))
    if changed or added or removed:
        # Separation of duties: whoever last changed the draft may neither pass
        # its review nor approve it (permissions.can_review / can_approve).
        item.last_edited_by = acting_user
    item.save()
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="item.update",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        data={
            "changed": changed,
            "attachments_added": [a.original_name for a in added],
            "attachments_removed": [a.original_name for a in removed],
        },
    )
    return item


_FK = {"category", "unit", "interprets"}


# --- items: the workflow ------------------------------------------------------


def _index_number(item: Item) -> dict[str, str] | None:
    return {"index_number": item.index_number} if item.index_number else None


def _guard(allowed, *refusals: tuple[bool, str]):
    """A ``transition()`` guard: ``None`` when ``allowed(item)``, else the first
    refusal whose condition holds for the item (the last one is the default)."""

    def guard(item: Item) -> str | None:
        if allowed(item):
            return None
        for condition, message in refusals:
            if condition(item):
                return message
        return refusals[-1][1]

    return guard


def _always(item: Item) -> bool:
    return True


def _check_ready(item: Item) -> None:
    """The item as it must be to go to review (and to approval): valid, and a
    政策解读 with its required sections (国办发〔2016〕80号)."""
    item.full_clean()
    refusal = interpretation_readiness_error(item)
    if refusal:
        raise Invalid(refusal, code="interpretation_incomplete")


@transaction.atomic
def item_submit(
    *, item: Item, acting_user, comment: str = "", now: dt.datetime | None = None
) -> Item:
    return transition(
        item,
        "submit",
        table=ITEM,
        actor=acting_user,
        now=now or timezone.now(),
        comment=comment,
        guard=_guard(
            lambda i: perms.can_submit(acting_user, i),
            (_always, "只有本机关的经办人可以提交保密审查。"),
        ),
        change=_check_ready,
        audit_data=_index_number,
        related=("organization",),
        return_comment="",
    )


@transaction.atomic
def item_review_pass(
    *, item: Item, acting_user, comment: str = "", now: dt.datetime | None = None
) -> Item:
    pk = getattr(acting_user, "pk", None)
    return transition(
        item,
        "review_pass",
        table=ITEM,
        actor=acting_user,
        now=now or timezone.now(),
        comment=comment,
        guard=_guard(
            lambda i: perms.can_review(acting_user, i),
            (lambda i: i.created_by_id == pk, "不能审查自己起草的信息。"),
            (
                lambda i: perms.last_editor_id(i) == pk,
                "不能审查自己修改过的信息，请由另一位保密审查人员审查。",
            ),
            (_always, "只有本机关的保密审查人员可以通过审查。"),
        ),
        audit_data=_index_number,
        related=("organization",),
        reviewed_by=acting_user,
    )


def _require_comment(item: Item, comment: str) -> None:
    if not (comment or "").strip():
        raise Invalid({"comment": "退回时请填写退回意见，告诉经办人需要修改什么。"})


@transaction.atomic
def item_return(*, item: Item, acting_user, comment: str, now: dt.datetime | None = None) -> Item:
    return transition(
        item,
        "return",
        table=ITEM,
        actor=acting_user,
        now=now or timezone.now(),
        comment=comment,
        guard=_guard(lambda i: perms.can_return(acting_user, i), (_always, "您不能退回这条信息。")),
        change=lambda i: _require_comment(i, comment),
        audit_data=_index_number,
        related=("organization",),
        return_comment=(comment or "").strip(),
    )


def next_index_number(item: Item, *, year: int) -> str:
    """索引号 = ``<统一社会信用代码 or ORG<id>>/<category code or 000>-<year>-<5-digit seq>``.

    The sequence runs per body and year across all categories, is taken under a
    row lock and only ever grows, so a number is never handed out twice — not
    even after a withdrawal (withdrawn items keep theirs).
    """
    org = item.organization
    counter, _ = IndexCounter.objects.get_or_create(organization=org, year=year)
    counter = IndexCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = org.credit_code or f"ORG{org.pk:06d}"
    code = item.category.code if item.category_id else "000"
    return f"{prefix}/{code}-{year}-{counter.last:05d}"


# --- 拟稿/审核/签发 shown on the public page -------------------------------------------

# What a post reads like when a body shows posts instead of names: the actor's
# unit (科室) in the body, then the part they played in the workflow.
POST_NOUNS = {Role.CLERK: "经办人", Role.REVIEWER: "保密审查员", Role.APPROVER: "审批领导"}


def _post(user, organization: Organization, role: str) -> str:
    membership = (
        Membership.objects.filter(user=user, organization=organization, role=role)
        .select_related("unit")
        .first()
    )
    unit = membership.unit.name if membership and membership.unit_id else ""
    return f"{unit}{POST_NOUNS[role]}"


def signoff_shown(user, organization: Organization, role: str, display: str) -> str:
    """The words the public page shows for ``user`` (拟稿/审核/签发): the real
    name (never the user name; the post when no real name is recorded), or the
    post, per the body's ``PublishingSettings.signoff_display``."""
    if user is None:
        return ""
    if display == PublishingSettings.SignoffDisplay.NAMES:
        name = (user.get_full_name() or "").strip()
        if name:
            return name[:100]
    return _post(user, organization, role)[:100]


def _fix_signoff(item: Item, approver, display: str) -> None:
    """Store what the public page will show, once, at publication."""
    org = item.organization
    item.signoff_drafter = signoff_shown(item.created_by, org, Role.CLERK, display)
    item.signoff_reviewer = signoff_shown(item.reviewed_by, org, Role.REVIEWER, display)
    item.signoff_approver = signoff_shown(approver, org, Role.APPROVER, display)


# --- 三同步: a policy and its interpretation published together ----------------------------


def _publish_together(item: Item, settings: PublishingSettings) -> list[Item]:
    """The items to publish with ``item`` when the body requires a policy and its
    interpretation to be published together (国办发〔2016〕80号 政策解读
    "三同步": 同步起草、同步审签、同步发布); raises :class:`Invalid` with the
    reason when the counterpart is missing or not ready.

    - A 政策文件/规范性文件 needs a 政策解读 that is awaiting approval (it is
      published in the same step) or already published.
    - A 政策解读 of a policy of the body that is not yet published takes the
      policy with it when it awaits approval, and is refused otherwise: an
      interpretation is never published before its policy.
    """
    if not settings.publish_with_interpretation or item.attribute != Item.Attribute.PROACTIVE:
        return []
    if item.kind in (Item.Kind.POLICY, Item.Kind.NORMATIVE):
        interpretations = list(
            item.interpretations.filter(attribute=Item.Attribute.PROACTIVE)
            .exclude(status__in=(S.WITHDRAWN, S.RECORDED))
            .order_by("pk")
        )
        ready = [i for i in interpretations if i.status == S.IN_APPROVAL]
        if ready or any(i.status == S.PUBLISHED for i in interpretations):
            return ready
        if interpretations:
            states = "；".join(
                f"《{i.title}》当前为“{i.get_status_display()}”" for i in interpretations
            )
            raise Invalid(
                "本机关要求政策文件与其解读同步发布，但政策解读尚未送审批（"
                f"{states}）。请待解读通过保密审查后，与本文件一并审批。",
                code="interpretation_not_ready",
            )
        raise Invalid(
            f"本机关要求政策文件与其解读同步发布：《{item.title}》还没有政策解读。"
            "请先起草政策解读（含背景、目的、主要举措），经保密审查后与本文件一并审批。",
            code="interpretation_missing",
        )
    if item.kind == Item.Kind.INTERPRETATION and item.interprets_id:
        policy = item.interprets
        if policy.attribute != Item.Attribute.PROACTIVE or policy.status == S.PUBLISHED:
            return []
        if policy.status == S.IN_APPROVAL:
            return [policy]
        raise Invalid(
            f"本机关要求政策文件与其解读同步发布：所解读的《{policy.title}》当前为"
            f"“{policy.get_status_display()}”，解读不能先于政策文件公开。"
            "请待政策文件送审批后一并审批。",
            code="policy_not_ready",
        )
    return []


def _approve_one(
    item: Item,
    *,
    acting_user,
    now: dt.datetime,
    comment: str,
    settings: PublishingSettings,
    together: list[Item] | None,
) -> Item:
    """One item's approval step; ``together`` (when given) receives the items
    the 三同步 rule publishes with it."""
    pk = getattr(acting_user, "pk", None)

    def change(item: Item) -> None:
        if item.attribute != Item.Attribute.PROACTIVE:
            return
        refusal = interpretation_readiness_error(item)
        if refusal:
            raise Invalid(refusal, code="interpretation_incomplete")
        if together is not None:
            together.extend(_publish_together(item, settings))
        # Only drafts reach approval (withdrawn items never come back), so an
        # item published here never had a number: it gets the next one.
        item.index_number = next_index_number(item, year=timezone.localdate(now).year)
        _fix_signoff(item, acting_user, settings.signoff_display)

    item = transition(
        item,
        lambda i: "approve" if i.attribute == Item.Attribute.PROACTIVE else "record",
        table=ITEM,
        actor=acting_user,
        now=now,
        comment=comment,
        guard=_guard(
            lambda i: perms.can_approve(acting_user, i),
            (lambda i: i.created_by_id == pk, "不能审批自己起草的信息。"),
            (
                lambda i: perms.last_editor_id(i) == pk,
                "不能审批自己修改过的信息，请由另一位审批领导审批。",
            ),
            (
                lambda i: i.reviewed_by_id == pk,
                "不能审批自己审查的信息：保密审查和审批须由不同的人完成。",
            ),
            (_always, "只有本机关的审批领导可以审批。"),
        ),
        change=change,
        audit_data=_index_number,
        related=("organization",),
        approved_by=acting_user,
    )
    if item.status == S.RECORDED:
        return item
    # Publication on the body's website (the portal) is the approval itself.
    Publication.objects.get_or_create(
        item=item,
        channel=Publication.Channel.WEBSITE,
        published_on=timezone.localdate(now),
        defaults={"recorded_by": acting_user, "note": "审批通过后自动发布"},
    )
    index_item(item)
    return item


@transaction.atomic
def item_approve(*, item: Item, acting_user, now: dt.datetime, comment: str = "") -> Item:
    """Approve: a 主动公开 item is published (索引号 and 拟稿/审核/签发 fixed, search
    index updated); any other attribute is recorded as decided and never shown
    publicly.  When the body requires it, a policy and its interpretation are
    published together, in this one transaction (:func:`_publish_together`)."""
    settings = publishing_settings_for(item.organization)
    together: list[Item] = []
    item = _approve_one(
        item,
        acting_user=acting_user,
        now=now,
        comment=comment,
        settings=settings,
        together=together,
    )
    for partner in together:
        try:
            _approve_one(
                partner,
                acting_user=acting_user,
                now=now,
                comment=f"与《{item.title}》同步审批发布（政策文件与解读同步发布）",
                settings=settings,
                together=None,
            )
        except ValidationError as exc:
            raise Invalid(
                f"《{partner.title}》须同步发布，但不能审批：{'；'.join(exc.messages)}",
                code="together_refused",
            ) from None
        except PermissionDenied as exc:
            raise Invalid(
                f"《{partner.title}》须同步发布，但您不能审批它：{exc}", code="together_refused"
            ) from None
    return item


@transaction.atomic
def item_withdraw(*, item: Item, acting_user, reason: str, now: dt.datetime) -> Item:
    def require_reason(item: Item) -> None:
        if not (reason or "").strip():
            raise Invalid({"reason": "撤回已公开的信息必须写明理由。"})

    item = transition(
        item,
        "withdraw",
        table=ITEM,
        actor=acting_user,
        now=now,
        comment=(reason or "").strip(),
        guard=_guard(
            lambda i: perms.can_withdraw(acting_user, i),
            (_always, "只有本机关的审批领导可以撤回已公开的信息。"),
        ),
        change=require_reason,
        audit_data=_index_number,
        related=("organization",),
        withdraw_reason=(reason or "").strip(),
    )
    unindex_item(item)
    return item


# --- channels -------------------------------------------------------------------


@transaction.atomic
def publication_record(
    *, item: Item, acting_user, channel: str, published_on: dt.date, note: str = ""
) -> Publication:
    if not perms.can_record_publication(acting_user, item):
        _deny("只有已公开的信息才能登记发布渠道，且需经办人或公开办负责人操作。")
    if channel not in Publication.Channel.values:
        raise ValidationError({"channel": "请选择发布渠道。"})
    if item.published_at and published_on < timezone.localdate(item.published_at):
        raise ValidationError({"published_on": "发布日期不能早于审批公开的日期。"})
    if Publication.objects.filter(item=item, channel=channel, published_on=published_on).exists():
        raise ValidationError({"channel": "该渠道在这一天的发布已经登记过。"})
    publication = Publication.objects.create(
        item=item, channel=channel, published_on=published_on, note=note, recorded_by=acting_user
    )
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="item.publication_record",
        obj=item,
        data={"channel": channel, "published_on": published_on.isoformat(), "note": note},
    )
    return publication
