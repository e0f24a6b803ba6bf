"""Back-office pages for 行政复议 / 行政诉讼.

Each page checks the role first, with its own sentence; a refusal by the service
itself (``core.errors.Forbidden``) is a ``PermissionDenied`` and reaches the
user as Django's 403 page with its Chinese reason.  ``Invalid`` goes on the form
through ``core.responses``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors
from gongkai.platform.decorators import backoffice_view

from ..forms import AppealForm, DecideForm
from ..permissions import appeals_visible_to, can_record, can_see_applicant
from ..services import appeal_decide, appeal_file


@backoffice_view()
def appeal_list(request):
    qs = appeals_visible_to(request.user).select_related("organization", "application")
    all_bodies = request.GET.get("scope") == "all"
    if not all_bodies:
        qs = qs.filter(organization=request.organization)
    return render(
        request,
        "appeals/list.html",
        {
            "appeals": qs,
            "all_bodies": all_bodies,
            "can_record": can_record(request.user, request.organization),
        },
    )


@backoffice_view()
def appeal_create(request):
    org = request.organization
    if not can_record(request.user, org):
        raise PermissionDenied("您在当前机关没有登记行政复议、行政诉讼的权限。")
    initial = {"filed_on": timezone.localdate()}
    if request.GET.get("application"):
        initial["application"] = request.GET["application"]
    form = AppealForm(request.POST or None, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_file(
                organization=org, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect(appeal.get_absolute_url())
    return render(request, "appeals/create.html", {"form": form})


def _detail(request, appeal, form, status=200):
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "personal": can_see_applicant(request.user, appeal),
            "form": form
            if not appeal.is_decided and can_record(request.user, appeal.organization)
            else None,
        },
        status=status,
    )


@backoffice_view()
def appeal_detail(request, pk: int):
    appeal = get_object_or_404(
        appeals_visible_to(request.user).select_related("application"), pk=pk
    )
    return _detail(request, appeal, DecideForm(initial={"decided_on": timezone.localdate()}))


@require_POST
@backoffice_view()
def appeal_decide_view(request, pk: int):
    appeal = get_object_or_404(appeals_visible_to(request.user), pk=pk)
    if not can_record(request.user, appeal.organization):
        raise PermissionDenied("您没有登记审结结果的权限（监督岗位只能查看）。")
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            appeal_decide(
                appeal=appeal, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已登记审结结果。")
            return redirect(appeal.get_absolute_url())
    return _detail(request, appeal, form, status=400)
