"""History imports: items published before the body used gongkai (adoption)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization
from gongkai.search.indexing import index_item

from .. import permissions as perms
from ..models import (
    Item,
    Publication,
)
from ._common import S, _deny
from .items import _apply_fields, next_index_number


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
