"""The 公开目录 (catalogue) of a body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..law import (
    ARTICLE_20_ITEMS,
    ARTICLE_21_TOWN_AREAS,
    DEPARTMENT_AREAS,
    DEPARTMENT_LEVELS,
    GRASSROOTS_AREAS,
    TOWN_LEVELS,
)
from ..models import (
    Catalogue,
    Category,
)
from ._common import _deny


def catalogue_touch(*, organization: Organization, now: dt.datetime) -> None:
    """Record that ``organization``'s catalogue changed at ``now`` (条例第十二条: the
    catalogue is kept current; its public page shows the date).  Every write of
    a category calls this inside its transaction."""
    Catalogue.objects.update_or_create(organization=organization, defaults={"updated_at": now})


# --- catalogue --------------------------------------------------------------------


def _seed_rows(org: Organization) -> list[tuple[str, str, str | None]]:
    return seed_rows_for_level(org.level)


def seed_rows_for_level(level: str) -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) of the built-in catalogue for a body of ``level``:
    a department's (部门履职信息) or a government's (基层标准目录; a town adds
    条例第二十一条)."""
    rows: list[tuple[str, str, str | None]] = [("A", "法定主动公开内容（条例第二十条）", None)]
    for n, (_, label) in enumerate(ARTICLE_20_ITEMS, start=1):
        rows.append((f"A{n:02d}", label.split("）", 1)[1], "A"))
    if level in DEPARTMENT_LEVELS:
        # A department's catalogue: its own duties, not a government's areas.
        rows.append(("D", "部门履职信息", None))
        for n, name in enumerate(DEPARTMENT_AREAS, start=1):
            rows.append((f"D{n:02d}", name, "D"))
        return rows
    rows.append(("B", "基层政务公开标准目录（国办发〔2019〕54号）", None))
    for n, name in enumerate(GRASSROOTS_AREAS, start=1):
        rows.append((f"B{n:02d}", name, "B"))
    if level in TOWN_LEVELS:
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
def _catalogue_seed(organization: Organization, acting_user, now=None) -> int:
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
        catalogue_touch(organization=organization, now=now or timezone.now())
        audit_record(
            actor=acting_user,
            organization=organization,
            verb="catalogue.seed",
            data={"created": created},
        )
    return created


@transaction.atomic
def category_save(
    *,
    organization: Organization,
    acting_user,
    category: Category | None,
    data: dict[str, Any],
    now: dt.datetime | None = None,
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
    if category.unit_id and category.unit.organization_id != organization.pk:
        errors["unit"] = "所选科室不属于本机关。"
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
    catalogue_touch(organization=organization, now=now or timezone.now())
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
def category_delete(*, category: Category, acting_user, now: dt.datetime | None = None) -> None:
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
    catalogue_touch(organization=organization, now=now or timezone.now())
