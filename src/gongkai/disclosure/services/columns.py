"""The dedicated columns: 行政事业性收费 items (条例第二十条第（八）项) and the
办理结果 of 人大代表建议 and 政协委员提案 (国办发〔2014〕46号).

Registers like the 规范性文件 register: structured rows the body keeps, shown
on their own public pages and in the catalogue column that asks for them.  A
reply's full text is an ordinary item (published after 条例第十七条 review);
the register row only links to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..models import FeeItem, ProposalReply
from ._common import _deny

FEE_FIELDS = (
    "name",
    "basis",
    "standard",
    "authority",
    "collector",
    "note",
    "abolished_on",
    "order",
)
PROPOSAL_FIELDS = (
    "year",
    "kind",
    "number",
    "title",
    "role",
    "outcome",
    "replied_on",
    "summary",
    "item",
)


def _check(acting_user, organization: Organization) -> None:
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的收费项目和建议提案办理结果。")


def _save(model, *, organization, acting_user, obj, data, fields, verb, now):
    _check(acting_user, organization)
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    creating = obj is None
    if creating:
        obj = model(organization=organization)
    elif obj.organization_id != organization.pk:
        _deny("该记录不属于当前机关。")
    for name, value in data.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a concurrent duplicate passed full_clean
        raise ValidationError("同一编号的记录已经存在，请刷新后再试。") from exc
    audit_record(
        actor=acting_user,
        organization=organization,
        verb=f"{verb}.create" if creating else f"{verb}.update",
        obj=obj,
        data={name: str(getattr(obj, name)) for name in data},
        at=now,
    )
    return obj


@transaction.atomic
def fee_item_save(
    *,
    organization: Organization,
    acting_user,
    fee: FeeItem | None,
    data: dict[str, Any],
    now: dt.datetime,
) -> FeeItem:
    return _save(
        FeeItem,
        organization=organization,
        acting_user=acting_user,
        obj=fee,
        data=data,
        fields=FEE_FIELDS,
        verb="fee",
        now=now,
    )


@transaction.atomic
def fee_item_delete(*, fee: FeeItem, acting_user, now: dt.datetime) -> None:
    _check(acting_user, fee.organization)
    audit_record(
        actor=acting_user,
        organization=fee.organization,
        verb="fee.delete",
        obj=fee,
        data={"name": fee.name},
        at=now,
    )
    fee.delete()


@transaction.atomic
def proposal_reply_save(
    *,
    organization: Organization,
    acting_user,
    reply: ProposalReply | None,
    data: dict[str, Any],
    now: dt.datetime,
) -> ProposalReply:
    return _save(
        ProposalReply,
        organization=organization,
        acting_user=acting_user,
        obj=reply,
        data=data,
        fields=PROPOSAL_FIELDS,
        verb="proposal",
        now=now,
    )


@transaction.atomic
def proposal_reply_delete(*, reply: ProposalReply, acting_user, now: dt.datetime) -> None:
    _check(acting_user, reply.organization)
    audit_record(
        actor=acting_user,
        organization=reply.organization,
        verb="proposal.delete",
        obj=reply,
        data={"year": reply.year, "kind": reply.kind, "number": reply.number},
        at=now,
    )
    reply.delete()
