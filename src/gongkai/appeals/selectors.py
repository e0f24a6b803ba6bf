"""Table 4 of the annual report, and its drill-down (rules: gongkai.core.counting)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from gongkai.core import counting

from .models import Appeal


def table4_counts(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """The 15 ``t4.<block>.<col>`` cells in one GROUP BY query.

    upheld/corrected/other: decided in the year, by result; pending (尚未审结):
    filed on or before 31 December and undecided on 31 December; total = sum.
    """
    return counting.t4_cells(
        Appeal.objects.filter(organization_id__in=list(organization_ids)), year
    )


def appeals_for_cell(*, organization_ids: Iterable[int], year: int, key: str) -> QuerySet[Appeal]:
    parts = key.split(".")
    if (
        len(parts) != 3
        or parts[0] != "t4"
        or parts[1] not in counting.T4_BLOCK_KEYS
        or parts[2] not in counting.T4_COLUMN_KEYS
    ):
        raise ValueError(f"不是表四的单元格：{key}")
    qs = Appeal.objects.filter(organization_id__in=list(organization_ids))
    return qs.filter(counting.t4_cell_q(parts[1], parts[2], year)).order_by("filed_on", "pk")
