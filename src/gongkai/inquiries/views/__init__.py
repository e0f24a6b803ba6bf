"""Back-office pages for 政民互动: the work list, one inquiry with its steps,
the body's settings and the supervisor's per-body figures.

Views parse input, check the role, call one service and redirect; a refusal by
the service (``core.errors.Forbidden``) reaches the user as the 403 page with
its Chinese reason, ``Invalid`` goes on the form (``core.responses``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.audit.selectors import events_for
from gongkai.core.audit_verbs import describe
from gongkai.core.responses import add_errors, message_errors
from gongkai.organizations.permissions import visible_organization_ids
from gongkai.platform.decorators import backoffice_view

from .. import services
from ..forms import AnswerForm, CommentForm, PublishForm, RejectForm, RouteForm, SettingsForm
from ..models import DEFAULT_REPLY_WORKDAYS, Inquiry, InquirySettings, Signature
from ..permissions import (
    can_answer,
    can_configure,
    can_handle,
    can_see_personal,
    can_supervise,
    inquiries_visible_to,
)
from ..selectors import TABS, figures_by_body, supervised_bodies, tab_counts, tab_filter, totals


@backoffice_view()
def inquiry_list(request):
    today = timezone.localdate()
    qs = inquiries_visible_to(request.user).select_related("organization", "unit")
    all_bodies = request.GET.get("scope") == "all"
    if not all_bodies:
        qs = qs.filter(organization=request.organization)
    tab = request.GET.get("tab", "open")
    if tab not in dict(TABS):
        tab = "open"
    return render(
        request,
        "inquiries/list.html",
        {
            "inquiries": tab_filter(qs, tab, today=today).order_by("due_on", "pk")
            if tab in ("overdue", "due_soon", "open")
            else tab_filter(qs, tab, today=today),
            "tabs": [
                (k, label, n)
                for (k, label), n in zip(TABS, tab_counts(qs, today=today).values(), strict=True)
            ],
            "tab": tab,
            "all_bodies": all_bodies,
            "today": today,
            "can_configure": can_configure(request.user, request.organization),
            "can_supervise": can_supervise(request.user, request.organization),
        },
    )


def _detail(request, inquiry: Inquiry, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    handler = can_handle(request.user, inquiry.organization)
    answerer = can_answer(request.user, inquiry)
    state = inquiry.status
    context = {
        "inquiry": inquiry,
        "today": timezone.localdate(),
        "personal": can_see_personal(request.user, inquiry),
        "history": _history(inquiry),
    }
    if state in ("received", "routed"):
        if handler:
            context["route_form"] = forms.get("route") or RouteForm(
                organization=inquiry.organization, initial={"unit": inquiry.unit_id}
            )
            context["reject_form"] = forms.get("reject") or RejectForm()
        if answerer:
            context["answer_form"] = forms.get("answer") or AnswerForm()
    if handler and state in ("answered", "not_published") and inquiry.consent_publish:
        context["publish_form"] = forms.get("publish") or PublishForm(
            initial={
                "public_subject": services.scrub(inquiry.subject, inquiry),
                "public_content": services.scrub(inquiry.content, inquiry),
                "public_answer": services.scrub(inquiry.answer, inquiry),
            }
        )
    if handler and state == "answered":
        context["withhold_form"] = CommentForm()
    if handler and state == "published":
        context["unpublish_form"] = CommentForm()
    return render(request, "inquiries/detail.html", context, status=status)


def _history(inquiry: Inquiry) -> list:
    """The audit rows with real names and the Chinese labels of verbs and states."""
    events = list(events_for(inquiry))
    for e in events:
        described = describe(e)
        e.verb_label = described.label
        if e.actor is not None:
            e.actor_name = e.actor.get_full_name() or e.actor.get_username()
        else:
            e.actor_name = e.actor_repr or "网上留言人"
        e.from_label = described.from_label
        e.to_label = described.to_label
    return events


def _get(request, pk: int) -> Inquiry:
    return get_object_or_404(
        inquiries_visible_to(request.user).select_related("organization", "unit", "answered_by"),
        pk=pk,
    )


@backoffice_view()
def inquiry_detail(request, pk: int):
    return _detail(request, _get(request, pk))


@require_POST
@backoffice_view()
def inquiry_route_view(request, pk: int):
    inquiry = _get(request, pk)
    if not can_handle(request.user, inquiry.organization):
        raise PermissionDenied(services.NOT_A_HANDLER)
    form = RouteForm(request.POST, organization=inquiry.organization)
    if form.is_valid():
        try:
            services.inquiry_route(
                inquiry=inquiry,
                unit=form.cleaned_data["unit"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已转办。")
            return redirect(inquiry.get_absolute_url())
    return _detail(request, inquiry, {"route": form}, status=400)


@require_POST
@backoffice_view()
def inquiry_answer_view(request, pk: int):
    inquiry = _get(request, pk)
    if not can_answer(request.user, inquiry):
        raise PermissionDenied(services.NOT_AN_ANSWERER)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_answer(
                inquiry=inquiry, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已答复。")
            return redirect(inquiry.get_absolute_url())
    return _detail(request, inquiry, {"answer": form}, status=400)


@require_POST
@backoffice_view()
def inquiry_publish_view(request, pk: int):
    inquiry = _get(request, pk)
    if not can_handle(request.user, inquiry.organization):
        raise PermissionDenied(services.NOT_A_HANDLER)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_publish(
                inquiry=inquiry, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "问答已在门户网站公开。")
            return redirect(inquiry.get_absolute_url())
    return _detail(request, inquiry, {"publish": form}, status=400)


def _simple_step(request, pk: int, service, done: str):
    inquiry = _get(request, pk)
    if not can_handle(request.user, inquiry.organization):
        raise PermissionDenied(services.NOT_A_HANDLER)
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        service(
            inquiry=inquiry,
            acting_user=request.user,
            now=timezone.now(),
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect(inquiry.get_absolute_url())


@require_POST
@backoffice_view()
def inquiry_withhold_view(request, pk: int):
    return _simple_step(request, pk, services.inquiry_withhold, "已记录为不公开。")


@require_POST
@backoffice_view()
def inquiry_unpublish_view(request, pk: int):
    return _simple_step(request, pk, services.inquiry_unpublish, "已撤回公开。")


@require_POST
@backoffice_view()
def inquiry_reject_view(request, pk: int):
    inquiry = _get(request, pk)
    if not can_handle(request.user, inquiry.organization):
        raise PermissionDenied(services.NOT_A_HANDLER)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_reject(
                inquiry=inquiry,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已不予受理。")
            return redirect(inquiry.get_absolute_url())
    return _detail(request, inquiry, {"reject": form}, status=400)


@backoffice_view()
def inquiry_settings(request):
    org = request.organization
    if not can_configure(request.user, org):
        raise PermissionDenied("只有公开办负责人或管理员可以修改政民互动设置。")
    current = InquirySettings.objects.filter(organization=org).first()
    initial = {
        "reply_workdays": current.reply_workdays if current else DEFAULT_REPLY_WORKDAYS,
        "signature": current.signature if current else Signature.UNIT,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_settings_save(
                organization=org, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已保存。")
            return redirect("inquiries:settings")
    return render(request, "inquiries/settings.html", {"form": form})


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    return max(2008, min(year, today.year))


@backoffice_view()
def supervision(request):
    org = request.organization
    if not can_supervise(request.user, org):
        raise PermissionDenied("只有上级机关的监督人员或管理员可以查看下级机关的政民互动情况。")
    today = timezone.localdate()
    year = _year(request, today)
    bodies = supervised_bodies(org, visible_organization_ids(request.user))
    rows = figures_by_body(bodies, year, today=today)
    return render(
        request,
        "inquiries/supervision.html",
        {
            "rows": rows,
            "totals": totals(rows),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "today": today,
        },
    )
