"""The supervisor's pages: bodies' report status, the district aggregate, 考核, exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.annual.model import ERROR
from gongkai.core.responses import add_errors
from gongkai.disclosure.notices import expired_personal_data_notices
from gongkai.external.selectors import external_rows, external_totals
from gongkai.platform.decorators import backoffice_view
from gongkai.urging.permissions import can_send_from
from gongkai.urging.selectors import sent_summary

from .. import assessment, services
from .. import permissions as perms
from ..deadlines import town_deadline_of
from ..forms import SupervisionSettingsForm
from ..models import SupervisionSettings
from ..selectors import findings_by_cell
from ..supervision import aggregate_with_findings, export_json, export_xlsx, supervision_rows
from ..tables import build_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    return max(2008, min(year, today.year))


def _supervisor(request):
    org = request.organization
    if not perms.can_supervise(request.user, org):
        raise PermissionDenied("只有上级机关的监督人员或管理员可以查看下级机关的年度报告情况。")
    return org


def _external(org, year: int, *, show_rows: bool) -> dict:
    """Bodies outside the platform, checked from their websites (gongkai.external, issue #12)."""
    rows = external_rows(org, year)
    return {"external_rows": rows, "external_totals": external_totals(rows), "show_rows": show_rows}


def _years(today) -> list[int]:
    return list(range(today.year, today.year - 6, -1))


@backoffice_view()
def overview(request):
    org = _supervisor(request)
    year = _year(request)
    today = timezone.localdate()
    rows = supervision_rows(org, year, today=today)
    can_urge = can_send_from(request.user, org)
    return render(
        request,
        "reports/supervision.html",
        {
            "year": year,
            "years": _years(today),
            "rows": rows,
            "today": today,
            "can_configure": perms.can_configure_supervision(request.user, org),
            # 公示 past their 公示期 that still show personal data, per body (issue #9).
            "expired_notices": sorted(
                expired_personal_data_notices(
                    organizations=[r.organization for r in rows], today=today
                ),
                key=lambda n: (n.item.organization.name, n.item.notice_to, n.item.pk),
            ),
            "published": sum(1 for r in rows if r.published_on),
            "late": sum(
                1 for r in rows if r.on_time is False or (r.on_time is None and r.deadline < today)
            ),
            **_external(org, year, show_rows=True),
            # 督办 sent to the bodies below (gongkai.urging): buttons and the list.
            "can_urge": can_urge,
            "urgings": sent_summary(org, today=today) if can_urge else None,
        },
    )


@backoffice_view()
def overview_export(request, to: str):
    org = _supervisor(request)
    year = _year(request)
    today = timezone.localdate()
    rows = supervision_rows(org, year, today=today)
    if to == "xlsx":
        data, ctype = export_xlsx(org, year, rows, today=today), XLSX
    elif to == "json":
        data, ctype = export_json(org, year, rows), "application/json"
    else:
        raise Http404("不支持的格式。")
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-{year}-bodies.{to}"'
    return response


@backoffice_view()
def aggregate(request):
    org = _supervisor(request)
    year = _year(request)
    report, findings = aggregate_with_findings(org, year, today=timezone.localdate())
    return render(
        request,
        "reports/aggregate.html",
        {
            "year": year,
            "years": _years(timezone.localdate()),
            "tables": build_tables(report.cells, findings_by_cell(findings)),
            "findings": findings,
            "errors": [f for f in findings if f.severity == ERROR],
            "bodies": org.descendant_ids(include_self=True),
            **_external(org, year, show_rows=False),
        },
    )


@backoffice_view()
def assessment_view(request):
    org = request.organization
    year = _year(request)
    scope = request.GET.get(
        "scope", "bodies" if perms.can_supervise(request.user, org) else "units"
    )
    if scope == "bodies":
        _supervisor(request)
        results = assessment.assess_supervised(org, year, today=timezone.localdate())
    else:
        scope = "units"
        today = timezone.localdate()
        results = [
            assessment.assess_body(org, year, today=today),
            *assessment.assess_units(org, year, today=today),
        ]
    if request.GET.get("export") == "xlsx":
        title = f"{org.name}{year}年度政务公开考核（{'各机关' if scope == 'bodies' else '本机关及各科室'}）"
        response = HttpResponse(assessment.export_xlsx(title, results), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="{org.slug}-{year}-assessment.xlsx"'
        )
        return response
    return render(
        request,
        "reports/assessment.html",
        {
            "year": year,
            "years": _years(timezone.localdate()),
            "scope": scope,
            "results": results,
            "can_supervise": perms.can_supervise(request.user, org),
            "indicators": assessment.INDICATORS,
        },
    )


@backoffice_view()
def supervision_settings(request):
    org = request.organization
    if not perms.can_configure_supervision(request.user, org):
        raise PermissionDenied("只有管理员可以修改年度报告监督设置。")
    current = SupervisionSettings.objects.filter(organization=org).first()
    weights = assessment.weights_for(org)
    if request.method == "POST":
        form = SupervisionSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.supervision_settings_save(
                    organization=org,
                    town_month=form.cleaned_data["town_deadline_month"],
                    town_day=form.cleaned_data["town_deadline_day"],
                    weights=form.weights(),
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "设置已保存。")
                return redirect("reports:supervision_settings")
    else:
        month, day = (
            (current.town_deadline_month, current.town_deadline_day)
            if current
            else town_deadline_of(org)
        )
        initial = {"town_deadline_month": month, "town_deadline_day": day}
        initial.update({f"w_{k}": v for k, v in weights.items()})
        form = SupervisionSettingsForm(initial=initial)
    return render(request, "reports/settings.html", {"form": form})
