"""Reads: the report computed from the records, published reports, drill-downs.

``report_compute`` builds a :class:`gongkai.annual.model.Report` from the
database in a constant number of queries whatever the volume (four: the
register and the yearly figures for table 2, one GROUP BY for table 3, one for
table 4).  The portal reads ``published_reports`` and
``report_document_for_public``; their shapes are a contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.annual import format as fmt
from gongkai.annual.model import WARNING, Finding, Report, SectionText
from gongkai.appeals.selectors import appeals_for_cell, table4_counts
from gongkai.applications.models import Application, ClockEvent, EventKind
from gongkai.applications.selectors import applications_for_cell
from gongkai.disclosure.models import (
    Item,
    NormativeDocument,
    Publication,
    YearlyFigures,
    normative_in_force_q,
)
from gongkai.organizations.models import Organization
from gongkai.organizations.permissions import scope_to_user

from .models import AnnualReport, Status

# --- cells <-> JSON ----------------------------------------------------------------


def cells_to_json(cells: dict[str, fmt.CellValue]) -> dict[str, int | str]:
    """Integers stay integers; the decimal t2.fees becomes a string (no float rounding)."""
    return {k: (format(v, "f") if isinstance(v, Decimal) else int(v)) for k, v in cells.items()}


def cells_from_json(data: dict) -> dict[str, fmt.CellValue]:
    return {k: (Decimal(str(v)) if fmt.is_decimal_key(k) else int(v)) for k, v in data.items()}


# --- table 2 over several bodies ------------------------------------------------------

_T2_KIND = {"regulations": NormativeDocument.Kind.REGULATION, "normative": "normative"}


def _register_q(year: int) -> tuple[Q, Q]:
    """(in force on 31 December, went out of force during the year): the register's
    definitions (disclosure.models.normative_in_force_q; 本年废止 = 废止和失效, as
    disclosure.selectors.normative_counts), so format rule 6 holds by construction."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_force = normative_in_force_q(end)
    went_out = (
        Q(issued_on__lte=end)
        & ~in_force
        & (Q(issued_on__gte=start) | normative_in_force_q(start - timedelta(days=1)))
    )
    return in_force, went_out


def table2_counts(*, organization_ids: Iterable[int], year: int) -> dict[str, fmt.CellValue]:
    """Every ``t2.*`` cell summed over bodies, in two queries.

    许可/处罚/强制/收费 are left out when none of the bodies entered
    ``YearlyFigures`` for the year (a blank is not a zero; format rule 9); when
    some did, the sum is over those that did.

    Same definitions as ``gongkai.disclosure.selectors.normative_counts`` /
    ``table2_figures`` (条例第二十条第（一）（五）（六）（八）项), which answer for one
    body only; the district aggregate needs many at once.
    """
    ids = list(organization_ids)
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_force, went_out = _register_q(year)
    rows = {
        r["kind"]: r
        for r in NormativeDocument.objects.filter(organization_id__in=ids)
        .values("kind")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__range=(start, end))),
            abolished=Count("pk", filter=went_out),
            in_force=Count("pk", filter=in_force),
        )
        .order_by()
    }
    figures = YearlyFigures.objects.filter(organization_id__in=ids, year=year).aggregate(
        rows=Count("pk"),
        licensing=Sum("licensing"),
        penalty=Sum("penalty"),
        coercion=Sum("coercion"),
        fees=Sum("fees"),
    )
    out: dict[str, fmt.CellValue] = {}
    for key in fmt.t2_keys():
        _, row_key, *col = key.split(".")
        row = fmt.T2_ROW_BY_KEY[row_key]
        if row.has_columns:
            out[key] = int((rows.get(_T2_KIND[row_key]) or {}).get(col[0], 0))
        elif not figures["rows"]:
            # Format rule 9: a blank is not a zero.  No 年度主动公开数据 entered for the
            # year: leave 许可/处罚/强制/收费 out, so the checker reports them missing.
            continue
        elif row.is_decimal:
            out[key] = Decimal(figures["fees"])
        else:
            out[key] = int(figures[row_key])
    return out


def table3_cells(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """Every ``t3.*`` cell in ONE GROUP BY over (applicant type, outcome).

    Same definitions as ``gongkai.applications.selectors.table3_counts`` (which
    needs two queries; the tests assert both agree): new = received in the
    year; carried = received before 1 January, not closed before it; results
    and total = closed (reply_on) in the year; carry_forward = received by 31
    December, not closed by it.  So new + carried = total + carry_forward.
    """
    ids = list(organization_ids)
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    cols = [c for c, _ in fmt.T3_COLUMNS]
    cells = {f"t3.{row}.{col}": 0 for row in fmt.T3_ROW_KEYS for col in cols}
    rows = (
        Application.objects.filter(organization_id__in=ids, received_on__lte=dec31)
        .filter(Q(reply_on__isnull=True) | Q(reply_on__gte=jan1))
        .values("applicant_type", "outcome")
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=jan1)),
            carried=Count("pk", filter=Q(received_on__lt=jan1)),
            closed=Count("pk", filter=Q(reply_on__lte=dec31)),
            carry_forward=Count("pk", filter=Q(reply_on__isnull=True) | Q(reply_on__gt=dec31)),
        )
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


def compute_cells(*, organization_ids: Iterable[int], year: int) -> dict[str, fmt.CellValue]:
    """All 200 cells of the 2021 format for these bodies and year (four queries)."""
    ids = list(organization_ids)
    cells: dict[str, fmt.CellValue] = {}
    cells.update(table2_counts(organization_ids=ids, year=year))
    cells.update(table3_cells(organization_ids=ids, year=year))
    cells.update(table4_counts(organization_ids=ids, year=year))
    return cells


def report_compute(*, organization: Organization, year: int) -> Report:
    """The three tables of ``organization``'s report for ``year``, from the records."""
    report = Report(
        organization=organization.name,
        year=year,
        title=f"{organization.name}{year}年政府信息公开工作年度报告",
        level=organization.level,
        source="records",
        source_format="records",
    )
    for key, value in compute_cells(organization_ids=[organization.pk], year=year).items():
        report.set_cell(key, value)
    return report


def aggregate_compute(*, organization: Organization, year: int) -> Report:
    """The district's aggregate: its own records plus every body below it."""
    ids = organization.descendant_ids(include_self=True)
    report = Report(
        organization=f"{organization.name}（含下级机关汇总）",
        year=year,
        title=f"{organization.name}{year}年政府信息公开工作年度报告（汇总）",
        level=organization.level,
        source="records",
        source_format="records",
    )
    for key, value in compute_cells(organization_ids=ids, year=year).items():
        report.set_cell(key, value)
    return report


# --- facts for the generated prose -------------------------------------------------------


@dataclass
class ProseFacts:
    """What the generated draft says, gathered in a fixed number of queries."""

    organization: str
    year: int
    level: str
    items_published: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)  # (label, count)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    policies: int = 0
    interpretations: int = 0
    fees_paid_yuan: int = 0
    previous_problems: str = ""


def prose_facts(
    *, organization: Organization, year: int, previous_problems: str = ""
) -> ProseFacts:
    facts = ProseFacts(organization.name, year, organization.level)
    published = Item.objects.filter(
        organization=organization,
        status=Item.Status.PUBLISHED,
        attribute=Item.Attribute.PROACTIVE,
        published_at__year=year,
    )
    counts = published.aggregate(
        n=Count("pk"),
        policies=Count("pk", filter=Q(kind__in=(Item.Kind.POLICY, Item.Kind.NORMATIVE))),
        interpretations=Count("pk", filter=Q(kind=Item.Kind.INTERPRETATION)),
    )
    facts.items_published = counts["n"]
    facts.policies = counts["policies"]
    facts.interpretations = counts["interpretations"]
    labels = dict(Publication.Channel.choices)
    facts.by_channel = [
        (str(labels.get(r["channel"], r["channel"])), r["n"])
        # Same population as ``published`` above: only proactive items still
        # published count (a withdrawn or 依申请 item's channel rows do not).
        for r in Publication.objects.filter(
            item__in=published.values("pk"), published_on__year=year
        )
        .values("channel")
        .annotate(n=Count("item", distinct=True))
        .order_by("-n", "channel")
    ]
    facts.by_category = [
        (r["category__name"] or "未归类", r["n"])
        for r in published.values("category__name").annotate(n=Count("pk")).order_by("-n")
    ]
    # 国办函〔2020〕109号: 信息处理费 actually paid in the year, in 元 (section 六).
    paid = ClockEvent.objects.filter(
        application__organization=organization, kind=EventKind.FEE_PAID, on__year=year
    ).aggregate(total=Sum("application__fee_amount"))
    facts.fees_paid_yuan = int(paid["total"] or 0)
    facts.previous_problems = previous_problems
    return facts


# --- report documents ---------------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    return scope_to_user(AnnualReport.objects.all(), user).select_related("organization")


def published_reports(org: Organization) -> QuerySet[AnnualReport]:
    """The body's published reports (platform-made and imported), newest year first.

    Each has ``year``, ``published_at`` and ``to_report()`` (the
    :class:`gongkai.annual.model.Report`) -- the portal's contract.
    """
    return AnnualReport.objects.filter(organization=org, status=Status.PUBLISHED).order_by("-year")


def report_document_for_public(org: Organization, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(organization=org, year=year, status=Status.PUBLISHED)
        .select_related("organization")
        .first()
    )


def report_of(obj: AnnualReport, *, cells: dict | None = None) -> Report:
    """The document as a :class:`Report`: its stored cells (or ``cells``) and its prose.

    A draft has no stored cells: pass the computed ones.
    """
    org = obj.organization
    report = Report(
        organization=org.name,
        year=obj.year,
        title=obj.title,
        level=org.level,
        source="imported" if obj.is_imported else "gongkai",
        source_format=obj.source_format or "records",
    )
    stored = cells if cells is not None else cells_from_json(obj.cells)
    for key, value in stored.items():
        report.set_cell(key, value)
    if any(k.startswith("t3.other.") for k in report.cells):
        report.one_row_other = True
    for section in fmt.SECTIONS:
        text = getattr(obj, f"section_{section.number}")
        if text.strip():
            report.sections[section.number] = SectionText(section.number, section.title, text)
    return report


def previous_report(obj: AnnualReport) -> AnnualReport | None:
    """Last year's published (or imported) report of the same body, if any."""
    return (
        AnnualReport.objects.filter(
            organization_id=obj.organization_id, year=obj.year - 1, status=Status.PUBLISHED
        )
        .select_related("organization")
        .first()
    )


def published_years(organization_id: int) -> set[int]:
    return set(
        AnnualReport.objects.filter(
            organization_id=organization_id, status=Status.PUBLISHED
        ).values_list("year", flat=True)
    )


# --- drill-down ------------------------------------------------------------------------------


@dataclass
class CellRecords:
    key: str
    label: str
    kind: str  # applications | appeals | register | figures
    rows: list = field(default_factory=list)
    note: str = ""


def records_for_cell(*, organization: Organization, year: int, key: str) -> CellRecords:
    """The records behind one cell (raises ValueError for an unknown key)."""
    if key not in set(fmt.all_keys()):
        raise ValueError(f"不是年度报告的单元格：{key}")
    label = fmt.cell_label(key)
    ids = [organization.pk]
    if key.startswith("t3."):
        qs = applications_for_cell(organization_ids=ids, year=year, key=key).select_related("unit")
        return CellRecords(key, label, "applications", list(qs))
    if key.startswith("t4."):
        qs = appeals_for_cell(organization_ids=ids, year=year, key=key)
        return CellRecords(key, label, "appeals", list(qs))
    _, row_key, *col = key.split(".")
    row = fmt.T2_ROW_BY_KEY[row_key]
    if row.has_columns:
        start, end = date(year, 1, 1), date(year, 12, 31)
        qs = NormativeDocument.objects.filter(organization=organization, kind=_T2_KIND[row_key])
        in_force, went_out = _register_q(year)
        if col[0] == "issued":
            qs = qs.filter(issued_on__range=(start, end))
        elif col[0] == "abolished":
            qs = qs.filter(went_out)
        else:
            qs = qs.filter(in_force)
        return CellRecords(key, label, "register", list(qs.order_by("issued_on", "pk")))
    figures = (
        YearlyFigures.objects.filter(organization=organization, year=year)
        .select_related("entered_by")
        .first()
    )
    who = figures.entered_by if figures else None
    name = (who.get_full_name() or who.get_username()) if who else "管理员"
    note = (
        f"由{name}在「年度主动公开数据」中录入。"
        if figures
        else "本年度尚未录入「年度主动公开数据」：此栏为空白（空白不等于0），"
        "检查会报告缺失；请在「年度主动公开数据」中录入（没有的情况填0）。"
    )
    return CellRecords(key, label, "figures", [figures] if figures else [], note)


# --- the checker on a document ------------------------------------------------------------------

YEAR_NOT_ENDED = "year_not_ended"  # reports app only: a draft for a year still running


def report_findings(
    obj: AnnualReport, *, today: date, cells: dict | None = None
) -> tuple[Report, list]:
    """The document as a Report and every finding of gongkai.annual.rules.check,
    with last year's report (platform-made or imported) for rules 5, 6 and 11 and
    the body's deadline (deadlines.deadline_for) for rule 10."""
    from django.utils import timezone

    from gongkai.annual.rules import check

    from .deadlines import deadline_for

    if cells is None and not obj.cells and not obj.is_imported:
        cells = report_compute(organization=obj.organization, year=obj.year).cells
    report = report_of(obj, cells=cells)
    prev_obj = previous_report(obj)
    previous = report_of(prev_obj) if prev_obj else None
    published_on = timezone.localdate(obj.published_at) if obj.published_at else None
    # Rule 10 (条例第四十九条) judges the publication date.  A draft has none: preparing
    # the current year's draft is allowed, so it gets a warning here instead of the
    # checker's published_early error; report_publish refuses an unfinished year.
    findings = check(
        report,
        previous=previous,
        level=obj.organization.level,
        # Rule 7: the body's own 规章制定权, the flag the 规章 register checks too
        # (disclosure.models.NormativeDocument.clean), not a guess from its level.
        may_make_regulations=obj.organization.may_make_regulations,
        deadline=deadline_for(obj.organization, obj.year),
        published_on=published_on,
    )
    if published_on is None and today < date(obj.year + 1, 1, 1):
        findings.append(
            Finding(
                YEAR_NOT_ENDED,
                WARNING,
                f"{obj.year}年度尚未结束：可以先准备草稿，表格数字会随记录变化；"
                f"须在{obj.year + 1}年1月1日以后才能公布（条例第四十九条）。",
            )
        )
    return report, findings


def findings_by_cell(findings: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        for key in f.cells:
            out.setdefault(key, []).append(f)
    return out
