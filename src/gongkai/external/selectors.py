"""Reads the supervision pages share: outside bodies beside the platform's own."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.organizations.models import Organization

from .models import ExternalBody, ExternalCheck


@dataclass
class ExternalRow:
    body: ExternalBody
    check: ExternalCheck | None


def external_rows(org: Organization, year: int) -> list[ExternalRow]:
    """Every active outside body of ``org`` with its result for ``year`` (None: not yet checked)."""
    bodies = list(ExternalBody.objects.filter(supervisor=org, is_active=True).order_by("name"))
    checks = {c.body_id: c for c in ExternalCheck.objects.filter(body__in=bodies, year=year)}
    return [ExternalRow(b, checks.get(b.pk)) for b in bodies]


def external_totals(rows: list[ExternalRow]) -> dict:
    """Counts for the district aggregate: read, failed, with errors, late, not checked."""
    checked = [r.check for r in rows if r.check is not None]
    return {
        "bodies": len(rows),
        "read": sum(1 for c in checked if c.status == ExternalCheck.Status.OK),
        "failed": sum(1 for c in checked if c.status == ExternalCheck.Status.FAILED),
        "with_errors": sum(1 for c in checked if c.status == ExternalCheck.Status.OK and c.errors),
        "late": sum(1 for c in checked if c.is_late),
        "unchecked": sum(1 for r in rows if r.check is None),
    }
