"""The 三项清单: 主动公开事项清单, 依申请公开事项清单, 不予公开事项清单.

Clerks edit the entries of the 依申请公开 and 不予公开 lists (the 主动公开 list is
the catalogue: its 公开内容, 依据, 时限, 渠道 and 责任科室 columns, 条例第十二条,
第十九条-第二十一条).  Publishing a list freezes what it says into a numbered
:class:`ListRevision` with its date and a note of what changed; the public page
shows the newest revision and the history of them all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..models import Category, ListEntry, ListKind, ListRevision
from ._common import _deny

EDITED_KINDS = (ListKind.ON_REQUEST, ListKind.WITHHELD)
ENTRY_FIELDS = ("name", "content", "reason", "basis", "unit", "order")


@transaction.atomic
def list_entry_save(
    *,
    organization: Organization,
    acting_user,
    entry: ListEntry | None,
    kind: str,
    data: dict[str, Any],
) -> ListEntry:
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的清单。")
    if kind not in EDITED_KINDS:
        raise ValidationError("主动公开事项清单由公开目录生成，请在公开目录中修改。")
    creating = entry is None
    if creating:
        entry = ListEntry(organization=organization, kind=kind)
    elif entry.organization_id != organization.pk or entry.kind != kind:
        _deny("该事项不属于当前机关的这份清单。")
    for name, value in data.items():
        if name not in ENTRY_FIELDS:
            raise ValueError(f"not a list entry field: {name}")
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not entry.name:
        errors["name"] = "请填写事项名称。"
    # 国办发〔2016〕80号: what is not disclosed is not disclosed for a stated reason
    # under a stated legal basis.
    if kind == ListKind.WITHHELD:
        if not entry.reason:
            errors["reason"] = "不予公开事项必须写明理由。"
        if not entry.basis:
            errors["basis"] = "不予公开事项必须写明法律依据。"
    if entry.unit_id and entry.unit.organization_id != organization.pk:
        errors["unit"] = "所选科室不属于本机关。"
    if errors:
        raise ValidationError(errors)
    entry.full_clean()
    entry.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="list_entry.create" if creating else "list_entry.update",
        obj=entry,
        data={"kind": kind, **{k: str(v) for k, v in data.items()}},
    )
    return entry


@transaction.atomic
def list_entry_delete(*, entry: ListEntry, acting_user) -> None:
    organization = entry.organization
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的清单。")
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="list_entry.delete",
        obj=entry,
        data={"kind": entry.kind, "name": entry.name},
    )
    entry.delete()


def list_snapshot(organization: Organization, kind: str) -> list[dict[str, str]]:
    """What the list says now (what publishing it would freeze)."""
    if kind == ListKind.PROACTIVE:
        return _catalogue_snapshot(organization)
    if kind not in EDITED_KINDS:
        raise ValueError(f"unknown list: {kind}")
    entries = ListEntry.objects.filter(organization=organization, kind=kind).select_related("unit")
    return [
        {
            "name": e.name,
            "content": e.content,
            "reason": e.reason,
            "basis": e.basis,
            "unit": e.unit.name if e.unit_id else "",
        }
        for e in entries.order_by("order", "pk")
    ]


def _catalogue_snapshot(organization: Organization) -> list[dict[str, str]]:
    """The catalogue's applicable columns, depth-first (by order, code)."""
    categories = list(
        Category.objects.filter(organization=organization)
        .select_related("unit")
        .order_by("order", "code")
    )
    ids = {c.pk for c in categories}
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    rows: list[dict[str, str]] = []

    def walk(parent_id, depth: int, seen: frozenset) -> None:
        for c in children.get(parent_id, []):
            if c.pk in seen or not c.applies:  # not applicable: not a 公开事项 of the body
                continue
            rows.append(
                {
                    "code": c.code,
                    "name": c.name,
                    "depth": depth,
                    "content": c.content_elements,
                    "basis": c.basis,
                    "time_limit": c.time_limit,
                    "channels": c.channels,
                    "unit": c.unit.name if c.unit_id else "",
                }
            )
            walk(c.pk, depth + 1, seen | {c.pk})

    walk(None, 0, frozenset())
    return rows


def current_revision(organization: Organization, kind: str) -> ListRevision | None:
    return ListRevision.objects.filter(organization=organization, kind=kind).first()


@transaction.atomic
def list_publish(
    *, organization: Organization, kind: str, acting_user, note: str, now: dt.datetime
) -> ListRevision:
    """Publish the list as it stands: a new revision dated today with ``note``."""
    if not perms.can_publish_list(acting_user, organization):
        _deny("只有公开办负责人或管理员可以发布清单。")
    if kind not in ListKind.values:
        raise ValidationError("没有这份清单。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写修订说明（本次改了什么、为什么）。"})
    # One publisher at a time per body: the revision number is the next one.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    entries = list_snapshot(organization, kind)
    latest = current_revision(organization, kind)
    if latest is not None and latest.entries == entries:
        raise ValidationError(f"清单内容与第{latest.number}版相同，无需发布新版本。")
    revision = ListRevision.objects.create(
        organization=organization,
        kind=kind,
        number=(latest.number + 1) if latest else 1,
        revised_on=timezone.localdate(now),
        note=note,
        entries=entries,
        published_at=now,
        published_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="list.publish",
        obj=revision,
        data={"kind": kind, "number": revision.number, "entries": len(entries)},
        at=now,
    )
    return revision
