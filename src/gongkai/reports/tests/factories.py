"""Rows for report tests: applications, appeals and register entries made directly
(fast, no letters), and published reports."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application, Status
from gongkai.disclosure.models import NormativeDocument, YearlyFigures
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import cells_to_json, report_compute

_codes = itertools.count(1)


def application(
    org,
    *,
    received_on: date,
    reply_on: date | None = None,
    outcome: str = "granted",
    applicant_type: str = "natural",
    save: bool = True,
    **extra,
) -> Application:
    app = Application(
        organization=org,
        tracking_code=f"R{next(_codes):011d}",
        channel="in_person",
        applicant_type=applicant_type,
        applicant_name="王五",
        phone="13900005678",
        description="测试申请",
        submitted_on=received_on,
        received_on=received_on,
        reply_on=reply_on,
        outcome=outcome if reply_on else "",
        status=Status.CLOSED if reply_on else Status.OPEN,
        **extra,
    )
    if save:
        app.save()
    return app


def appeal(org, *, kind="reconsideration", filed_on, decided_on=None, result="", **extra):
    return Appeal.objects.create(
        organization=org,
        kind=kind,
        filed_on=filed_on,
        decided_on=decided_on,
        result=result if decided_on else "",
        authority="测试区人民政府",
        **extra,
    )


def normative(org, *, issued_on, abolished_on=None, kind="normative", **extra):
    return NormativeDocument.objects.create(
        organization=org,
        kind=kind,
        title=extra.pop("title", "测试规范性文件"),
        issued_on=issued_on,
        abolished_on=abolished_on,
        **{"status": "abolished" if abolished_on else "issued", **extra},
    )


def figures(org, year, **values):
    values.setdefault("fees", Decimal("0"))
    return YearlyFigures.objects.create(organization=org, year=year, **values)


def published(org, year, *, on: date | None = None, **sections) -> AnnualReport:
    """A published platform report with the cells computed now.

    Publishing needs the year's 年度主动公开数据 (a blank is not a zero, format
    rule 9): zeros are entered here when the test entered none.
    """
    YearlyFigures.objects.get_or_create(organization=org, year=year, defaults={"fees": 0})
    cells = cells_to_json(report_compute(organization=org, year=year).cells)
    when = on or date(year + 1, 1, 15)
    report = AnnualReport.objects.create(
        organization=org,
        year=year,
        status=AnnualReport.Status.PUBLISHED,
        cells=cells,
        published_cells=cells,
        published_at=timezone.make_aware(datetime(when.year, when.month, when.day, 10)),
        **{f"section_{n}": sections.get(f"section_{n}", f"第{n}部分正文。") for n in range(1, 7)},
    )
    return report


def fill_placeholders(report: AnnualReport, user) -> AnnualReport:
    """What the clerk does before submitting: replace every "（请填写…）" of the draft,
    and enter the year's 年度主动公开数据 (zeros) if nobody has (format rule 9)."""
    YearlyFigures.objects.get_or_create(
        organization=report.organization, year=report.year, defaults={"fees": 0}
    )
    from gongkai.annual.rules import PLACEHOLDER_RE
    from gongkai.reports.services import report_update_prose

    sections = {
        n: PLACEHOLDER_RE.sub("已按要求开展。", text) for n, text in report.section_texts().items()
    }
    return report_update_prose(report=report, sections=sections, acting_user=user)
