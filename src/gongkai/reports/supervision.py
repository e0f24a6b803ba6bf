"""The supervisor's view: every body under a county/district office, for one year.

Status and publication date against the deadline (条例第四十九条 / the county's
town deadline), the checker's findings, overdue applications (条例第三十三条) and
late proactive items (条例第二十六条); the aggregated district report; exports.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual import jsonio
from gongkai.annual.model import ERROR, WARNING
from gongkai.annual.rules import check
from gongkai.applications.models import OPEN_STATUSES, WAITING_FOR_APPLICANT, Application
from gongkai.disclosure.selectors import late_items
from gongkai.organizations.models import Organization
from gongkai.spreadsheets import xlsx_append  # body names stay text, never formulas

from .deadlines import deadline_for
from .models import AnnualReport
from .selectors import aggregate_compute, report_findings, report_of


@dataclass
class BodyRow:
    organization: Organization
    report: AnnualReport | None
    deadline: date
    published_on: date | None
    findings: list = field(default_factory=list)
    overdue_applications: int = 0
    late_items: int = 0
    cells: dict = field(default_factory=dict)
    days_late: int = 0  # overdue_days(today), computed by supervision_rows for the templates

    @property
    def status_label(self) -> str:
        if self.report is None:
            return "未编制"
        return self.report.get_status_display()

    @property
    def on_time(self) -> bool | None:
        """True/False once published; None while not yet published."""
        if self.published_on is None:
            return None
        return self.published_on <= self.deadline

    def overdue_days(self, today: date) -> int:
        """Days past the deadline (条例第四十九条): at publication, or today while unpublished."""
        end = self.published_on or today
        return max(0, (end - self.deadline).days)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


def supervised_bodies(org: Organization) -> list[Organization]:
    """The supervising body itself first, then every active body below it by name."""
    below = list(org.descendants().filter(is_active=True).order_by("level", "name"))
    return [org, *below]


def report_status(body: Organization, year: int) -> tuple[date, date | None]:
    """(deadline, publication date or None) of ``body``'s report for ``year``
    (条例第四十九条; towns: the county's date), for 督办 of a late report."""
    published_at = (
        AnnualReport.objects.filter(organization=body, year=year, published_at__isnull=False)
        .values_list("published_at", flat=True)
        .first()
    )
    published_on = timezone.localdate(published_at) if published_at else None
    return deadline_for(body, year), published_on


def supervision_rows(org: Organization, year: int, *, today: date) -> list[BodyRow]:
    bodies = supervised_bodies(org)
    ids = [b.pk for b in bodies]
    reports = {
        r.organization_id: r
        for r in AnnualReport.objects.filter(organization_id__in=ids, year=year).select_related(
            "organization"
        )
    }
    overdue = dict(
        Application.objects.filter(
            organization_id__in=ids, status__in=OPEN_STATUSES, due_on__lt=today
        )
        .exclude(status__in=WAITING_FOR_APPLICANT)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for body in bodies:
        report = reports.get(body.pk)
        published_on = (
            timezone.localdate(report.published_at)
            if report is not None and report.published_at
            else None
        )
        row = BodyRow(body, report, deadline_for(body, year), published_on)
        row.days_late = row.overdue_days(today)
        if report is not None:
            computed, row.findings = report_findings(report, today=today)
            row.cells = computed.cells
        row.overdue_applications = overdue.get(body.pk, 0)
        row.late_items = len(late_items(body, today))
        rows.append(row)
    return rows


def aggregate_with_findings(org: Organization, year: int, *, today: date):
    """The district aggregate (its records plus every body below) and its findings."""
    report = aggregate_compute(organization=org, year=year)
    previous = aggregate_compute(organization=org, year=year - 1)
    # Rule 7 on a sum of registers: 规章 may appear when any body included has the
    # power (each body's register only accepts 规章 from a body with it).
    may_make = Organization.objects.filter(
        pk__in=org.descendant_ids(include_self=True), may_make_regulations=True
    ).exists()
    # Tables only (no prose): the arithmetic and cross-year rules apply.
    findings = [
        f
        for f in check(report, previous=previous, level=org.level, may_make_regulations=may_make)
        if f.code != "copy_forward"
    ]
    return report, findings


# --- exports ---------------------------------------------------------------------------------


def export_json(org: Organization, year: int, rows: list[BodyRow]) -> bytes:
    bodies = []
    for row in rows:
        entry = {
            "organization": row.organization.name,
            "level": row.organization.level,
            "status": row.report.status if row.report else None,
            "deadline": row.deadline.isoformat(),
            "published_on": row.published_on.isoformat() if row.published_on else None,
            "on_time": row.on_time,
            "overdue_applications": row.overdue_applications,
            "late_items": row.late_items,
            "report": None,
        }
        if row.report is not None:
            report = report_of(row.report, cells=row.cells)
            entry["report"] = jsonio.dump(report, row.findings)
        bodies.append(entry)
    doc = {"supervisor": org.name, "year": year, "bodies": bodies}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def export_xlsx(org: Organization, year: int, rows: list[BodyRow], *, today: date) -> bytes:
    from openpyxl import Workbook  # loaded on export only, like gongkai.annual.writers
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度各机关"
    keys = fmt.all_keys()
    head = [
        "机关",
        "层级",
        "报告状态",
        "公布期限",
        "公布日期",
        "是否按期",
        "超期天数",
        "错误",
        "警告",
        "超期未答复申请",
        "超期主动公开事项",
    ]
    xlsx_append(ws, head + [fmt.cell_label(k) for k in keys])
    xlsx_append(ws, [""] * len(head) + keys)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        on_time = {True: "按期", False: "逾期", None: "未公布"}[row.on_time]
        values = [
            row.organization.name,
            fmt.LEVEL_LABEL.get(row.organization.level, row.organization.level),
            row.status_label,
            row.deadline,
            row.published_on,
            on_time,
            row.days_late,
            row.errors,
            row.warnings,
            row.overdue_applications,
            row.late_items,
        ]
        for key in keys:
            value = row.cells.get(key)
            values.append(float(value) if fmt.is_decimal_key(key) and value is not None else value)
        xlsx_append(ws, values)
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
