"""Independent implementations of the annual report's counting rules, for tests only.

Production counts tables 2-4 with gongkai.core.counting.  These are the
implementations that existed before it, kept verbatim (imports and names
aside) so the property tests keep comparing production to code written
another way: table 3 in two GROUP BY queries instead of one, and table 2 for
one body with one query per column and its own copy of "in force".

Not used by production code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from gongkai.annual.format import (
    T2_ROW_BY_KEY,
    T3_APPLICANT_COLUMNS,
    T3_COLUMNS,
    T3_ROW_KEYS,
    t2_keys,
)
from gongkai.applications.models import Application
from gongkai.disclosure.models import NormativeDocument, YearlyFigures

T3_COLUMN_KEYS = tuple(k for k, _ in T3_COLUMNS)  # six applicant columns + total

# --- table 3 (was gongkai.applications.selectors.table3_counts) -------------------------


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def table3_counts(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """Every ``t3.<row>.<col>`` cell for the given bodies and year, in two
    GROUP BY queries whatever the volume.

    - new: received in the year;
    - carried: received before 1 January and not closed before 1 January;
    - results (one row per outcome) and total: closed (reply_on) in the year;
    - carry_forward: received by 31 December and not closed by 31 December.

    So new + carried = total + carry_forward for every column (the format's
    勾稽关系), and next year's carried equals this year's carry_forward.
    """
    ids = list(organization_ids)
    jan1, dec31 = _year_bounds(year)
    cells = {f"t3.{row}.{col}": 0 for row in T3_ROW_KEYS for col in T3_COLUMN_KEYS}
    base = Application.objects.filter(organization_id__in=ids)
    open_in_year = (
        base.filter(received_on__lte=dec31)
        .filter(Q(reply_on__isnull=True) | Q(reply_on__gte=jan1))
        .values("applicant_type")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=jan1)),
            carried=Count("id", filter=Q(received_on__lt=jan1)),
            carry_forward=Count("id", filter=Q(reply_on__isnull=True) | Q(reply_on__gt=dec31)),
        )
        .order_by()
    )
    for row in open_in_year:
        col = row["applicant_type"]
        for key in ("new", "carried", "carry_forward"):
            cells[f"t3.{key}.{col}"] += row[key]
    closed = (
        base.filter(reply_on__gte=jan1, reply_on__lte=dec31)
        .values("outcome", "applicant_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in closed:
        cells[f"t3.{row['outcome']}.{row['applicant_type']}"] += row["n"]
        cells[f"t3.total.{row['applicant_type']}"] += row["n"]
    for row_key in T3_ROW_KEYS:
        cells[f"t3.{row_key}.total"] = sum(
            cells[f"t3.{row_key}.{col}"] for col in T3_APPLICANT_COLUMNS
        )
    return cells


# --- table 2 for one body (was gongkai.disclosure.selectors / models) ----------------------


def normative_in_force_q(day: dt.date, prefix: str = "") -> Q:
    """The one definition of a register document "in force" (现行有效) on ``day``
    (条例第二十条第（一）项; format rule 6): issued on or before ``day``, not
    abolished or expired on or before it, and ``valid_until`` — the last valid
    day — not before it.  ``prefix`` lets a query through a relation use it
    (``normative_in_force_q(day, "normative_documents__")``)."""
    p = prefix
    return (
        Q(**{f"{p}issued_on__lte": day})
        & ~Q(**{f"{p}abolished_on__lte": day})
        & ~Q(**{f"{p}expired_on__lte": day})
        & ~Q(**{f"{p}valid_until__lt": day})
    )


def normative_counts(org, year: int, kind: str) -> dict[str, int]:
    """Table 2 row of the register (条例第二十条第（一）项), exactly:

    - issued: ``issued_on`` within the year;
    - abolished (本年废止): documents that went out of force during the year —
      abolished (``abolished_on``) or expired (``expired_on``, or the day after
      ``valid_until``), each counted once, in the year it first stopped being
      in force (废止 read as 废止和失效; docs/disclosure.md);
    - in_force: in force on 31 December (:func:`normative_in_force_q`).

    So format rule 6 holds by construction: in_force = last year's in_force +
    issued - abolished.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    prev_end = start - dt.timedelta(days=1)
    qs = NormativeDocument.objects.filter(organization=org, kind=kind)
    in_force_end = normative_in_force_q(end)
    went_out = (
        Q(issued_on__lte=end)
        & ~in_force_end
        & (Q(issued_on__gte=start) | normative_in_force_q(prev_end))
    )
    return {
        "issued": qs.filter(issued_on__range=(start, end)).count(),
        "abolished": qs.filter(went_out).count(),
        "in_force": qs.filter(in_force_end).count(),
    }


def table2_figures(org, year: int) -> dict[str, int | Decimal]:
    """The table-2 cells (keys from gongkai.annual.format) known for ``org`` and ``year``.

    规章 rows come from the register (always 0 for a body without the power);
    许可/处罚/强制/收费 from :class:`YearlyFigures`.  When no figures were entered
    for the year those cells are left out — a blank is not a zero (format rule 9),
    so the checker reports them as missing instead of accepting an invented 0.
    """
    out: dict[str, int | Decimal] = {}
    kinds = {"regulations": NormativeDocument.Kind.REGULATION, "normative": "normative"}
    figures = YearlyFigures.objects.filter(organization=org, year=year).first()
    counts = {row: normative_counts(org, year, kind) for row, kind in kinds.items()}
    for key in t2_keys():
        _, row_key, *col = key.split(".")
        row = T2_ROW_BY_KEY[row_key]
        if row.has_columns:
            out[key] = counts[row_key][col[0]]
        elif figures is None:
            continue
        elif row.is_decimal:
            out[key] = figures.fees
        else:
            out[key] = getattr(figures, row_key)
    return out
