"""Back-office pages: my notices and preferences, the body's templates, quiet
hours and delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors, message_errors
from gongkai.platform.decorators import backoffice_view

from . import events, selectors, services
from .forms import LogFilterForm, PreferenceForm, QuietHoursForm, TemplateForm
from .models import MessageStatus, NotificationTemplate
from .permissions import ADMIN_ROLES, LOG_ROLES, can_administer, messages_visible_to

PAGE_SIZE = 30


@backoffice_view()
def notices(request):
    page = Paginator(selectors.notices_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notices.html", {"page_obj": page})


@backoffice_view()
@require_POST
def notices_read(request):
    raw = request.POST.get("notice")
    ids = None
    if raw:
        try:
            ids = [int(raw)]
        except ValueError:
            raise Http404("没有这条通知。") from None
    count = services.notices_mark_read(user=request.user, ids=ids, now=timezone.now())
    if ids is None:
        messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications:notices")


@backoffice_view()
def preferences(request):
    pref = services.preference_of(request.user)
    initial = {"phone": pref.phone}
    off = set(pref.disabled)
    for group in events.GROUPS:
        for channel in events.STAFF_CHANNELS:
            initial[f"{group}:{channel}"] = f"{group}:{channel}" not in off
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_save(
                user=request.user,
                phone=form.cleaned_data["phone"],
                enabled=form.enabled(),
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "通知偏好已保存。")
            return redirect("notifications:preferences")
    rows = [
        (label, [form[f"{group}:{channel}"] for channel in events.STAFF_CHANNELS])
        for group, label in events.GROUPS.items()
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "rows": rows,
            "channels": [events.CHANNELS[c] for c in events.STAFF_CHANNELS],
        },
    )


AUDIENCE_LABELS = {events.APPLICANT: "申请人", events.STAFF: "工作人员"}


@backoffice_view(*ADMIN_ROLES)
def template_list(request):
    own = {
        (t.event, t.audience, t.channel): t
        for t in NotificationTemplate.objects.filter(organization=request.organization)
    }
    rows = [
        {
            "event": event,
            "audience": audience,
            "audience_label": AUDIENCE_LABELS[audience],
            "cells": [
                {
                    "channel": c,
                    "label": events.CHANNELS[c],
                    "own": own.get((key, audience, c)),
                }
                for c in events.channels_for(audience)
            ],
        }
        for key, event in events.EVENTS.items()
        for audience in event.audiences
    ]
    return render(
        request,
        "notifications/template_list.html",
        {"rows": rows, "quiet": services.quiet_hours_of(request.organization)},
    )


@backoffice_view(*ADMIN_ROLES)
def template_edit(request, event: str, audience: str, channel: str):
    declared = events.EVENTS.get(event)
    if (
        declared is None
        or audience not in declared.audiences
        or channel not in events.channels_for(audience)
    ):
        raise Http404("未知的通知事件、对象或渠道。")
    org = request.organization
    own = NotificationTemplate.objects.filter(
        organization=org, event=event, audience=audience, channel=channel
    ).first()
    subject, body = (own.subject, own.body) if own else declared.default(audience, channel)
    form = TemplateForm(
        request.POST or None, initial={"subject": subject, "body": body}, channel=channel
    )
    where = {"organization": org, "event": event, "audience": audience, "channel": channel}
    if request.method == "POST":
        if "reset" in request.POST:
            services.template_reset(**where, acting_user=request.user, now=timezone.now())
            messages.success(request, "已恢复为系统默认模板。")
            return redirect("notifications:template_list")
        if form.is_valid():
            try:
                services.template_save(
                    **where,
                    subject=form.cleaned_data.get("subject", ""),
                    body=form.cleaned_data["body"],
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "通知模板已保存，此后发出的通知使用新模板。")
                return redirect("notifications:template_list")
    return render(
        request,
        "notifications/template_edit.html",
        {
            "form": form,
            "event": declared,
            "title": f"{declared.label}（致{AUDIENCE_LABELS[audience]}，{events.CHANNELS[channel]}）",
            "own": own,
            "placeholders": sorted(declared.allowed.items()),
        },
    )


@backoffice_view(*ADMIN_ROLES)
def quiet_hours(request):
    org = request.organization
    quiet = services.quiet_hours_of(org)
    form = QuietHoursForm(
        request.POST or None,
        initial={
            "enabled": quiet.enabled,
            "start": quiet.start,
            "end": quiet.end,
            "applicant_sms": quiet.applicant_sms,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quiet_hours_save(
                organization=org, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "免打扰时段已保存。")
            return redirect("notifications:template_list")
    return render(
        request,
        "notifications/quiet_hours.html",
        {"form": form, "release_at": services.release_time()},
    )


@backoffice_view(*LOG_ROLES)
def log(request):
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.log_for(request.user, request.organization, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/log.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "failed": MessageStatus.FAILED,
            "can_administer": can_administer(request.user, request.organization),
        },
    )


@backoffice_view(*LOG_ROLES)
@require_POST
def log_retry(request, pk: int):
    message = get_object_or_404(
        messages_visible_to(request.user).filter(organization=request.organization), pk=pk
    )
    try:
        services.message_retry(message=message, acting_user=request.user, now=timezone.now())
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, "已重新交给发送任务。")
    return redirect("notifications:log")
