"""Table 4 of the annual report, and its drill-down."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.annual.format import T4_BLOCKS, T4_COLUMNS, T4_PART_COLUMNS

from .models import Appeal

T4_BLOCK_KEYS = tuple(k for k, _ in T4_BLOCKS)
T4_COLUMN_KEYS = tuple(k for k, _ in T4_COLUMNS)


def table4_counts(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """The 15 ``t4.<block>.<col>`` cells in one GROUP BY query.

    upheld/corrected/other: decided in the year, by result; pending (尚未审结):
    filed on or before 31 December and undecided on 31 December; total = sum.
    """
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    cells = {f"t4.{b}.{c}": 0 for b in T4_BLOCK_KEYS for c in T4_COLUMN_KEYS}
    rows = (
        Appeal.objects.filter(organization_id__in=list(organization_ids), filed_on__lte=dec31)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=jan1))
        .values("kind")
        .annotate(
            upheld=Count("id", filter=Q(result="upheld", decided_on__lte=dec31)),
            corrected=Count("id", filter=Q(result="corrected", decided_on__lte=dec31)),
            other=Count("id", filter=Q(result="other", decided_on__lte=dec31)),
            pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=dec31)),
        )
        .order_by()
    )
    for row in rows:
        for col in T4_PART_COLUMNS:
            cells[f"t4.{row['kind']}.{col}"] += row[col]
    for block in T4_BLOCK_KEYS:
        cells[f"t4.{block}.total"] = sum(cells[f"t4.{block}.{c}"] for c in T4_PART_COLUMNS)
    return cells


def appeals_for_cell(*, organization_ids: Iterable[int], year: int, key: str) -> QuerySet[Appeal]:
    parts = key.split(".")
    if (
        len(parts) != 3
        or parts[0] != "t4"
        or parts[1] not in T4_BLOCK_KEYS
        or parts[2] not in T4_COLUMN_KEYS
    ):
        raise ValueError(f"不是表四的单元格：{key}")
    block, col = parts[1], parts[2]
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    qs = Appeal.objects.filter(organization_id__in=list(organization_ids), kind=block)
    decided_in_year = Q(decided_on__gte=jan1, decided_on__lte=dec31)
    pending = Q(filed_on__lte=dec31) & (Q(decided_on__isnull=True) | Q(decided_on__gt=dec31))
    if col == "pending":
        qs = qs.filter(pending)
    elif col == "total":
        qs = qs.filter(decided_in_year | pending)
    else:
        qs = qs.filter(decided_in_year, result=col)
    return qs.order_by("filed_on", "pk")
