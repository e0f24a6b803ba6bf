"""Public pages of published reports: the report in the national layout, downloads
and the 图解 (charts).  No login; only published reports; no personal data (the
report holds figures and prose only)."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from gongkai.annual import format as fmt
from gongkai.annual.writers.html import html_fragment
from gongkai.organizations.models import Organization

from .. import links
from ..charts import bar_chart, trend_chart
from ..models import AnnualReport
from ..selectors import (
    cells_from_json,
    prose_facts,
    published_reports,
    report_document_for_public,
    report_of,
)
from .downloads import DOWNLOAD_FORMATS, report_file_response


def _published(slug: str, year: int) -> AnnualReport:
    org = get_object_or_404(Organization, slug=slug, is_active=True)
    report = report_document_for_public(org, year)
    if report is None:
        raise Http404("该年度报告尚未公布。")
    return report


def public_report(request, slug: str, year: int):
    report = _published(slug, year)
    canonical = links.portal_url("report", slug, year)
    if canonical is not None:
        # One public page per report: the portal's (it links to the 图解 and downloads).
        return HttpResponsePermanentRedirect(canonical)
    model = report_of(report)
    corrections = list(report.corrections.filter(recorded_at__isnull=False))
    return render(
        request,
        "reports/public_report.html",
        {
            "report": report,
            "organization": report.organization,
            # The national layout from gongkai.annual.writers (escapes every text itself).
            "document": mark_safe(html_fragment(model)),  # noqa: S308 - writer output, escaped
            "corrections": corrections,
            "corrected_figures": any(c.changes for c in corrections),
            "formats": DOWNLOAD_FORMATS,
            "others": published_reports(report.organization).exclude(pk=report.pk),
        },
    )


def public_download(request, slug: str, year: int, to: str):
    if to not in DOWNLOAD_FORMATS:
        raise Http404("不支持的格式。")
    report = _published(slug, year)
    return report_file_response(
        report_of(report), to, stem=f"{report.organization.slug}-{year}", published=report
    )


def _sum(cells: dict, keys) -> int:
    return sum(int(cells.get(k, 0) or 0) for k in keys)


def graphic_context(report: AnnualReport) -> dict:
    """Charts and their data tables for one published report (pure reads)."""
    cells = cells_from_json(report.cells)
    outcome = []
    for group, heading in fmt.T3_GROUPS:
        if group == "total":
            continue
        keys = [f"t3.{r.key}.total" for r in fmt.T3_ROWS if r.group == group and r.key]
        if group == "other":
            keys.append("t3.other.total")
        outcome.append((heading[3:].split("（")[0], _sum(cells, keys)))
    applicants = [(label, _sum(cells, [f"t3.new.{col}"])) for col, label in fmt.T3_COLUMNS[:-1]]
    history = sorted(
        published_reports(report.organization).filter(year__lte=report.year), key=lambda r: r.year
    )[-5:]
    years = [r.year for r in history]
    hist_cells = [cells_from_json(r.cells) for r in history]
    series = {
        "新收申请": [_sum(c, ["t3.new.total"]) for c in hist_cells],
        "行政复议": [_sum(c, ["t4.reconsideration.total"]) for c in hist_cells],
        "行政诉讼": [
            _sum(c, ["t4.litigation_direct.total", "t4.litigation_after.total"]) for c in hist_cells
        ],
    }
    facts = prose_facts(organization=report.organization, year=report.year)
    return {
        "charts": [
            ("申请办理结果", bar_chart(f"{report.year}年申请办理结果", outcome), outcome, "件"),
            (
                "申请人类型",
                bar_chart(f"{report.year}年新收申请的申请人类型", applicants),
                applicants,
                "件",
            ),
            (
                "主动公开渠道",
                bar_chart(f"{report.year}年主动公开信息的发布渠道", facts.by_channel, "条"),
                facts.by_channel,
                "条",
            ),
            (
                "主动公开类目",
                bar_chart(f"{report.year}年主动公开信息的目录类目", facts.by_category, "条"),
                facts.by_category,
                "条",
            ),
        ],
        "trend": trend_chart("历年申请和复议诉讼数量", years, series),
        "trend_rows": [(y, [series[n][i] for n in series]) for i, y in enumerate(years)],
        "trend_names": list(series),
        "facts": facts,
    }


def public_graphic(request, slug: str, year: int):
    report = _published(slug, year)
    context = graphic_context(report)
    # charts.py escapes every label and value it puts in the SVG.
    safe = mark_safe  # noqa: S308 - see above
    context["charts"] = [(t, safe(svg), data, unit) for t, svg, data, unit in context["charts"]]
    context["trend"] = mark_safe(context["trend"])  # noqa: S308 - charts.py escapes every label
    context["report"] = report
    context["organization"] = report.organization
    return render(request, "reports/public_graphic.html", context)


def public_index(request, slug: str):
    org = get_object_or_404(Organization, slug=slug, is_active=True)
    canonical = links.portal_url("reports", slug)
    if canonical is not None:
        return HttpResponsePermanentRedirect(canonical)
    return render(
        request,
        "reports/public_index.html",
        {"organization": org, "reports": published_reports(org)},
    )
