"""统一受理（集约化）back office: the county's queue (分办), the receiving body's
待签收 list (签收 / 退回 / 转办) and the county's settings.

Views parse input, check permission, call one service (services.dispatch),
render or redirect.  Who sees what is decided by the querysets of
``permissions``: an application is the receiving body's from its dispatch on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors, message_errors
from gongkai.organizations.models import Role
from gongkai.platform.decorators import backoffice_view

from .. import services
from ..forms import DispatchForm, IntakeSettingsForm, ReturnForm, TransferForm
from ..models import Application, HopKind, IntakeHop, IntakeState, UnifiedIntake
from ..permissions import (
    applications_visible_to,
    awaiting_signature_for,
    can_dispatch,
    can_edit_intake,
    can_receive_dispatch,
    can_register,
    can_view_intake,
    dispatch_targets,
)
from ..workflow import CLOCK_START_CHOICES, INTAKE


def _intake_here(request) -> UnifiedIntake | None:
    return UnifiedIntake.objects.filter(organization=request.organization).first()


def _last_returns(applications) -> dict[int, IntakeHop]:
    """The latest 退回 of each application (its reason is shown in the queue)."""
    hops = IntakeHop.objects.filter(
        application__in=applications, kind=HopKind.RETURNED
    ).select_related("from_organization")
    latest: dict[int, IntakeHop] = {}
    for hop in hops.order_by("at", "pk"):
        latest[hop.application_id] = hop
    return latest


@backoffice_view()
def intake_home(request):
    """统一受理: this body's 待签收 list and, at a county with a unified form, the
    queue waiting for dispatch and the record of what went where."""
    today = timezone.localdate()
    org = request.organization
    inbox = awaiting_signature_for(request.user, org).order_by("pk")
    intake = _intake_here(request)
    queue, record, returns, targets = [], [], {}, None
    dispatcher = False
    if intake is not None and can_view_intake(request.user, intake):
        dispatcher = can_dispatch(request.user, intake)
        queue = list(
            applications_visible_to(request.user)
            .filter(intake=intake, intake_state=IntakeState.PENDING, organization=org)
            .select_related("requested_organization")
            .order_by("dispatch_due_on", "pk")
        )
        returns = _last_returns(queue)
        targets = dispatch_targets(intake)
        # What went where: no applicant particulars, only the hop facts; the
        # whole record to the 公开办 that dispatched them, to anyone else only
        # the applications they may see anyway.
        dispatched = Application.objects if dispatcher else applications_visible_to(request.user)
        record = list(
            dispatched.filter(intake=intake)
            .exclude(intake_state=IntakeState.PENDING)
            .select_related("organization")
            .only(
                "pk",
                "tracking_code",
                "intake_state",
                "status",
                "intake_received_on",
                "received_on",
                "due_on",
                "reply_on",
                "organization__name",
            )
            .order_by("-intake_received_on", "-pk")[:200]
        )
    rows = [
        {
            "application": a,
            "overdue": a.dispatch_due_on is not None and a.dispatch_due_on < today,
            "returned": returns.get(a.pk),
            "form": DispatchForm(
                targets=targets,
                prefix=f"d{a.pk}",
                initial={"to_organization": a.requested_organization_id},
            )
            if dispatcher
            else None,
        }
        for a in queue
    ]
    return render(
        request,
        "applications/intake.html",
        {
            "intake": intake,
            "inbox": inbox,
            "rows": rows,
            "overdue_count": sum(1 for r in rows if r["overdue"]),
            "record": record,
            "state_labels": dict(INTAKE.states),
            "can_dispatch": dispatcher,
            "can_sign": can_register(request.user, org),
            "can_edit": can_edit_intake(request.user, org),
            "clock_start": services.clock_start_of(intake) if intake else "",
            "clock_start_label": CLOCK_START_CHOICES.get(services.clock_start_of(intake), "")
            if intake
            else "",
            "dispatch_days": services.dispatch_days_of(intake) if intake else None,
            "today": today,
        },
    )


@require_POST
@backoffice_view()
def intake_dispatch(request, pk: int):
    """分办 one queued application (the county's 公开办)."""
    application = get_object_or_404(
        applications_visible_to(request.user).filter(intake__isnull=False), pk=pk
    )
    intake = application.intake
    if not can_dispatch(request.user, intake):
        raise PermissionDenied("只有统一受理机关的公开办工作人员可以分办申请。")
    form = DispatchForm(request.POST, targets=dispatch_targets(intake), prefix=f"d{pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"{application.tracking_code}：{message}")
        return redirect("applications:intake")
    target = form.cleaned_data["to_organization"]
    try:
        services.application_dispatch(
            application=application,
            to_organization=target,
            note=form.cleaned_data["note"],
            acting_user=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"已将申请 {application.tracking_code} 分办至{target.name}。")
    return redirect("applications:intake")


STEP_FORMS = {"return": ReturnForm, "transfer": TransferForm}


def intake_forms(application: Application, user, data=None, which: str = "") -> dict:
    """The receiving body's forms for the application page (empty when none apply)."""
    if application.intake_id is None or not can_receive_dispatch(user, application):
        return {}
    state = application.intake_state
    forms = {}
    for action in ("return", "transfer"):
        if not INTAKE.can(state, action):
            continue
        kwargs = {"prefix": f"intake-{action}"}
        if action == "transfer":
            kwargs["targets"] = dispatch_targets(application.intake).exclude(
                pk=application.organization_id
            )
        forms[action] = STEP_FORMS[action](data if which == action else None, **kwargs)
    return forms


def intake_context(application: Application, user) -> dict:
    """What the application page shows of the unified intake: the hops and the
    receiving body's steps (for ``views.backoffice._detail``)."""
    if application.intake_id is None:
        return {"intake_hops": None}
    hops = application.hops.select_related("from_organization", "to_organization")
    can_step = can_receive_dispatch(user, application)
    # 转办 only before any step of the clock (services.dispatch).
    started = application.is_held and application.events.exists()
    return {
        "intake_hops": hops,
        "intake_state_label": INTAKE.state_label(application.intake_state),
        "intake_can_sign": can_step and INTAKE.can(application.intake_state, "sign"),
        "intake_forms": intake_forms(application, user) if can_step and not started else {},
    }


@require_POST
@backoffice_view()
def intake_step(request, pk: int, action: str):
    """签收 / 退回 / 转办 by the body the application was dispatched to."""
    if action not in ("sign", "return", "transfer"):
        raise Http404("未知的操作。")
    application = get_object_or_404(
        applications_visible_to(request.user)
        .filter(intake__isnull=False)
        .select_related("organization"),
        pk=pk,
    )
    if not can_receive_dispatch(request.user, application):
        raise PermissionDenied("只有接收机关的工作人员可以签收、退回或转办该申请。")
    now = timezone.now()
    if action == "sign":
        try:
            services.application_sign(application=application, acting_user=request.user, now=now)
        except ValidationError as exc:
            message_errors(request, exc)
            return redirect(application.get_absolute_url())
        application.refresh_from_db()
        due = f"答复期限 {application.due_on:%Y-%m-%d}" if application.due_on else ""
        messages.success(request, f"已签收申请 {application.tracking_code}。{due}")
        return redirect(application.get_absolute_url())
    form = intake_forms(application, request.user, request.POST, action).get(action)
    if form is None:
        messages.error(
            request,
            f"该申请当前为“{INTAKE.state_label(application.intake_state)}”，"
            f"不能{INTAKE.get(action).label}。",
        )
        return redirect(application.get_absolute_url())
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(application.get_absolute_url())
    data = form.cleaned_data
    try:
        if action == "return":
            services.application_return(
                application=application, reason=data["reason"], acting_user=request.user, now=now
            )
            text = f"已将申请 {application.tracking_code} 退回统一受理平台。"
        else:
            services.application_transfer(
                application=application,
                to_organization=data["to_organization"],
                reason=data["reason"],
                acting_user=request.user,
                now=now,
            )
            text = f"已将申请 {application.tracking_code} 转办至{data['to_organization'].name}。"
    except ValidationError as exc:
        message_errors(request, exc)
        return redirect(application.get_absolute_url())
    messages.success(request, text)
    return redirect("applications:intake")


@backoffice_view(Role.ADMIN, Role.OFFICE_HEAD)
def intake_settings(request):
    """统一受理设置 of the current (county-level) body."""
    org = request.organization
    intake = _intake_here(request)
    platform_default = getattr(settings, "GONGKAI_INTAKE_CLOCK_START", "platform")
    initial = (
        {
            "is_active": intake.is_active,
            "clock_start": intake.clock_start,
            "dispatch_days": intake.dispatch_days,
            "intro": intake.intro,
        }
        if intake
        else {"is_active": True}
    )
    form = IntakeSettingsForm(
        request.POST or None, initial=initial, platform_default=platform_default
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.intake_settings_save(
                organization=org,
                is_active=data["is_active"],
                clock_start=data["clock_start"],
                dispatch_days=data["dispatch_days"],
                intro=data["intro"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "统一受理设置已保存。")
            return redirect("applications:intake")
    return render(
        request,
        "applications/intake_settings.html",
        {
            "form": form,
            "intake": intake,
            "platform_dispatch_days": getattr(settings, "GONGKAI_INTAKE_DISPATCH_DAYS", 1),
        },
    )
