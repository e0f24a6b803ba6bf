"""The supervisor's list of bodies outside the platform, and their check results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.platform.decorators import backoffice_view

from . import services
from .forms import ExternalBodyForm
from .permissions import can_manage_external, external_bodies_visible_to
from .selectors import external_rows

DENIED = "只有监督机关的监督人员或管理员可以管理平台外机关清单。"


def _org(request):
    org = request.organization
    if not can_manage_external(request.user, org):
        raise PermissionDenied(DENIED)
    return org


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    return max(2008, min(year, today.year))


@backoffice_view()
def body_list(request):
    org = _org(request)
    year = _year(request)
    today = timezone.localdate()
    return render(
        request,
        "external/body_list.html",
        {
            "rows": external_rows(org, year),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
        },
    )


@backoffice_view()
def body_create(request):
    org = _org(request)
    form = ExternalBodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_body_create(
                supervisor=org,
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
                column_url=form.cleaned_data["column_url"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("column_url", exc)
        else:
            messages.success(request, "已添加。")
            return redirect("external:body_list")
    return render(request, "external/body_form.html", {"form": form, "body": None})


@backoffice_view()
def body_edit(request, pk: int):
    org = _org(request)
    body = get_object_or_404(external_bodies_visible_to(request.user, org), pk=pk)
    initial = {
        "name": body.name,
        "level": body.level,
        "column_url": body.column_url,
        "is_active": body.is_active,
    }
    form = ExternalBodyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_body_update(
                body=body,
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
                column_url=form.cleaned_data["column_url"],
                is_active=form.cleaned_data["is_active"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("column_url", exc)
        else:
            messages.success(request, "已保存。")
            return redirect("external:body_list")
    return render(request, "external/body_form.html", {"form": form, "body": body})
