"""The annual report computed from the records, and a report document as a Report.

``report_compute`` builds a :class:`gongkai.annual.model.Report` from the
database in a constant number of queries whatever the volume (four: the
register and the yearly figures for table 2, one GROUP BY for table 3, one for
table 4), with the counting rules of :mod:`gongkai.core.counting`.

This module imports nothing of the reports app: ``models.py`` imports it
(``AnnualReport.to_report``), ``selectors.py`` and ``deadlines.py`` import the
models, so the files of the app import each other one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from gongkai.annual import format as fmt
from gongkai.annual.model import Report, SectionText
from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application
from gongkai.core import counting
from gongkai.disclosure.models import NormativeDocument, YearlyFigures
from gongkai.organizations.models import Organization

# --- cells <-> JSON ----------------------------------------------------------------


def cells_to_json(cells: dict[str, fmt.CellValue]) -> dict[str, int | str]:
    """Integers stay integers; the decimal t2.fees becomes a string (no float rounding)."""
    return {k: (format(v, "f") if isinstance(v, Decimal) else int(v)) for k, v in cells.items()}


def cells_from_json(data: dict) -> dict[str, fmt.CellValue]:
    return {k: (Decimal(str(v)) if fmt.is_decimal_key(k) else int(v)) for k, v in data.items()}


# --- the three tables over several bodies ---------------------------------------------


def table2_counts(*, organization_ids: Iterable[int], year: int) -> dict[str, fmt.CellValue]:
    """Every ``t2.*`` cell summed over bodies, in two queries (counting.t2_cells).

    许可/处罚/强制/收费 are left out when none of the bodies entered
    ``YearlyFigures`` for the year (a blank is not a zero; format rule 9); when
    some did, the sum is over those that did.
    """
    ids = list(organization_ids)
    return counting.t2_cells(
        NormativeDocument.objects.filter(organization_id__in=ids),
        YearlyFigures.objects.filter(organization_id__in=ids),
        year,
    )


def table3_cells(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """Every ``t3.*`` cell in ONE GROUP BY over (applicant type, outcome)."""
    return counting.t3_cells(
        Application.objects.filter(organization_id__in=list(organization_ids)), year
    )


def table4_cells(*, organization_ids: Iterable[int], year: int) -> dict[str, int]:
    """The 15 ``t4.*`` cells in one GROUP BY over the kind."""
    return counting.t4_cells(
        Appeal.objects.filter(organization_id__in=list(organization_ids)), year
    )


def compute_cells(*, organization_ids: Iterable[int], year: int) -> dict[str, fmt.CellValue]:
    """All 200 cells of the 2021 format for these bodies and year (four queries)."""
    ids = list(organization_ids)
    cells: dict[str, fmt.CellValue] = {}
    cells.update(table2_counts(organization_ids=ids, year=year))
    cells.update(table3_cells(organization_ids=ids, year=year))
    cells.update(table4_cells(organization_ids=ids, year=year))
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


# --- a report document as a Report ---------------------------------------------------------


def report_of(obj, *, cells: dict | None = None) -> Report:
    """The document (an ``AnnualReport``) as a :class:`Report`: its stored cells (or
    ``cells``) and its prose.

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
