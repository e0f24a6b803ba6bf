"""政民互动 on the portal: ask a question, the receipt, the status look-up, and the
published Q&A of a body (list and detail).

The public pages show only what ``inquiries.services.inquiry_publish`` stored as
the public version — masked by the privacy scanner, the asker shown as 张** —
and only questions whose asker consented to publication.  Posting is
rate-limited per client address (``GONGKAI_RATE_INQUIRY``), the look-up with
the application look-up's limit (``GONGKAI_RATE_STATUS``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.inquiries.forms import PRIVACY_NOTICE, AskForm, StatusForm
from gongkai.inquiries.selectors import inquiry_status_for_public, public_inquiries
from gongkai.inquiries.services import inquiry_submit, reply_workdays_of

from . import ratelimit
from . import selectors as sel
from .apply import MAX_BODY_BYTES, _content_length, too_large

RECEIPT_SESSION_KEY = "portal_inquiry_receipts"
PER_PAGE = 20


def too_many(request, verdict: ratelimit.Verdict):
    # Standalone and cheap, like the application form's 429 page.
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = HttpResponse(
        render_to_string("portal/inquiries/429.html", {"minutes": minutes}), status=429
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def ask(request, slug):
    if request.method == "POST":
        # Size and rate first: a flood is turned away before any form or query work.
        if _content_length(request) > MAX_BODY_BYTES:
            return too_large(request)
        verdict = ratelimit.hit("inquiry", request)
        if not verdict.allowed:
            return too_many(request, verdict)
    org = sel.public_organization(slug)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = inquiry_submit(
                organization=org,
                kind=data["kind"],
                subject=data["subject"],
                content=data["content"],
                asker_name=data["asker_name"],
                phone=data["phone"],
                email=data["email"],
                consent_publish=data["consent_publish"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            receipts = request.session.get(RECEIPT_SESSION_KEY, [])[-4:]
            receipts.append(inquiry.tracking_code)
            request.session[RECEIPT_SESSION_KEY] = receipts
            return redirect("portal_inquiries:receipt", slug=org.slug, code=inquiry.tracking_code)
    return render(
        request,
        "portal/inquiries/ask.html",
        {
            "org": org,
            "form": form,
            "section": "inquiries",
            "privacy_notice": PRIVACY_NOTICE,
            "workdays": reply_workdays_of(org),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def receipt(request, slug, code):
    """Shown only in the browser session that asked the question."""
    org = sel.public_organization(slug)
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        return redirect("portal_inquiries:status", slug=org.slug)
    return render(
        request,
        "portal/inquiries/receipt.html",
        {"org": org, "code": code, "workdays": reply_workdays_of(org), "section": "inquiries"},
    )


@require_http_methods(["GET", "POST"])
def status(request, slug):
    if request.method == "POST":
        if _content_length(request) > MAX_BODY_BYTES:
            return too_large(request)
        verdict = ratelimit.hit("status", request)
        if not verdict.allowed:
            return too_many(request, verdict)
    org = sel.public_organization(slug)
    form = StatusForm(request.POST or None)
    result = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        result = inquiry_status_for_public(
            organization=org,
            tracking_code=form.cleaned_data["tracking_code"],
            phone_last4=form.cleaned_data["phone_last4"],
        )
        not_found = result is None
    return render(
        request,
        "portal/inquiries/status.html",
        {
            "org": org,
            "form": form,
            "result": result,
            "not_found": not_found,
            "section": "inquiries",
        },
    )


@require_safe
def inquiry_list(request, slug):
    org = sel.public_organization(slug)
    page = Paginator(public_inquiries(org), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/inquiries/list.html",
        {"org": org, "page_obj": page, "section": "inquiries", "workdays": reply_workdays_of(org)},
    )


@require_safe
def inquiry_detail(request, slug, pk):
    org = sel.public_organization(slug)
    inquiry = public_inquiries(org).filter(pk=pk).first()
    if inquiry is None:
        raise Http404("没有这条公开的问答")
    return render(
        request,
        "portal/inquiries/detail.html",
        {"org": org, "inquiry": inquiry, "section": "inquiries"},
    )


app_name = "portal_inquiries"

urlpatterns = [
    path("<slug:slug>/inquiries/", inquiry_list, name="list"),
    path("<slug:slug>/inquiries/ask/", ask, name="ask"),
    path("<slug:slug>/inquiries/ask/receipt/<str:code>/", receipt, name="receipt"),
    path("<slug:slug>/inquiries/status/", status, name="status"),
    path("<slug:slug>/inquiries/<int:pk>/", inquiry_detail, name="detail"),
]
