"""Reads: published reports, prose facts, drill-downs, the checker on a document.

The computation itself (``report_compute``, ``aggregate_compute``,
``compute_cells``, ``report_of``, ``cells_to_json``/``cells_from_json``) lives
in :mod:`gongkai.reports.compute` and is re-exported here.  The portal reads
``published_reports`` and ``report_document_for_public``; their shapes are a
contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual.model import WARNING, Finding, Report
from gongkai.annual.rules import check
from gongkai.appeals.selectors import appeals_for_cell
from gongkai.applications.models import ClockEvent, EventKind
from gongkai.applications.selectors import applications_for_cell
from gongkai.consultations.selectors import year_counts as consultation_year_counts
from gongkai.core import counting
from gongkai.disclosure.models import Item, NormativeDocument, Publication, YearlyFigures
from gongkai.organizations.models import Organization
from gongkai.organizations.permissions import scope_to_user

# Re-exported: callers and the portal import these from here.
from .compute import aggregate_compute as aggregate_compute
from .compute import cells_from_json as cells_from_json
from .compute import cells_to_json as cells_to_json
from .compute import compute_cells as compute_cells
from .compute import report_compute as report_compute
from .compute import report_of as report_of
from .compute import table2_counts as table2_counts
from .compute import table3_cells as table3_cells
from .deadlines import deadline_for
from .models import AnnualReport, Status

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
    # 意见征集 published in the year, their comments, and those adopted (incl. in part).
    consultations: int = 0
    consultation_comments: int = 0
    consultation_adopted: int = 0


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
    consulted = consultation_year_counts(organization=organization, year=year)
    facts.consultations = consulted.published
    facts.consultation_comments = consulted.comments
    facts.consultation_adopted = consulted.adopted
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
        qs = NormativeDocument.objects.filter(organization=organization).filter(
            counting.register_cell_q(row_key, col[0], year)
        )
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
