"""意见征集 on the portal: the list, the draft with its explanation and period,
the online comment form while the period runs, and the published 采纳情况.

Mounted from ``config/urls.py`` before the portal's own patterns, under the
``consultations_public`` namespace: ``/<slug>/consultations/...``.  A
commenter's name and contact are stored for the clerk and never shown here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from gongkai.consultations import selectors as consult
from gongkai.consultations.forms import PRIVACY_NOTICE, PublicCommentForm
from gongkai.consultations.services import comment_submit
from gongkai.uploads import download_response

from . import ratelimit
from . import selectors as sel

# A comment of a few KB; anything far larger is not a comment.
MAX_BODY_BYTES = 64 * 1024


def _too_many(verdict: ratelimit.Verdict) -> HttpResponse:
    # Standalone page without database access: under a flood this path stays cheap.
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = HttpResponse(
        render_to_string("portal/consultations/429.html", {"minutes": minutes}), status=429
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@require_safe
def consultation_list(request, slug):
    org = sel.public_organization(slug)
    today = timezone.localdate()
    current, ended = consult.public_lists(org, today)
    return render(
        request,
        "portal/consultations/list.html",
        {
            "org": org,
            "current": [(c, c.phase_label(today)) for c in current],
            "ended": ended,
            "section": "consultations",
        },
    )


def _detail(request, org, consultation, form=None, error="", status=200):
    today = timezone.localdate()
    is_open = consultation.is_open(today)
    if is_open and consultation.accepts_online and form is None:
        form = PublicCommentForm()
    concluded = consultation.status == "concluded"
    return render(
        request,
        "portal/consultations/detail.html",
        {
            "org": org,
            "c": consultation,
            "phase": consultation.phase(today),
            "phase_label": consultation.phase_label(today),
            "body_html": consult.body_html(consultation),
            "attachments": consultation.attachments.all(),
            "form": form if is_open and consultation.accepts_online else None,
            "error": error,
            "privacy_notice": PRIVACY_NOTICE,
            "feedback": consult.feedback(consultation) if concluded else None,
            "section": "consultations",
        },
        status=status,
    )


@require_safe
def consultation_detail(request, slug, pk):
    org = sel.public_organization(slug)
    return _detail(request, org, consult.public_consultation(org, pk))


@require_POST
def comment(request, slug, pk):
    # Size and rate first: a flood is turned away before any form or query work.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return render(request, "portal/413.html", status=413)
    verdict = ratelimit.hit("comment", request)
    if not verdict.allowed:
        return _too_many(verdict)
    org = sel.public_organization(slug)
    consultation = consult.public_consultation(org, pk)
    form = PublicCommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            comment_submit(consultation=consultation, now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                error = "；".join(exc.messages)
        else:
            return redirect("consultations_public:thanks", slug=org.slug, pk=consultation.pk)
    if error and not consultation.is_open(timezone.localdate()):
        # Refused after the end date: the page says so, without the form.
        return _detail(request, org, consultation, error=error, status=403)
    return _detail(request, org, consultation, form=form, error=error, status=400)


@require_safe
def thanks(request, slug, pk):
    org = sel.public_organization(slug)
    consultation = consult.public_consultation(org, pk)
    return render(
        request,
        "portal/consultations/thanks.html",
        {"org": org, "c": consultation, "section": "consultations"},
    )


@require_safe
def attachment(request, slug, pk, attachment_pk):
    org = sel.public_organization(slug)
    consultation = consult.public_consultation(org, pk)
    found = consultation.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404("附件不存在")
    try:
        return download_response(found.path, found.original_name)
    except OSError as exc:
        raise Http404("附件文件暂时无法下载") from exc


app_name = "consultations_public"

urlpatterns = [
    path("<slug:slug>/consultations/", consultation_list, name="list"),
    path("<slug:slug>/consultations/<int:pk>/", consultation_detail, name="detail"),
    path("<slug:slug>/consultations/<int:pk>/comment/", comment, name="comment"),
    path("<slug:slug>/consultations/<int:pk>/thanks/", thanks, name="thanks"),
    path(
        "<slug:slug>/consultations/<int:pk>/attachments/<int:attachment_pk>/",
        attachment,
        name="attachment",
    ),
]
