"""The normative documents register and the yearly figures for table 2."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..models import (
    NormativeDocument,
    YearlyFigures,
)
from ._common import _deny

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
