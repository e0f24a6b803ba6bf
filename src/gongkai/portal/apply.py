"""依申请公开 on the portal: the process, the form, the receipt and the status look-up."""

from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.applications.delivery import delivery_for_public
from gongkai.applications.models import Application, Channel, UnifiedIntake
from gongkai.applications.permissions import dispatch_targets
from gongkai.applications.selectors import (
    application_status_for_public,
    normalize_tracking_code,
)
from gongkai.applications.services import (
    application_receive,
    application_receive_unified,
    clock_start_of,
)

from . import ratelimit
from . import selectors as sel
from .forms import ApplyForm, StatusForm

# 条例第三十三条: reply within 20 working days of receipt (extendable once by 20).
REPLY_WORKDAYS = 20
EXTENSION_WORKDAYS = 20
# A form of a few KB; anything far larger is not an application.
MAX_BODY_BYTES = 64 * 1024
RECEIPT_SESSION_KEY = "portal_receipts"
# 条例第三十一条第（三）项: an online application is received on the day both sides
# confirm it.  The system confirms a portal submission at once
# (applications.services.application_receive sets confirmed_on=submitted_on), so
# the day of submission is the day of receipt.  One sentence for every page.
RECEIPT_DAY_RULE = "网上提交后系统即时确认，提交之日即为收到申请之日（条例第三十一条）"


class UnifiedApplyForm(ApplyForm):
    """统一受理: the county's one form for every body under it.  The applicant may
    name the body they think holds the information; the 公开办 decides (分办)."""

    requested_organization = forms.ModelChoiceField(
        label="希望由哪个机关答复（选填）",
        queryset=None,
        required=False,
        empty_label="不确定，由统一受理平台分办",
        help_text="不确定时可不选，统一受理平台将分办至负责公开该信息的机关。",
        error_messages={"invalid_choice": "请从列表中选择机关。"},
    )

    def __init__(self, *args, intake: UnifiedIntake, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_organization"].queryset = dispatch_targets(intake)
        # The confirmation stays the last thing the applicant ticks.
        self.order_fields([name for name in self.fields if name != "confirm"] + ["confirm"])


def _active_intake(org) -> UnifiedIntake | None:
    return UnifiedIntake.objects.filter(organization=org, is_active=True).first()


def _intake_above(org) -> UnifiedIntake | None:
    """The nearest body above ``org`` with an open unified form: its page points
    there, while a body's own form stays open (条例第二十七条: one applies to the
    body itself; the county's form is an extra entrance, not a replacement)."""
    ancestors = {a.pk: a for a in org.ancestors()}
    intakes = UnifiedIntake.objects.filter(organization_id__in=ancestors, is_active=True)
    by_org = {i.organization_id: i for i in intakes}
    return next((by_org[pk] for pk in ancestors if pk in by_org), None)


def too_many(request, verdict: ratelimit.Verdict):
    # A small standalone page without context processors or database access:
    # under a flood this path must stay cheap.
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = HttpResponse(render_to_string("portal/429.html", {"minutes": minutes}), status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def too_large(request):
    return render(request, "portal/413.html", status=413)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    if request.method == "POST":
        # Size and rate first: a flood is turned away before any form or query work.
        if _content_length(request) > MAX_BODY_BYTES:
            return too_large(request)
        verdict = ratelimit.hit("apply", request)
        if not verdict.allowed:
            return too_many(request, verdict)
    org = sel.public_organization(slug)
    intake = _active_intake(org)
    form = UnifiedApplyForm(intake=intake) if intake else ApplyForm()
    error = ""
    if request.method == "POST":
        form = UnifiedApplyForm(request.POST, intake=intake) if intake else ApplyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            now = timezone.now()
            if intake is not None:
                # 统一受理: received by the county's platform, then dispatched (分办).
                receive = functools.partial(
                    application_receive_unified,
                    intake=intake,
                    requested_organization=data["requested_organization"],
                )
            else:
                receive = functools.partial(application_receive, organization=org)
            try:
                application = receive(
                    channel=Channel.ONLINE,
                    applicant_type=data["applicant_type"],
                    applicant_name=data["applicant_name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    description=data["description"],
                    form_wanted=data["form_wanted"],
                    delivery=data["delivery"],
                    submitted_on=timezone.localdate(now),
                    acting_user=None,
                    now=now,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        target = field if field in form.fields else None
                        for message in errors:
                            form.add_error(target, message)
                else:
                    error = "；".join(exc.messages)
            else:
                receipts = request.session.get(RECEIPT_SESSION_KEY, [])[-4:]
                receipts.append(application.tracking_code)
                request.session[RECEIPT_SESSION_KEY] = receipts
                return redirect(
                    "portal:apply_receipt", slug=org.slug, code=application.tracking_code
                )
    return render(
        request,
        "portal/apply.html",
        {
            "org": org,
            "form": form,
            "error": error,
            "section": "apply",
            "receipt_day_rule": RECEIPT_DAY_RULE,
            "intake": intake,
            "intake_above": None if intake else _intake_above(org),
        },
    )


def apply_receipt(request, slug, code):
    """Shown only in the browser session that submitted the application."""
    org = sel.public_organization(slug)
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        return redirect("portal:status")
    # The intake the application went through, whatever the county's form is now.
    application = Application.objects.select_related("intake").filter(tracking_code=code).first()
    intake = application.intake if application is not None else None
    return render(
        request,
        "portal/apply_receipt.html",
        {
            "org": org,
            "code": code,
            "workdays": REPLY_WORKDAYS,
            "extension": EXTENSION_WORKDAYS,
            "section": "apply",
            "receipt_day_rule": RECEIPT_DAY_RULE,
            "intake": intake,
            # D63: under the "signed" rule the period starts when a body signs.
            "clock_from_signing": intake is not None and clock_start_of(intake) == "signed",
        },
    )


# never_cache: the answer may carry the applicant's download links (电子送达).
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    form = StatusForm()
    result = None
    files = None
    not_found = locked = False
    if request.method == "POST":
        if _content_length(request) > MAX_BODY_BYTES:
            return too_large(request)
        verdict = ratelimit.hit("status", request)
        if not verdict.allowed:
            return too_many(request, verdict)
        form = StatusForm(request.POST)
        if form.is_valid():
            code = normalize_tracking_code(form.cleaned_data["tracking_code"])
            if ratelimit.exceeded("status_code", code):
                # Too many wrong digits for this code today, from whatever address.
                locked = True
            else:
                result = application_status_for_public(
                    tracking_code=code, phone_last4=form.cleaned_data["phone_last4"]
                )
            not_found = result is None and not locked
            if not_found and code:
                ratelimit.hit_key("status_code", code)
            if result is not None:
                files = delivery_for_public(
                    tracking_code=form.cleaned_data["tracking_code"],
                    phone_last4=form.cleaned_data["phone_last4"],
                )
    return render(
        request,
        "portal/status.html",
        {
            "form": form,
            "result": result,
            "not_found": not_found,
            "locked": locked,
            "files": files,
        },
    )
