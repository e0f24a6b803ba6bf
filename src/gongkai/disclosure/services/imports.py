"""The writes of a bulk import (adoption): the job, its rows, a declined import.

Reading and checking a file is :mod:`gongkai.disclosure.imports` (it imports
this module, never the other way round); what it has checked is written here,
each write with its audit row, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden, Invalid
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..models import Category, ImportJob, Item
from .catalogue import catalogue_touch
from .history import item_record_history


@transaction.atomic
def import_job_create(
    *,
    organization: Organization,
    kind: str,
    path: str,
    original_name: str,
    acting_user,
    now: dt.datetime,
) -> ImportJob:
    """Register an uploaded (already stored) file as an import job of ``organization``.
    The caller runs its trial run in the same transaction (``imports.import_check``):
    no job is left behind without a result (review of issue #9, F4)."""
    if not perms.can_maintain(acting_user, organization):
        raise Forbidden("您不能为本机关导入数据。")
    job = ImportJob.objects.create(
        organization=organization,
        kind=kind,
        path=path,
        original_name=original_name[:255],
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="import.job_create",
        data={"file": job.original_name, "kind": job.kind, "job": job.pk},
        at=now,
    )
    return job


@transaction.atomic
def import_job_write(
    *,
    job: ImportJob,
    rows: Iterable[tuple[int, dict[str, Any]]],
    publishes: int,
    acting_user,
    now: dt.datetime,
) -> ImportJob:
    """Write the checked ``rows`` (``(row number, parsed values)``) of ``job`` and
    mark it imported.  The caller has checked the file and who may confirm it
    (``imports.import_run``); every row is audited, and the import itself."""
    rows = list(rows)
    org = job.organization
    if job.kind == ImportJob.Kind.ITEMS:
        _write_items(org, rows, job=job, acting_user=acting_user, now=now)
    else:
        _write_categories(org, rows, acting_user=acting_user, now=now)
    job.imported_at = now
    job.imported_by = acting_user
    job.row_count = len(rows)
    job.error_count = 0
    job.publishes = publishes
    job.save(update_fields=["imported_at", "imported_by", "row_count", "error_count", "publishes"])
    audit_record(
        actor=acting_user,
        organization=org,
        verb=f"import.{job.kind}",
        data={
            "file": job.original_name,
            "rows": len(rows),
            "published_rows": publishes,
            "uploaded_by": job.created_by_id,
            "job": job.pk,
        },
        at=now,
    )
    return job


@transaction.atomic
def import_decline(*, job: ImportJob, acting_user, reason: str, now: dt.datetime) -> ImportJob:
    """The approver does not confirm an import that would publish rows; the
    uploader sees why.  Nothing is written but the decision (audited)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not perms.can_confirm_import(acting_user, job):
        raise Forbidden("只有本机关的审批领导（上传人以外）可以处理等待确认的导入。")
    if not job.publishes:
        raise Invalid("该文件没有已公开的历史信息，无需审批领导确认。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明不同意导入的理由，告诉上传人需要修改什么。"})
    job.declined_at = now
    job.declined_by = acting_user
    job.decline_reason = reason.strip()
    job.save(update_fields=["declined_at", "declined_by", "decline_reason"])
    audit_record(
        actor=acting_user,
        organization=job.organization,
        verb=f"import.{job.kind}.decline",
        comment=job.decline_reason,
        data={"file": job.original_name, "job": job.pk, "uploaded_by": job.created_by_id},
        at=now,
    )
    return job


def _write_items(org: Organization, rows, *, job: ImportJob, acting_user, now) -> None:
    for number, parsed in rows:
        data = dict(parsed)
        published_on = data.pop("published_on", None)
        index_number = data.pop("index_number", "")
        if published_on:
            # Adoption of history already published on the old website: the
            # uploader vouches for it, the confirming approver approves it.
            item_record_history(
                organization=org,
                acting_user=acting_user,
                recorded_by=job.created_by,
                data=data,
                published_on=published_on,
                index_number=index_number,
                source=f"import row {number}",
                now=now,
            )
        else:
            item = Item(
                organization=org,
                created_by=job.created_by,
                last_edited_by=job.created_by,
                **data,
            )
            item.full_clean()
            item.save()
            audit_record(
                actor=acting_user,
                organization=org,
                verb="item.import",
                obj=item,
                to_state=item.status,
                data={"source": f"import row {number}"},
                at=now,
            )


def _write_categories(org: Organization, rows, *, acting_user, now) -> None:
    by_code = {c.code: c for c in Category.objects.filter(organization=org)}
    written = False
    for number, parsed in rows:
        written = True
        data = dict(parsed)
        parent_code = data.pop("parent_code")
        category = Category(organization=org, parent=by_code.get(parent_code), **data)
        category.full_clean()
        category.save()
        by_code[category.code] = category
        audit_record(
            actor=acting_user,
            organization=org,
            verb="catalogue.import",
            obj=category,
            data={"row": number},
            at=now,
        )
    if written:
        catalogue_touch(organization=org, now=now)
