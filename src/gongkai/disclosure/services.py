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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai import privacy
from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization
from gongkai.search.indexing import index_item, unindex_item
from gongkai.uploads import store_checked_upload

from . import permissions as perms
from .extract import extract_text
from .law import ARTICLE_20_ITEMS, ARTICLE_21_TOWN_AREAS, GRASSROOTS_AREAS, TOWN_LEVELS
from .models import (
    Attachment,
    Category,
    Guide,
    IndexCounter,
    Item,
    NormativeDocument,
    Publication,
    YearlyFigures,
)
from .notices import published_contacts

S = Item.Status
ATTACHMENT_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "doc", "xls", "jpg", "png", "txt"})


class TransitionError(ValidationError):
    """A workflow step that the item's current status does not allow."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    verb: str  # audit verb


# The one declared table of the item workflow (条例第十七条: 保密审查 before publication).
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT, S.RETURNED}), S.IN_REVIEW, "item.submit"),
    "review_pass": Transition(frozenset({S.IN_REVIEW}), S.IN_APPROVAL, "item.review_pass"),
    "return": Transition(frozenset({S.IN_REVIEW, S.IN_APPROVAL}), S.RETURNED, "item.return"),
    "approve": Transition(frozenset({S.IN_APPROVAL}), S.PUBLISHED, "item.approve"),
    # Approval of an item that is not 主动公开 (条例第十三条 exceptions): recorded only.
    "record": Transition(frozenset({S.IN_APPROVAL}), S.RECORDED, "item.record"),
    "withdraw": Transition(frozenset({S.PUBLISHED}), S.WITHDRAWN, "item.withdraw"),
}
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
)


def _check(action: str, item: Item) -> Transition:
    transition = TRANSITIONS[action]
    if item.status not in transition.sources:
        raise TransitionError(
            f"当前状态为“{item.get_status_display()}”，不能执行此操作。",
            code="invalid_transition",
        )
    return transition


def _deny(message: str):
    raise PermissionDenied(message)


def _lock(item: Item) -> Item:
    """Re-read the item under a row lock so two clicks cannot both pass the check."""
    return Item.objects.select_for_update().select_related("organization").get(pk=item.pk)


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


def _step(
    item: Item, action: str, acting_user, comment: str, now: dt.datetime | None = None, **changes
) -> Item:
    transition = TRANSITIONS[action]
    before = item.status
    target = transition.target
    item.status = target
    for name, value in changes.items():
        setattr(item, name, value)
    item.save()
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb=transition.verb,
        obj=item,
        from_state=before,
        to_state=target,
        comment=comment,
        data={"index_number": item.index_number} if item.index_number else None,
        at=now,
    )
    return item


@transaction.atomic
def item_submit(*, item: Item, acting_user, comment: str = "") -> Item:
    item = _lock(item)
    _check("submit", item)
    if not perms.can_submit(acting_user, item):
        _deny("只有本机关的经办人可以提交保密审查。")
    item.full_clean()
    return _step(item, "submit", acting_user, comment, return_comment="")


@transaction.atomic
def item_review_pass(*, item: Item, acting_user, comment: str = "") -> Item:
    item = _lock(item)
    _check("review_pass", item)
    if not perms.can_review(acting_user, item):
        if item.created_by_id == acting_user.pk:
            _deny("不能审查自己起草的信息。")
        if perms.last_editor_id(item) == acting_user.pk:
            _deny("不能审查自己修改过的信息，请由另一位保密审查人员审查。")
        _deny("只有本机关的保密审查人员可以通过审查。")
    return _step(item, "review_pass", acting_user, comment, reviewed_by=acting_user)


@transaction.atomic
def item_return(*, item: Item, acting_user, comment: str) -> Item:
    item = _lock(item)
    _check("return", item)
    if not perms.can_return(acting_user, item):
        _deny("您不能退回这条信息。")
    if not (comment or "").strip():
        raise ValidationError({"comment": "退回时请填写退回意见，告诉经办人需要修改什么。"})
    return _step(item, "return", acting_user, comment, return_comment=comment.strip())


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


@transaction.atomic
def item_approve(*, item: Item, acting_user, now: dt.datetime, comment: str = "") -> Item:
    """Approve: a 主动公开 item is published (索引号 assigned, search index updated);
    any other attribute is recorded as decided and never shown publicly."""
    item = _lock(item)
    action = "approve" if item.attribute == Item.Attribute.PROACTIVE else "record"
    _check(action, item)
    if not perms.can_approve(acting_user, item):
        if item.created_by_id == acting_user.pk:
            _deny("不能审批自己起草的信息。")
        if perms.last_editor_id(item) == acting_user.pk:
            _deny("不能审批自己修改过的信息，请由另一位审批领导审批。")
        if item.reviewed_by_id == acting_user.pk:
            _deny("不能审批自己审查的信息：保密审查和审批须由不同的人完成。")
        _deny("只有本机关的审批领导可以审批。")
    if action == "record":
        return _step(item, "record", acting_user, comment, now, approved_by=acting_user)
    # Only drafts reach approval (withdrawn items never come back), so an item
    # here never had a number: it gets the next one.
    index_number = next_index_number(item, year=timezone.localdate(now).year)
    item = _step(
        item,
        "approve",
        acting_user,
        comment,
        now,
        approved_by=acting_user,
        published_at=now,
        index_number=index_number,
    )
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
def item_withdraw(*, item: Item, acting_user, reason: str, now: dt.datetime) -> Item:
    item = _lock(item)
    _check("withdraw", item)
    if not perms.can_withdraw(acting_user, item):
        _deny("只有本机关的审批领导可以撤回已公开的信息。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回已公开的信息必须写明理由。"})
    item = _step(
        item,
        "withdraw",
        acting_user,
        reason.strip(),
        now,
        withdrawn_at=now,
        withdraw_reason=reason.strip(),
    )
    unindex_item(item)
    return item


def item_record_history(
    *,
    organization: Organization,
    acting_user,
    recorded_by,
    data: dict[str, Any],
    published_on: dt.date,
    now: dt.datetime,
    index_number: str = "",
    reviewed_by=None,
    source: str = "import",
) -> Item:
    """Record an item that was already published before the body used gongkai
    (adoption: imports).  It skips the review workflow on purpose — the review
    happened in the old system — and says so in its audit row.

    The item is public at once, so two people answer for it (条例第十七条: no
    publication without review and approval; review of issue #9):
    ``recorded_by``, the 公开办负责人 or the body's administrator who vouches
    that it is history (``can_import_history``), and ``acting_user``, a
    审批领导 other than them who confirms it and is recorded as its approver.
    """
    if not perms.can_import_history(recorded_by, organization):
        _deny("只有公开办负责人或机关管理员可以登记已公开的历史信息。")
    if not perms.can_confirm_history(acting_user, organization, recorded_by=recorded_by):
        if getattr(acting_user, "pk", None) == getattr(recorded_by, "pk", None):
            _deny("登记已公开历史信息的人不能自己确认，请由另一位审批领导确认。")
        _deny("已公开的历史信息须由本机关的审批领导确认后才能登记。")
    return _record_history(
        organization=organization,
        created_by=recorded_by,
        actor=acting_user,
        data=data,
        published_on=published_on,
        index_number=index_number,
        reviewed_by=reviewed_by,
        approved_by=acting_user,
        source=source,
        now=now,
    )


def item_record_history_system(
    *,
    organization: Organization,
    created_by,
    data: dict[str, Any],
    published_on: dt.date,
    reviewed_by=None,
    approved_by=None,
    source: str,
    now: dt.datetime,
) -> Item:
    """The system's own entry point (the demo loader, for demo bodies that have
    only a clerk) — no request and no acting user, so no role check; never call
    it from a view or a user's import (a test keeps it that way).  The audit row
    has no actor and names ``source``."""
    return _record_history(
        organization=organization,
        created_by=created_by,
        actor=None,
        data=data,
        published_on=published_on,
        index_number="",
        reviewed_by=reviewed_by,
        approved_by=approved_by,
        source=source,
        now=now,
    )


@transaction.atomic
def _record_history(
    *,
    organization: Organization,
    created_by,
    actor,
    data: dict[str, Any],
    published_on: dt.date,
    index_number: str,
    reviewed_by,
    approved_by,
    source: str,
    now: dt.datetime,
) -> Item:
    # A publication date in the future is not history: it is a publication that
    # has not happened and must go through the workflow (条例第十七条).
    if published_on is None:
        raise ValidationError({"published_on": "请填写公开日期。"})
    if published_on > timezone.localdate(now):
        raise ValidationError({"published_on": "公开日期不能晚于今天。"})
    item = Item(organization=organization, created_by=created_by)
    _apply_fields(item, data)
    if item.attribute != Item.Attribute.PROACTIVE:
        raise ValidationError({"attribute": "只有主动公开的信息才能作为已公开信息导入。"})
    if item.formed_on and published_on < item.formed_on:
        raise ValidationError({"published_on": "公开日期不能早于形成日期。"})
    tz = timezone.get_current_timezone()
    item.status = S.PUBLISHED
    item.published_at = dt.datetime.combine(published_on, dt.time(9, 0), tzinfo=tz)
    item.reviewed_by = reviewed_by
    item.approved_by = approved_by
    item.index_number = index_number or next_index_number(item, year=published_on.year)
    item.full_clean()
    item.save()
    Publication.objects.create(
        item=item,
        channel=Publication.Channel.WEBSITE,
        published_on=published_on,
        note="原有已公开信息",
        recorded_by=created_by,
    )
    audit_record(
        actor=actor,
        organization=organization,
        verb="item.import",
        obj=item,
        to_state=item.status,
        data={
            "source": source,
            "published_on": published_on.isoformat(),
            "recorded_by": getattr(created_by, "pk", None),
        },
        at=now,
    )
    # Adopted items are published: they are found by the portal's search at
    # once, like items published through the workflow (same transaction).
    index_item(item)
    return item


# --- review aids --------------------------------------------------------------


def privacy_hits(item: Item) -> list[dict[str, Any]]:
    """Hits of the personal-data scanner in the body text and the attachments' text."""
    rows: list[dict[str, Any]] = []
    sources = [("正文", item.body)]
    sources += [(a.original_name, a.text) for a in item.attachments.all()]
    # The body's own published phone, fax and address are not personal data.
    allow = published_contacts(item.organization)
    for source, text in sources:
        hits = privacy.scan(text or "", allow=allow)
        for hit in hits:
            rows.append(
                {
                    "source": source,
                    "kind": hit.kind,
                    "label": hit.label,
                    "severity": hit.severity,
                    "line": hit.line,
                    "masked": privacy.mask_hit(hit),
                    "excerpt": _masked_excerpt(text, hit, hits),
                }
            )
    return rows


def _masked_excerpt(text: str, hit, hits, width: int = 20) -> str:
    """``width`` characters either side of ``hit``, with every personal-data hit of
    the whole-text scan (``hits``) that reaches into the window masked by its
    own span.  Re-scanning the window would lose what the scan knew from
    outside it — a 银行卡号 column header rows above — and show such a number
    unmasked (review of issue #9, F9).  A hit cut by the window's edge widens
    the window, so no part of a number is shown unmasked either."""
    start = max(0, hit.start - width)
    end = min(len(text), hit.end + width)
    inside = sorted(
        (h for h in hits if h.kind in privacy.PERSONAL_KINDS and h.start < end and h.end > start),
        key=lambda h: (h.start, -h.end),
    )
    for other in inside:
        start, end = min(start, other.start), max(end, other.end)
    pieces: list[str] = []
    pos = start
    for other in inside:
        if other.start < pos:
            continue  # overlaps one already masked
        pieces.append(text[pos : other.start])
        pieces.append(privacy.mask_hit(other))
        pos = other.end
    pieces.append(text[pos:end])
    return "".join(pieces).replace("\n", " ")


@transaction.atomic
def item_mask_personal_data(*, item: Item, acting_user) -> Item:
    """Replace the body with its masked version (the drafter or the reviewer)."""
    item = _lock(item)
    if not perms.can_mask(acting_user, item):
        _deny("当前状态下您不能修改正文。")
    allow = published_contacts(item.organization)
    masked = privacy.mask(item.body, allow=allow)
    hits = len(privacy.scan(item.body, allow=allow))
    if masked == item.body:
        return item
    item.body = masked
    item.save(update_fields=["body", "updated_at"])
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="item.mask_personal_data",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        data={"hits": hits},
    )
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


# --- catalogue --------------------------------------------------------------------


def _seed_rows(org: Organization) -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) of the standard catalogue for ``org``'s level."""
    rows: list[tuple[str, str, str | None]] = [("A", "法定主动公开内容（条例第二十条）", None)]
    for n, (_, label) in enumerate(ARTICLE_20_ITEMS, start=1):
        rows.append((f"A{n:02d}", label.split("）", 1)[1], "A"))
    rows.append(("B", "基层政务公开标准目录（国办发〔2019〕54号）", None))
    for n, name in enumerate(GRASSROOTS_AREAS, start=1):
        rows.append((f"B{n:02d}", name, "B"))
    if org.level in TOWN_LEVELS:
        rows.append(("C", "乡镇主动公开重点（条例第二十一条）", None))
        for n, (_, label) in enumerate(ARTICLE_21_TOWN_AREAS, start=1):
            rows.append((f"C{n:02d}", label.split(" ", 1)[1], "C"))
    return rows


def catalogue_seed(*, organization: Organization, acting_user) -> int:
    """Create the standard catalogue nodes that are missing (idempotent); returns how many."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的公开目录。")
    return _catalogue_seed(organization, acting_user)


def catalogue_seed_system(*, organization: Organization) -> int:
    """The system's own entry point (demo, seeding commands; no request, no role
    check, audit row without actor).  Never call it from a view."""
    return _catalogue_seed(organization, None)


@transaction.atomic
def _catalogue_seed(organization: Organization, acting_user) -> int:
    existing = dict(Category.objects.filter(organization=organization).values_list("code", "pk"))
    created = 0
    for order, (code, name, parent_code) in enumerate(_seed_rows(organization)):
        if code in existing:
            continue
        category = Category.objects.create(
            organization=organization,
            code=code,
            name=name,
            parent_id=existing.get(parent_code) if parent_code else None,
            order=order,
        )
        existing[code] = category.pk
        created += 1
    if created:
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="catalogue.seed",
            data={"created": created},
        )
    return created


@transaction.atomic
def category_save(
    *, organization: Organization, acting_user, category: Category | None, data: dict[str, Any]
) -> Category:
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的公开目录。")
    creating = category is None
    if creating:
        category = Category(organization=organization)
    elif category.organization_id != organization.pk:
        _deny("该类目不属于当前机关。")
    for name, value in data.items():
        setattr(category, name, value)
    if category.applies:
        category.not_applicable_reason = ""
    errors = {}
    if category.parent_id:
        if category.parent.organization_id != organization.pk:
            errors["parent"] = "上级类目不属于本机关。"
        elif not creating and _is_descendant(category.parent, category):
            errors["parent"] = "上级类目不能是本类目或其下级类目。"
    if not category.applies and not category.not_applicable_reason.strip():
        errors["not_applicable_reason"] = "标为不适用时，请写明理由。"
    duplicate = Category.objects.filter(organization=organization, code=category.code)
    if duplicate.exclude(pk=category.pk).exists():
        errors["code"] = f"本机关已有代码为“{category.code}”的类目，请换一个代码。"
    if errors:
        raise ValidationError(errors)
    category.full_clean()
    category.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="catalogue.create" if creating else "catalogue.update",
        obj=category,
        data={k: str(v) for k, v in data.items()},
    )
    return category


def _is_descendant(node: Category, ancestor: Category) -> bool:
    seen = set()
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def category_delete(*, category: Category, acting_user) -> None:
    organization = category.organization
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的公开目录。")
    if category.children.exists() or category.items.exists():
        raise ValidationError("该类目下还有子类目或政府信息，不能删除；可以标为“不适用”。")
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="catalogue.delete",
        obj=category,
    )
    category.delete()


# --- the guide (条例第十二条) ----------------------------------------------------


def guide_text_for(org: Organization, *, today: dt.date) -> str:
    """The 政府信息公开指南 text generated from the body's own data."""
    categories = list(
        Category.objects.filter(organization=org, parent__isnull=True, applies=True).order_by(
            "order", "code"
        )
    )
    children = {}
    for child in Category.objects.filter(organization=org, parent__isnull=False).order_by(
        "order", "code"
    ):
        children.setdefault(child.parent_id, []).append(child)
    lines = [
        f"{org.name}政府信息公开指南",
        "",
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第十二条，"
        f"为便于公民、法人和其他组织获取{org.name}的政府信息，编制本指南。"
        "申请人在获取政府信息前，请仔细阅读本指南。",
        "",
        "一、主动公开",
        "（一）公开范围",
        "本机关依照《条例》第十九条、第二十条"
        + ("、第二十一条" if org.level in TOWN_LEVELS else "")
        + "的规定主动公开政府信息，具体内容见本机关政府信息公开目录。",
        "（二）信息分类与编排体系",
    ]
    if categories:
        for n, cat in enumerate(categories, start=1):
            names = "、".join(c.name for c in children.get(cat.pk, []) if c.applies)
            lines.append(f"{n}. {cat.name}" + (f"：{names}。" if names else "。"))
        not_applicable = Category.objects.filter(organization=org, applies=False)
        if not_applicable.exists():
            lines.append(
                "本机关不适用的目录类目："
                + "；".join(f"{c.name}（{c.not_applicable_reason}）" for c in not_applicable)
                + "。"
            )
    else:
        lines.append("政府信息按公开目录类目编排，每条信息标注索引号、标题、内容概述和生成日期。")
    lines += [
        "每条政府信息均标注索引号、名称、文号、内容概述、生成日期和公开日期。",
        "（三）公开方式",
        "本机关主动公开的政府信息通过政府网站政府信息公开专栏发布，"
        "并视情况通过公示栏、电子屏、政务新媒体、广播等方式公开（《条例》第二十三条至第二十五条）。",
        "（四）公开时限",
        "属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开"
        "（《条例》第二十六条）。",
        "",
        "二、依申请公开",
        "（一）受理机构",
    ]
    office = [
        ("名称", org.office_name or org.name),
        ("办公地址", org.office_address),
        ("邮政编码", org.office_postcode),
        ("办公时间", org.office_hours),
        ("联系电话", org.office_phone),
        ("传真", org.office_fax),
        ("电子邮箱", org.office_email),
        ("网站", org.office_website),
    ]
    lines += [f"{label}：{value}" for label, value in office if value]
    lines += [
        "（二）申请方式",
        "申请人应当采用书面形式（包括数据电文形式）提出申请，可以当面提交、邮寄、"
        "在线提交或传真；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请"
        "（《条例》第二十九条）。",
        "申请内容包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、"
        "文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
        "（三）答复期限",
        "能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；"
        "需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日"
        "（《条例》第三十三条）。",
        "（四）收费",
        "依申请提供政府信息，不收取费用；申请数量、频次明显超过合理范围的，"
        "按照《政府信息公开信息处理费管理办法》收取信息处理费（《条例》第四十二条）。",
        "",
        "三、监督和救济",
        "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，"
        "可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，"
        "也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。",
        "",
        f"本指南生成于{today.year}年{today.month}月{today.day}日。",
    ]
    return "\n".join(lines)


def guide_generate(*, organization: Organization, acting_user, now: dt.datetime) -> Guide:
    """(Re)generate the guide text from the body's data; the clerk edits it afterwards."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的政府信息公开指南。")
    return _guide_generate(organization, acting_user, now)


def guide_generate_system(*, organization: Organization, now: dt.datetime) -> Guide:
    """The system's own entry point (demo, seeding commands; no request, no role
    check, audit row without actor).  Never call it from a view."""
    return _guide_generate(organization, None, now)


@transaction.atomic
def _guide_generate(organization: Organization, acting_user, now: dt.datetime) -> Guide:
    text = guide_text_for(organization, today=timezone.localdate(now))
    guide, created = Guide.objects.select_for_update().get_or_create(
        organization=organization,
        defaults={"text": text, "generated_at": now, "updated_at": now, "updated_by": acting_user},
    )
    if not created:
        guide.text = text
        guide.generated_at = now
        guide.updated_at = now
        guide.updated_by = acting_user
        guide.save()
    audit_record(
        actor=acting_user, organization=organization, verb="guide.generate", obj=guide, at=now
    )
    return guide


@transaction.atomic
def guide_update(*, organization: Organization, acting_user, text: str, now: dt.datetime) -> Guide:
    """Replace the guide's text; shown on the portal at once.  Deliberately one
    person (a clerk): see docs/security.md, "not covered"."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的政府信息公开指南。")
    if not (text or "").strip():
        raise ValidationError({"text": "指南正文不能为空。"})
    guide, _ = Guide.objects.select_for_update().get_or_create(
        organization=organization, defaults={"text": text, "updated_at": now}
    )
    guide.text = text.strip()
    guide.updated_at = now
    guide.updated_by = acting_user
    guide.save()
    audit_record(
        actor=acting_user, organization=organization, verb="guide.update", obj=guide, at=now
    )
    return guide


# --- normative documents register and yearly figures ------------------------------------


@transaction.atomic
def normative_document_save(
    *,
    organization: Organization,
    acting_user,
    document: NormativeDocument | None,
    data: dict[str, Any],
) -> NormativeDocument:
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的规范性文件登记。")
    creating = document is None
    if creating:
        document = NormativeDocument(organization=organization)
    elif document.organization_id != organization.pk:
        _deny("该文件不属于当前机关。")
    before = {} if creating else {k: str(getattr(document, k)) for k in data}
    for name, value in data.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="normative.create" if creating else "normative.update",
        obj=document,
        to_state=document.status,
        data={"before": before, "after": {k: str(getattr(document, k)) for k in data}},
    )
    return document


@transaction.atomic
def yearly_figures_save(
    *,
    organization: Organization,
    acting_user,
    year: int,
    licensing: int,
    penalty: int,
    coercion: int,
    fees: Decimal,
) -> YearlyFigures:
    """Record the year's 许可/处罚/强制 decisions and 收费 (万元) for table 2."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能录入本机关的年度数据。")
    errors = {}
    for name, value in (("licensing", licensing), ("penalty", penalty), ("coercion", coercion)):
        if value is None or value < 0:
            errors[name] = "请填写不小于 0 的整数。"
    fees = Decimal(fees if fees is not None else -1)
    if fees < 0:
        errors["fees"] = "收费金额不能为负数。"
    elif fees != fees.quantize(Decimal("0.000001")):
        errors["fees"] = "收费金额以万元为单位，最多保留6位小数。"
    if not 2000 <= year <= 2100:
        errors["year"] = "年度超出范围。"
    if errors:
        raise ValidationError(errors)
    figures, created = YearlyFigures.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    before = {
        "licensing": figures.licensing,
        "penalty": figures.penalty,
        "coercion": figures.coercion,
        "fees": str(figures.fees),
    }
    figures.licensing, figures.penalty, figures.coercion, figures.fees = (
        licensing,
        penalty,
        coercion,
        fees,
    )
    figures.entered_by = acting_user
    figures.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="yearly_figures.save",
        obj=figures,
        data={
            "year": year,
            "before": None if created else before,
            "after": {
                "licensing": licensing,
                "penalty": penalty,
                "coercion": coercion,
                "fees": str(fees),
            },
        },
    )
    return figures
