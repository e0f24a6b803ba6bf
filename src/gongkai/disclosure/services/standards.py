"""Standard catalogues (国办发〔2019〕54号 基层政务公开标准目录): a supervising
body prepares one, publishes numbered versions, and the bodies below it adopt a
version into their own catalogue.

Adopting merges: a category with the standard's code gets the standard's name
and columns (where the standard fills them), a missing one is created; nothing
of the body's own is deleted, and its items stay where they are.  The body's own
text that the standard replaces is kept, per code and field with the value
before and after, in the adoption's audit event (``data["changes"]``), so it can
be reviewed and written back.  Versions are adopted in order: once a body has
adopted a version, an older one of the same standard is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..models import CatalogueAdoption, Category, StandardCatalogue, StandardCatalogueVersion
from ._common import _deny
from .catalogue import _is_descendant, catalogue_touch, seed_rows_for_level

# The columns of a standard row, in the order a line of the draft text gives them.
ROW_FIELDS = ("code", "name", "parent_code", "content_elements", "basis", "time_limit", "channels")
ROW_LABELS = ("代码", "名称", "上级代码", "公开内容", "公开依据", "公开时限", "公开渠道")
# The lengths of the Category fields the rows become.
ROW_MAX = {"code": 20, "name": 100, "time_limit": 200, "channels": 300}
SEPARATORS = ("｜", "\t")


def standard_rows_parse(text: str) -> list[dict[str, str]]:
    """The draft text (one category per line, fields separated by "|") as rows;
    every mistake of every line in one ValidationError."""
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    codes: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        for sep in SEPARATORS:
            line = line.replace(sep, "|")
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > len(ROW_FIELDS):
            errors.append(f"第{number}行：最多{len(ROW_FIELDS)}列（{'|'.join(ROW_LABELS)}）。")
            continue
        row = dict(zip(ROW_FIELDS, parts + [""] * (len(ROW_FIELDS) - len(parts)), strict=True))
        code = row["code"]
        if not code or not code.replace("-", "").isascii() or not code.replace("-", "").isalnum():
            errors.append(f"第{number}行：代码只能由字母、数字和连字符组成。")
        elif code in codes:
            errors.append(f"第{number}行：代码“{code}”重复。")
        if not row["name"]:
            errors.append(f"第{number}行：请填写类目名称。")
        if row["parent_code"] and row["parent_code"] not in codes:
            errors.append(f"第{number}行：上级代码“{row['parent_code']}”须在前面的行中出现。")
        for field, limit in ROW_MAX.items():
            if len(row[field]) > limit:
                label = ROW_LABELS[ROW_FIELDS.index(field)]
                errors.append(f"第{number}行：{label}不能超过{limit}个字。")
        codes.add(code)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def standard_rows_text(rows: list[dict[str, str]]) -> str:
    """The rows back as draft text (the edit form shows this)."""
    return "\n".join(" | ".join(row.get(f, "") for f in ROW_FIELDS).rstrip(" |") for row in rows)


def template_rows(level: str) -> list[dict[str, str]]:
    """The built-in catalogue of ``level`` as standard rows (a starting point)."""
    return [
        dict(zip(ROW_FIELDS, (code, name, parent or "", "", "", "", ""), strict=True))
        for code, name, parent in seed_rows_for_level(level)
    ]


@transaction.atomic
def standard_save(
    *,
    publisher: Organization,
    acting_user,
    standard: StandardCatalogue | None,
    title: str,
    target_level: str,
    rows: list[dict[str, str]],
) -> StandardCatalogue:
    if not perms.can_manage_standards(acting_user, publisher):
        _deny("只有公开办负责人或管理员可以编制标准目录。")
    creating = standard is None
    if creating:
        standard = StandardCatalogue(publisher=publisher)
    elif standard.publisher_id != publisher.pk:
        _deny("该标准目录不是本机关发布的。")
    title = (title or "").strip()
    duplicate = StandardCatalogue.objects.filter(publisher=publisher, title=title)
    if standard.pk:
        duplicate = duplicate.exclude(pk=standard.pk)
    if duplicate.exists():
        raise ValidationError({"title": f"本机关已有名为“{title}”的标准目录。"})
    standard.title, standard.target_level, standard.draft_rows = title, target_level, rows
    standard.full_clean()
    standard.save()
    audit_record(
        actor=acting_user,
        organization=publisher,
        verb="standard.create" if creating else "standard.update",
        obj=standard,
        data={"title": title, "target_level": target_level, "rows": len(rows)},
    )
    return standard


@transaction.atomic
def standard_publish(
    *, standard: StandardCatalogue, acting_user, note: str, now: dt.datetime
) -> StandardCatalogueVersion:
    standard = StandardCatalogue.objects.select_for_update().get(pk=standard.pk)
    if not perms.can_manage_standards(acting_user, standard.publisher):
        _deny("只有公开办负责人或管理员可以发布标准目录。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写版本说明。"})
    if not standard.draft_rows:
        raise ValidationError("标准目录还没有类目，不能发布。")
    latest = standard.versions.first()
    if latest is not None and latest.rows == standard.draft_rows:
        raise ValidationError(f"草稿与第{latest.number}版相同，无需发布新版本。")
    version = StandardCatalogueVersion.objects.create(
        standard=standard,
        number=(latest.number + 1) if latest else 1,
        rows=list(standard.draft_rows),
        note=note,
        published_at=now,
        published_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        organization=standard.publisher,
        verb="standard.publish",
        obj=version,
        data={"standard": standard.title, "number": version.number, "rows": len(version.rows)},
        at=now,
    )
    return version


COLUMN_FIELDS = ("name", "content_elements", "basis", "time_limit", "channels")
# What a change record names a field by (the standard's own column labels).
CHANGE_LABELS = {
    **{f: ROW_LABELS[ROW_FIELDS.index(f)] for f in COLUMN_FIELDS},
    "parent": "上级类目",
}
CHANGES_SHOWN = 10  # codes named in the audit comment and the result message


def adoption_changes_text(changes: list[dict[str, str]], *, limit: int = CHANGES_SHOWN) -> str:
    """The changed fields per code, e.g. "B01（名称、公开依据）、B02（公开时限）"."""
    fields: dict[str, list[str]] = {}
    for change in changes:
        fields.setdefault(change["code"], []).append(CHANGE_LABELS[change["field"]])
    parts = [f"{code}（{'、'.join(labels)}）" for code, labels in fields.items()]
    more = f"等{len(parts)}个类目" if len(parts) > limit else ""
    return "、".join(parts[:limit]) + more


@transaction.atomic
def standard_adopt(
    *,
    organization: Organization,
    version: StandardCatalogueVersion,
    acting_user,
    now: dt.datetime,
) -> CatalogueAdoption:
    """Merge ``version`` into ``organization``'s catalogue (see the module doc).

    The returned adoption carries ``changes`` (not a column; the audit event
    keeps them): one ``{"code", "field", "before", "after"}`` per field of the
    body's own categories that the standard changed, ``field`` being a column
    name or ``"parent"`` (codes)."""
    standard = version.standard
    if not perms.can_adopt_standard(acting_user, organization, standard):
        _deny("您不能为本机关采用该标准目录。")
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    newest = (
        CatalogueAdoption.objects.filter(organization=organization, version__standard=standard)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    if newest is not None and newest.version.number == version.number:
        raise ValidationError(f"本机关已采用“{standard.title}”第{version.number}版。")
    if newest is not None and newest.version.number > version.number:
        raise ValidationError(
            f"本机关已采用“{standard.title}”第{newest.version.number}版，"
            f"不能再采用较早的第{version.number}版（会用旧版的内容覆盖新版）。"
        )
    existing = {c.code: c for c in Category.objects.filter(organization=organization)}
    codes = {c.pk: c.code for c in existing.values()}
    created_codes: list[str] = []
    changes: list[dict[str, str]] = []
    updated = 0
    for order, row in enumerate(version.rows):
        parent = existing.get(row.get("parent_code") or "")
        category = existing.get(row["code"])
        if category is None:
            category = Category(organization=organization, code=row["code"], order=order)
            for field in COLUMN_FIELDS:
                setattr(category, field, row.get(field, ""))
            category.parent = parent
            created_codes.append(category.code)
        else:
            found: list[dict[str, str]] = []
            for field in COLUMN_FIELDS:
                new = row.get(field)
                # The standard fills; a blank leaves the body's own.
                if new and new != getattr(category, field):
                    found.append(
                        {
                            "code": category.code,
                            "field": field,
                            "before": getattr(category, field),
                            "after": new,
                        }
                    )
                    setattr(category, field, new)
            # The standard's place in the tree, unless that would make a cycle
            # with the body's own nodes.
            if (
                parent is not None
                and parent.pk != category.parent_id
                and not _is_descendant(parent, category)
            ):
                found.append(
                    {
                        "code": category.code,
                        "field": "parent",
                        "before": codes.get(category.parent_id, ""),
                        "after": parent.code,
                    }
                )
                category.parent = parent
            if not found:
                continue
            changes.extend(found)
            updated += 1
        category.full_clean()
        category.save()
        existing[category.code] = category
        codes[category.pk] = category.code
    created = len(created_codes)
    adoption = CatalogueAdoption.objects.create(
        organization=organization,
        version=version,
        adopted_at=now,
        adopted_by=acting_user,
        created=created,
        updated=updated,
    )
    adoption.changes = changes
    catalogue_touch(organization=organization, now=now)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="catalogue.adopt",
        obj=adoption,
        comment=f"更新：{adoption_changes_text(changes)}" if changes else "",
        data={
            "standard": standard.title,
            "publisher": standard.publisher.name,
            "number": version.number,
            "created": created,
            "updated": updated,
            "created_codes": created_codes,
            "changes": changes,
        },
        at=now,
    )
    return adoption
