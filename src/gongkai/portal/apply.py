"""依申请公开 on the portal: the process, the form, the receipt and the status look-up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai.applications.models import Channel
from gongkai.applications.selectors import application_status_for_public
from gongkai.applications.services import application_receive

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
    form = ApplyForm()
    error = ""
    if request.method == "POST":
        form = ApplyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            now = timezone.now()
            try:
                application = application_receive(
                    organization=org,
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
        },
    )


def apply_receipt(request, slug, code):
    """Shown only in the browser session that submitted the application."""
    org = sel.public_organization(slug)
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        return redirect("portal:status")
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
        },
    )


@require_http_methods(["GET", "POST"])
def status(request):
    form = StatusForm()
    result = None
    not_found = False
    if request.method == "POST":
        if _content_length(request) > MAX_BODY_BYTES:
            return too_large(request)
        verdict = ratelimit.hit("status", request)
        if not verdict.allowed:
            return too_many(request, verdict)
        form = StatusForm(request.POST)
        if form.is_valid():
            result = application_status_for_public(
                tracking_code=form.cleaned_data["tracking_code"],
                phone_last4=form.cleaned_data["phone_last4"],
            )
            not_found = result is None
    return render(
        request, "portal/status.html", {"form": form, "result": result, "not_found": not_found}
    )
