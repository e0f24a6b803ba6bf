"""Back-office pages of 督办: the body's inbox and one notice with its steps; the
supervising body's overdue list per body, the send form and the notices it sent.

Views parse input, check the role, call one service and redirect; a refusal by
the service (``core.errors.Forbidden``) reaches the user as the 403 page with
its Chinese reason, ``Invalid`` goes on the form (``core.responses``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications.models import Application
from gongkai.audit.selectors import events_for
from gongkai.core.audit_verbs import describe
from gongkai.core.responses import add_errors, message_errors
from gongkai.disclosure.models import Item
from gongkai.inquiries.models import Inquiry
from gongkai.organizations.models import Organization
from gongkai.platform.decorators import backoffice_view

from . import services, targets
from .forms import AnswerForm, CloseForm, SendForm
from .models import Urging
from .permissions import (
    NOT_A_CLOSER,
    NOT_A_RESPONDER,
    NOT_A_SENDER,
    can_close,
    can_respond,
    can_send_from,
    urgings_visible_to,
)
from .selectors import TABS, sent_summary, tab_counts, tab_filter
from .workflow import OPEN_STATES


@backoffice_view()
def inbox(request):
    org = request.organization
    qs = urgings_visible_to(request.user).filter(organization=org).select_related("sender")
    tab = request.GET.get("tab", "waiting")
    if tab not in dict(TABS):
        tab = "waiting"
    return render(
        request,
        "urging/inbox.html",
        {
            "urgings": tab_filter(qs, tab).order_by("respond_by", "pk"),
            "tabs": [
                (k, label, n) for (k, label), n in zip(TABS, tab_counts(qs).values(), strict=True)
            ],
            "tab": tab,
            "today": timezone.localdate(),
            "can_send": can_send_from(request.user, org),
        },
    )


def _sender(request) -> Organization:
    org = request.organization
    if not can_send_from(request.user, org):
        raise PermissionDenied(NOT_A_SENDER)
    return org


@backoffice_view()
def sent_list(request):
    org = _sender(request)
    today = timezone.localdate()
    return render(
        request,
        "urging/sent.html",
        {"summary": sent_summary(org, today=today, limit=200), "today": today},
    )


def _body(sender: Organization, pk) -> Organization:
    """A body below ``sender`` (the per-organization check: never another tree's body)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("没有这个机关。") from None
    return get_object_or_404(
        Organization.objects.filter(pk__in=sender.descendant_ids(), is_active=True), pk=pk
    )


def _open_targets(body: Organization) -> dict[tuple[str, object], Urging]:
    found = {}
    for u in Urging.objects.filter(organization=body, status__in=OPEN_STATES):
        key = u.report_year if u.kind == "report" else getattr(u, f"{u.kind}_id")
        found[(u.kind, key)] = u
    return found


@backoffice_view()
def overdue(request):
    org = _sender(request)
    today = timezone.localdate()
    if not request.GET.get("body"):
        bodies = org.descendants().filter(is_active=True).order_by("level", "name")
        return render(request, "urging/overdue.html", {"bodies": bodies, "body": None})
    body = _body(org, request.GET.get("body"))
    found = targets.overdue_of(body, today)
    opened = _open_targets(body)
    groups = []
    for title, kind, rows in (
        ("超期未答复的政府信息公开申请", "application", found.applications),
        ("超期未公开的主动公开信息", "item", found.items),
        ("超期未答复的网上留言", "inquiry", found.inquiries),
    ):
        groups.append(
            (
                title,
                [(t, getattr(t, kind).pk, opened.get((kind, getattr(t, kind).pk))) for t in rows],
                kind,
            )
        )
    return render(
        request,
        "urging/overdue.html",
        {"body": body, "groups": groups, "today": today, "total": len(found)},
    )


def _target(sender: Organization, data):
    """``(body, build)``: the body and a function of ``today`` building the target named
    by ``kind`` and ``id`` (or ``body`` and ``year``), looked up among the bodies below
    ``sender`` only."""
    kind = data.get("kind")
    below = sender.descendant_ids()
    models = {"application": Application, "item": Item, "inquiry": Inquiry}
    if kind in models:
        try:
            pk = int(data.get("id", ""))
        except ValueError:
            raise Http404("没有这个事项。") from None
        obj = get_object_or_404(
            models[kind].objects.filter(organization_id__in=below).select_related("organization"),
            pk=pk,
        )
        build = getattr(targets, f"{kind}_target")
        return obj.organization, lambda today: build(obj, today)
    if kind == "report":
        body = _body(sender, data.get("body"))
        try:
            year = int(data.get("year", ""))
        except ValueError:
            raise Http404("年度不正确。") from None
        return body, lambda today: targets.report_target(body, year, today)
    raise Http404("不支持的督办事项。")


@backoffice_view()
def new(request):
    sender = _sender(request)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    body, build = _target(sender, data)
    try:
        target = build(today)
    except ValidationError as exc:
        message_errors(request, exc)
        return redirect(reverse("urging:overdue") + f"?body={body.pk}")
    hidden = {k: data.get(k, "") for k in ("kind", "id", "body", "year") if data.get(k)}
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                urging = services.urging_send(
                    sender=sender,
                    target=target,
                    text=form.cleaned_data["text"],
                    respond_workdays=form.cleaned_data["respond_workdays"],
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc, fields=True)
            else:
                messages.success(request, f"已发出{urging.reference}。")
                return redirect(urging.get_absolute_url())
        status = 400
    else:
        form = SendForm(initial={"text": target.default_text()})
        status = 200
    respond_by, provisional = services.respond_by_for(today)
    return render(
        request,
        "urging/new.html",
        {
            "form": form,
            "target": target,
            "hidden": hidden,
            "respond_by": respond_by,
            "provisional": provisional,
        },
        status=status,
    )


def _get(request, pk: int) -> Urging:
    return get_object_or_404(
        urgings_visible_to(request.user).select_related(
            "sender", "organization", "sent_by", "acknowledged_by", "answered_by", "closed_by"
        ),
        pk=pk,
    )


def _history(urging: Urging) -> list:
    events = list(events_for(urging))
    for e in events:
        described = describe(e)
        e.verb_label = described.label
        if e.actor is not None:
            e.actor_name = e.actor.get_full_name() or e.actor.get_username()
        else:
            e.actor_name = e.actor_repr or "系统"
        e.from_label = described.from_label
        e.to_label = described.to_label
    return events


def _detail(request, urging: Urging, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    state = urging.status
    responder = can_respond(request.user, urging.organization)
    context = {
        "urging": urging,
        "today": timezone.localdate(),
        "history": _history(urging),
        "target_url": _target_url(urging),
    }
    if responder and state == "sent":
        context["can_acknowledge"] = True
    if responder and state in ("sent", "acknowledged", "escalated"):
        context["answer_form"] = forms.get("answer") or AnswerForm()
    if state in ("answered", "escalated") and can_close(request.user, urging):
        context["close_form"] = forms.get("close") or CloseForm()
    return render(request, "urging/detail.html", context, status=status)


def _target_url(urging: Urging) -> str:
    """The target's back-office page, for a user who may see it."""
    obj = urging.application or urging.item or urging.inquiry
    return obj.get_absolute_url() if obj is not None else ""


@backoffice_view()
def detail(request, pk: int):
    return _detail(request, _get(request, pk))


@require_POST
@backoffice_view()
def acknowledge_view(request, pk: int):
    urging = _get(request, pk)
    if not can_respond(request.user, urging.organization):
        raise PermissionDenied(NOT_A_RESPONDER)
    try:
        services.urging_acknowledge(urging=urging, acting_user=request.user, now=timezone.now())
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, "已签收。")
    return redirect(urging.get_absolute_url())


@require_POST
@backoffice_view()
def answer_view(request, pk: int):
    urging = _get(request, pk)
    if not can_respond(request.user, urging.organization):
        raise PermissionDenied(NOT_A_RESPONDER)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.urging_answer(
                urging=urging,
                response=form.cleaned_data["response"],
                done_by=form.cleaned_data["done_by"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已回复办理情况。")
            return redirect(urging.get_absolute_url())
    return _detail(request, urging, {"answer": form}, status=400)


@require_POST
@backoffice_view()
def close_view(request, pk: int):
    urging = _get(request, pk)
    if not can_close(request.user, urging):
        raise PermissionDenied(NOT_A_CLOSER)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.urging_close(
                urging=urging,
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "督办已办结。")
            return redirect(urging.get_absolute_url())
    return _detail(request, urging, {"close": form}, status=400)
