"""Every write of the external app: the list of bodies and their check results."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.annual.web.batch import OK, Body, Options, Outcome, run_batch
from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .models import ExternalBody, ExternalCheck


@transaction.atomic
def external_body_create(
    *, supervisor: Organization, name: str, level: str, column_url: str, acting_user
) -> ExternalBody:
    if ExternalBody.objects.filter(supervisor=supervisor, column_url=column_url).exists():
        raise ValidationError("这个栏目网址已经在清单里了。")
    try:
        with transaction.atomic():
            body = ExternalBody.objects.create(
                supervisor=supervisor,
                name=name,
                level=level,
                column_url=column_url,
                created_by=acting_user,
            )
    except IntegrityError as exc:  # a concurrent add of the same address
        raise ValidationError("这个栏目网址已经在清单里了。") from exc
    audit_record(
        actor=acting_user,
        organization=supervisor,
        verb="external_body.create",
        obj=body,
        data={"name": name, "level": level, "column_url": column_url},
    )
    return body


@transaction.atomic
def external_body_update(
    *, body: ExternalBody, name: str, level: str, column_url: str, is_active: bool, acting_user
) -> ExternalBody:
    clash = ExternalBody.objects.filter(supervisor=body.supervisor, column_url=column_url).exclude(
        pk=body.pk
    )
    if clash.exists():
        raise ValidationError("这个栏目网址已经在清单里了。")
    before = {
        "name": body.name,
        "level": body.level,
        "column_url": body.column_url,
        "is_active": body.is_active,
    }
    body.name, body.level, body.column_url, body.is_active = name, level, column_url, is_active
    body.save(update_fields=["name", "level", "column_url", "is_active"])
    after = {"name": name, "level": level, "column_url": column_url, "is_active": is_active}
    audit_record(
        actor=acting_user,
        organization=body.supervisor,
        verb="external_body.update",
        obj=body,
        data={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return body


@transaction.atomic
def external_check_record(*, body: ExternalBody, year: int, outcome: Outcome, now: datetime):
    """Keep one body's result for ``year`` (the latest run replaces the earlier one)."""
    repetition = outcome.repetition
    if repetition is not None:
        repetition = max(0.0, min(1.0, repetition))
    check, _ = ExternalCheck.objects.update_or_create(
        body=body,
        year=year,
        defaults={
            "status": ExternalCheck.Status.OK
            if outcome.status == OK
            else ExternalCheck.Status.FAILED,
            "reason": outcome.reason or "",
            "report_url": (outcome.report_url or "")[:1000],
            "organization_name": (outcome.organization or "")[:200],
            "source_format": outcome.source_format or "",
            "errors": outcome.errors,
            "warnings": outcome.warnings,
            "findings": outcome.findings,
            "cells": outcome.cells,
            "published_on": outcome.published_on,
            "deadline": outcome.deadline,
            "days_late": outcome.days_late,
            "repetition": repetition,
            "checked_at": now,
        },
    )
    audit_record(
        actor=None,
        organization=body.supervisor,
        verb="external_check.record",
        obj=check,
        to_state=check.status,
        data={"year": year, "errors": check.errors, "warnings": check.warnings},
    )
    return check


def external_checks_run(
    *,
    year: int,
    now: datetime,
    fetcher,
    supervisor: Organization | None = None,
    jobs: int = 1,
    ocr: str = "auto",
    previous_year: bool = True,
    dry_run: bool = False,
) -> list[tuple[ExternalBody, Outcome]]:
    """Fetch, read and check the ``year`` report of every active outside body.

    The network and the reading happen first, outside any transaction; each
    body's result is then written in its own transaction, so a run stopped
    half-way keeps what it finished.  ``dry_run`` checks and writes nothing.
    """
    bodies = ExternalBody.objects.filter(is_active=True).select_related("supervisor")
    if supervisor is not None:
        bodies = bodies.filter(supervisor=supervisor)
    bodies = list(bodies.order_by("supervisor_id", "name", "pk"))
    options = Options(year=year, follow=True, previous_year=previous_year, ocr=ocr, jobs=jobs)
    outcomes = run_batch(
        [Body(url=b.column_url, name=b.name, level=b.level) for b in bodies],
        fetcher,
        options,
        lambda index, outcome: None,
    )
    pairs = list(zip(bodies, outcomes, strict=True))
    if not dry_run:
        for body, outcome in pairs:
            external_check_record(body=body, year=year, outcome=outcome, now=now)
    return pairs
