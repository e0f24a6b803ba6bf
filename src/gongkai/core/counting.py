"""Every rule that counts tables 2, 3 and 4 of the annual report, in one place.

Each rule is written twice, side by side, on purpose:

- as a query expression (``Q``, ``Count``, ``Sum``) over a queryset the caller
  hands in -- the report computation (reports/compute.py), the drill-downs and
  the register pages;
- as a per-row contribution in Python -- the year lock (reports/lock.py), which
  must judge a row that may be unsaved (``pre_save``), so a query cannot answer.

core/tests/test_counting.py checks that summing the per-row contributions over
any set of rows gives exactly the GROUP BY cells, so the two cannot drift.

A contribution is ``{cell key: amount}`` -- 1 for a counted record, the entered
value for a yearly-figures row -- or None when the row is not in that year's
table.  Rows are model instances or dicts of field values (``.values()``).

This module imports no model (it takes querysets) and nothing of gongkai but the
report format, so every app may use it.  The definitions (条例第二十条、第四十九条;
国办公开办函〔2021〕30号 format):

- table 2, register (条例第二十条第（一）项): issued = ``issued_on`` in the year;
  abolished (本年废止) = went out of force during the year, abolished or expired
  (废止和失效), counted once, in the year it first stopped being in force;
  in_force = in force on 31 December.  So format rule 6 (in_force = last year's
  in_force + issued - abolished) holds by construction.
- table 2, 许可/处罚/强制/收费 (第二十条第（五）（六）（八）项): the yearly figures
  entered by hand; left out when none were entered -- a blank is not a zero
  (format rule 9).
- table 3: new = received in the year; carried = received before 1 January and
  not closed before it; results and total = closed (``reply_on``) in the year,
  by outcome; carry_forward = received by 31 December and not closed by it.  So
  new + carried = total + carry_forward in every column (the format's 勾稽关系).
  An application of a unified intake (统一受理) counts once, for the body that
  signed for it and answers it, and nowhere while no body has signed for it.
- table 4: upheld/corrected/other = decided in the year, by result; pending
  (尚未审结) = filed by 31 December and undecided on 31 December; total = sum.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.annual import format as fmt

Contribution = dict[str, fmt.CellValue]


def field(row: Any, name: str) -> Any:
    """``row.name`` for a model instance, ``row[name]`` for a ``.values()`` dict."""
    return row.get(name) if isinstance(row, dict) else getattr(row, name)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- table 3: applications ---------------------------------------------------------------

T3_COLUMN_KEYS = tuple(k for k, _ in fmt.T3_COLUMNS)  # six applicant columns + total
# what table 3 reads
T3_FIELDS = ("received_on", "reply_on", "outcome", "applicant_type", "intake_state")
# 统一受理 (applications.workflow.INTAKE_NOT_HELD): an application a county's
# platform received that no body has signed for yet is no body's: counted
# nowhere (not for the county that only dispatches it) until a body signs, then
# once, for that body, which is the body that answers it (docs/decisions.md D63).
T3_NOT_HELD = ("pending", "dispatched")


def t3_scope_q(year: int) -> Q:
    """Applications in the year's table 3: held by a body, received by 31 December,
    not closed before 1 January."""
    jan1, dec31 = year_bounds(year)
    return (
        ~Q(intake_state__in=T3_NOT_HELD)
        & Q(received_on__lte=dec31)
        & (Q(reply_on__isnull=True) | Q(reply_on__gte=jan1))
    )


def _t3_parts(year: int) -> dict[str, Q]:
    """Within the scope: the four counts each application row is judged by."""
    jan1, dec31 = year_bounds(year)
    return {
        "new": Q(received_on__gte=jan1),
        "carried": Q(received_on__lt=jan1),
        "closed": Q(reply_on__lte=dec31),
        "carry_forward": Q(reply_on__isnull=True) | Q(reply_on__gt=dec31),
    }


def t3_annotations(year: int) -> dict[str, Count]:
    """``new``, ``carried``, ``closed``, ``carry_forward``: counts over :func:`t3_scope_q`."""
    return {name: Count("pk", filter=q) for name, q in _t3_parts(year).items()}


def t3_cells(qs: QuerySet, year: int) -> dict[str, int]:
    """Every ``t3.<row>.<col>`` cell of the applications in ``qs``, in ONE GROUP BY
    over (applicant type, outcome) whatever the volume."""
    cells = {f"t3.{row}.{col}": 0 for row in fmt.T3_ROW_KEYS for col in T3_COLUMN_KEYS}
    rows = (
        qs.filter(t3_scope_q(year))
        .values("applicant_type", "outcome")
        .annotate(**t3_annotations(year))
        .order_by()
    )
    for row in rows:
        col = row["applicant_type"]
        for key in ("new", "carried", "carry_forward"):
            cells[f"t3.{key}.{col}"] += row[key]
        if row["closed"]:
            cells[f"t3.{row['outcome']}.{col}"] += row["closed"]
            cells[f"t3.total.{col}"] += row["closed"]
    for row_key in fmt.T3_ROW_KEYS:
        cells[f"t3.{row_key}.total"] = sum(
            cells[f"t3.{row_key}.{col}"] for col in fmt.T3_APPLICANT_COLUMNS
        )
    return cells


def t3_cell_q(row: str, col: str, year: int) -> Q:
    """The applications behind the cell ``t3.<row>.<col>`` (the drill-down)."""
    if row not in fmt.T3_ROW_KEYS or col not in T3_COLUMN_KEYS:
        raise ValueError(f"不是表三的单元格：t3.{row}.{col}")
    parts = _t3_parts(year)
    if row in ("new", "carried", "carry_forward"):
        q = parts[row]
    else:
        q = parts["closed"] if row == "total" else parts["closed"] & Q(outcome=row)
    if col != "total":
        q &= Q(applicant_type=col)
    return t3_scope_q(year) & q


def t3_contribution(row: Any, year: int) -> Contribution | None:
    """The cells one application counts in for ``year`` (Python twin of :func:`t3_cells`)."""
    received, reply = field(row, "received_on"), field(row, "reply_on")
    jan1, dec31 = year_bounds(year)
    if received is None or received > dec31 or (reply is not None and reply < jan1):
        return None
    if field(row, "intake_state") in T3_NOT_HELD:
        return None
    closed = reply is not None and reply <= dec31
    parts = ["new" if received >= jan1 else "carried"]
    parts += [field(row, "outcome"), "total"] if closed else ["carry_forward"]
    col = field(row, "applicant_type")
    # The total column sums the six applicant columns, as t3_cells does.
    cols = (col, "total") if col in fmt.T3_APPLICANT_COLUMNS else (col,)
    return {f"t3.{part}.{c}": 1 for part in parts for c in cols}


# --- table 4: administrative reconsideration and litigation -----------------------------

T4_BLOCK_KEYS = tuple(k for k, _ in fmt.T4_BLOCKS)
T4_COLUMN_KEYS = tuple(k for k, _ in fmt.T4_COLUMNS)
T4_RESULTS = tuple(c for c in fmt.T4_PART_COLUMNS if c != "pending")  # upheld, corrected, other
T4_FIELDS = ("kind", "filed_on", "decided_on", "result")


def t4_scope_q(year: int) -> Q:
    """Cases in the year's table 4: filed by 31 December, not decided before 1 January."""
    jan1, dec31 = year_bounds(year)
    return Q(filed_on__lte=dec31) & (Q(decided_on__isnull=True) | Q(decided_on__gte=jan1))


def _t4_parts(year: int) -> dict[str, Q]:
    """Within the scope: one Q per part column (a case is in exactly one)."""
    _, dec31 = year_bounds(year)
    parts = {r: Q(result=r, decided_on__lte=dec31) for r in T4_RESULTS}
    parts["pending"] = Q(decided_on__isnull=True) | Q(decided_on__gt=dec31)
    return parts


def t4_annotations(year: int) -> dict[str, Count]:
    return {name: Count("pk", filter=q) for name, q in _t4_parts(year).items()}


def t4_cells(qs: QuerySet, year: int) -> dict[str, int]:
    """The 15 ``t4.<block>.<col>`` cells of the cases in ``qs``, in one GROUP BY."""
    cells = {f"t4.{b}.{c}": 0 for b in T4_BLOCK_KEYS for c in T4_COLUMN_KEYS}
    rows = qs.filter(t4_scope_q(year)).values("kind").annotate(**t4_annotations(year)).order_by()
    for row in rows:
        for col in fmt.T4_PART_COLUMNS:
            cells[f"t4.{row['kind']}.{col}"] += row[col]
    for block in T4_BLOCK_KEYS:
        cells[f"t4.{block}.total"] = sum(cells[f"t4.{block}.{c}"] for c in fmt.T4_PART_COLUMNS)
    return cells


def t4_cell_q(block: str, col: str, year: int) -> Q:
    """The cases behind the cell ``t4.<block>.<col>`` (the drill-down)."""
    if block not in T4_BLOCK_KEYS or col not in T4_COLUMN_KEYS:
        raise ValueError(f"不是表四的单元格：t4.{block}.{col}")
    parts = _t4_parts(year)
    if col == "total":
        q = Q()
        for part in parts.values():
            q |= part
    else:
        q = parts[col]
    return t4_scope_q(year) & Q(kind=block) & q


def t4_contribution(row: Any, year: int) -> Contribution | None:
    """The cells one case counts in for ``year`` (Python twin of :func:`t4_cells`)."""
    filed, decided = field(row, "filed_on"), field(row, "decided_on")
    jan1, dec31 = year_bounds(year)
    if filed is None or filed > dec31 or (decided is not None and decided < jan1):
        return None
    part = "pending" if decided is None or decided > dec31 else field(row, "result")
    if part not in fmt.T4_PART_COLUMNS:
        return None  # decided without a result: counted nowhere (the database forbids it)
    kind = field(row, "kind")
    return {f"t4.{kind}.{part}": 1, f"t4.{kind}.total": 1}


# --- table 2: the register of 规章 and 行政规范性文件 ------------------------------------

# Table-2 row -> NormativeDocument.kind.
KIND_BY_ROW = {"regulations": "regulation", "normative": "normative"}
ROW_BY_KIND = {kind: row for row, kind in KIND_BY_ROW.items()}
REGISTER_COLUMNS = tuple(c for c, _ in fmt.T2_DOC_COLUMNS)  # issued, abolished, in_force
REGISTER_FIELDS = ("kind", "issued_on", "abolished_on", "expired_on", "valid_until")
# 许可/处罚/强制/收费: a value per body and year, entered by hand.
FIGURE_ROWS = tuple(r.key for r in fmt.T2_ROWS if not r.has_columns)
FIGURES_FIELDS = ("year", *FIGURE_ROWS)


def in_force_q(day: date, prefix: str = "") -> Q:
    """The one definition of a register document "in force" (现行有效) on ``day``
    (条例第二十条第（一）项; format rule 6): issued on or before ``day``, not
    abolished or expired on or before it, and ``valid_until`` -- the last valid
    day -- not before it.  ``prefix`` lets a query through a relation use it
    (``in_force_q(day, "normative_documents__")``)."""
    p = prefix
    return (
        Q(**{f"{p}issued_on__lte": day})
        & ~Q(**{f"{p}abolished_on__lte": day})
        & ~Q(**{f"{p}expired_on__lte": day})
        & ~Q(**{f"{p}valid_until__lt": day})
    )


def in_force_on(row: Any, day: date) -> bool:
    """:func:`in_force_q` for one row (``NormativeDocument.in_force_on`` delegates here)."""
    if field(row, "issued_on") > day:
        return False
    abolished, expired = field(row, "abolished_on"), field(row, "expired_on")
    if abolished and abolished <= day:
        return False
    if expired and expired <= day:
        return False
    valid_until = field(row, "valid_until")
    return not (valid_until and valid_until < day)


def went_out_q(year: int) -> Q:
    """Went out of force during ``year`` (本年废止 = 废止和失效): issued by 31 December,
    not in force on it, and either issued in the year or in force on 31 December
    of the year before -- so each document counts once, in the year it stopped."""
    jan1, dec31 = year_bounds(year)
    return (
        Q(issued_on__lte=dec31)
        & ~in_force_q(dec31)
        & (Q(issued_on__gte=jan1) | in_force_q(jan1 - timedelta(days=1)))
    )


def _register_parts(year: int) -> dict[str, Q]:
    jan1, dec31 = year_bounds(year)
    return {
        "issued": Q(issued_on__range=(jan1, dec31)),
        "abolished": went_out_q(year),
        "in_force": in_force_q(dec31),
    }


def register_annotations(year: int) -> dict[str, Count]:
    """``issued``, ``abolished``, ``in_force`` (the three register columns)."""
    return {col: Count("pk", filter=q) for col, q in _register_parts(year).items()}


def register_cells(qs: QuerySet, year: int) -> dict[str, int]:
    """The six ``t2.<regulations|normative>.<col>`` cells of the documents in ``qs``,
    in one GROUP BY over the kind."""
    rows = {
        r["kind"]: r for r in qs.values("kind").annotate(**register_annotations(year)).order_by()
    }
    return {
        f"t2.{row}.{col}": int((rows.get(kind) or {}).get(col, 0))
        for row, kind in KIND_BY_ROW.items()
        for col in REGISTER_COLUMNS
    }


def register_cell_q(row: str, col: str, year: int) -> Q:
    """The register documents behind the cell ``t2.<row>.<col>`` (the drill-down)."""
    if row not in KIND_BY_ROW or col not in REGISTER_COLUMNS:
        raise ValueError(f"不是表二登记簿的单元格：t2.{row}.{col}")
    return Q(kind=KIND_BY_ROW[row]) & _register_parts(year)[col]


def t2_register_contribution(row: Any, year: int) -> Contribution | None:
    """The cells one register document counts in for ``year`` (twin of :func:`register_cells`)."""
    issued = field(row, "issued_on")
    table_row = ROW_BY_KIND.get(field(row, "kind"))
    if issued is None or table_row is None:
        return None
    jan1, dec31 = year_bounds(year)
    issued_in_year = jan1 <= issued <= dec31
    in_force = in_force_on(row, dec31)
    went_out = (
        issued <= dec31
        and not in_force
        and (issued_in_year or in_force_on(row, jan1 - timedelta(days=1)))
    )
    parts = {"issued": issued_in_year, "abolished": went_out, "in_force": in_force}
    return {f"t2.{table_row}.{col}": 1 for col, on in parts.items() if on} or None


def t2_figures_contribution(row: Any, year: int) -> Contribution | None:
    """The 许可/处罚/强制/收费 cells one body's yearly-figures row gives ``year``."""
    if field(row, "year") != year:
        return None
    return {f"t2.{key}": field(row, key) for key in FIGURE_ROWS}


def t2_assemble(register: dict[str, int], figures: Contribution | None) -> Contribution:
    """Every ``t2.*`` cell in the format's order from the register cells and the
    figures (None: nobody entered any for the year).

    Format rule 9: a blank is not a zero.  Without 年度主动公开数据 for the year,
    许可/处罚/强制/收费 are left out, so the checker reports them missing."""
    out: Contribution = {}
    for key in fmt.t2_keys():
        if fmt.T2_ROW_BY_KEY[key.split(".")[1]].has_columns:
            out[key] = register[key]
        elif figures is not None:
            out[key] = figures[key]
    return out


def t2_cells(register_qs: QuerySet, figures_qs: QuerySet, year: int) -> Contribution:
    """Every ``t2.*`` cell summed over the documents of ``register_qs`` and the
    yearly figures of ``figures_qs``, in two queries.  When some bodies entered
    figures for the year and others did not, the sum is over those that did."""
    register = register_cells(register_qs, year)
    sums = figures_qs.filter(year=year).aggregate(
        rows=Count("pk"), **{key: Sum(key) for key in FIGURE_ROWS}
    )
    figures: Contribution | None = None
    if sums["rows"]:
        figures = {
            f"t2.{key}": Decimal(sums[key]) if fmt.T2_ROW_BY_KEY[key].is_decimal else int(sums[key])
            for key in FIGURE_ROWS
        }
    return t2_assemble(register, figures)
