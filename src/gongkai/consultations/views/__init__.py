"""Back-office pages for 意见征集.

Each view parses input, checks the role, calls one service, then renders or
redirects.  Records of other bodies are out of reach through the querysets of
``permissions`` (a 404, not a 403, so their existence is not disclosed).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from gongkai.core.responses import add_errors, message_errors
from gongkai.organizations.models import Role
from gongkai.organizations.permissions import organizations_visible_to
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import download_response

from .. import selectors as sel
from ..forms import (
    ConsultationForm,
    DecideForm,
    FeedbackForm,
    ModerateForm,
    RecordCommentForm,
    ReturnForm,
    SettingsForm,
)
from ..models import Comment, CommentStatus, Status
from ..permissions import (
    can_approve,
    can_change_settings,
    can_handle,
    can_see_commenter,
    comments_visible_to,
    consultations_visible_to,
)
from ..selectors import body_html
from ..services import (
    comment_decide,
    comment_moderate,
    comment_record,
    consultation_approve,
    consultation_create,
    consultation_publish_feedback,
    consultation_return,
    consultation_submit,
    consultation_update,
    default_end,
    settings_for,
    settings_save,
)
from ..workflow import CONSULTATION, EDITABLE_STATES


@require_safe
@backoffice_view()
def consultation_list(request):
    qs = consultations_visible_to(request.user).select_related("organization")
    all_bodies = request.GET.get("scope") == "all"
    if not all_bodies:
        qs = qs.filter(organization=request.organization)
    today = timezone.localdate()
    return render(
        request,
        "consultations/list.html",
        {
            "consultations": [(c, c.phase(today)) for c in qs],
            "all_bodies": all_bodies,
            "can_handle": can_handle(request.user, request.organization),
            "can_change_settings": can_change_settings(request.user, request.organization),
        },
    )


@backoffice_view()
def consultation_create_view(request):
    org = request.organization
    if not can_handle(request.user, org):
        raise PermissionDenied("只有本机关的经办人可以起草意见征集。")
    start = timezone.localdate()
    initial = {
        "start_on": start,
        "end_on": default_end(start_on=start, is_major=False, settings=settings_for(org)),
        "accepts_online": True,
        "body_format": "plain",
        "mail_address": " ".join(
            v for v in (org.office_postcode, org.office_address, org.office_name) if v
        ),
        "email": org.office_email,
        "fax": org.office_fax,
    }
    form = ConsultationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_create(
                organization=org,
                acting_user=request.user,
                draft=form.draft(),
                files=form.cleaned_data["attachments"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已保存草稿。")
            return redirect(consultation.get_absolute_url())
    return render(request, "consultations/form.html", {"form": form, "consultation": None})


def _visible(request, pk):
    return get_object_or_404(
        consultations_visible_to(request.user).select_related("organization", "final_item"), pk=pk
    )


@backoffice_view()
def consultation_edit(request, pk: int):
    consultation = _visible(request, pk)
    if not can_handle(request.user, consultation.organization):
        raise PermissionDenied("只有本机关的经办人可以修改意见征集。")
    if consultation.status not in EDITABLE_STATES:
        messages.error(request, f"当前状态为“{consultation.status_label}”，不能修改。")
        return redirect(consultation.get_absolute_url())
    form = ConsultationForm(
        request.POST or None,
        request.FILES or None,
        initial=ConsultationForm.initial_for(consultation),
        consultation=consultation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation_update(
                consultation=consultation,
                acting_user=request.user,
                draft=form.draft(),
                files=form.cleaned_data["attachments"],
                remove_attachment_ids=[
                    a.pk for a in form.cleaned_data.get("remove_attachments") or []
                ],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已保存修改。")
            return redirect(consultation.get_absolute_url())
    return render(request, "consultations/form.html", {"form": form, "consultation": consultation})


@require_safe
@backoffice_view()
def consultation_detail(request, pk: int):
    consultation = _visible(request, pk)
    org = consultation.organization
    today = timezone.localdate()
    handler = can_handle(request.user, org)
    ended = consultation.is_public and consultation.phase(today) == "ended"
    comments = list(consultation.comments.all())
    steps = []
    for t in CONSULTATION.allowed(consultation.status):
        if t.action == "submit" and handler:
            steps.append(t)
        elif t.action in ("approve", "return") and can_approve(request.user, org):
            steps.append(t)
    context = {
        "consultation": consultation,
        "today_phase": consultation.phase_label(today) if consultation.is_public else "",
        "handler": handler,
        "personal": can_see_commenter(request.user, consultation),
        "comments": comments,
        "steps": steps,
        "return_form": ReturnForm(),
        "editable": handler and consultation.status in EDITABLE_STATES,
        "live": consultation.status == Status.PUBLISHED,
        "ended": ended,
        "record_form": RecordCommentForm(initial={"received_on": today})
        if handler and consultation.status == Status.PUBLISHED
        else None,
        "moderate_form": ModerateForm(),
        "decide_form": DecideForm(),
        "feedback_form": FeedbackForm(organization=org)
        if handler and ended and consultation.status == Status.PUBLISHED
        else None,
        "feedback": sel.feedback(consultation) if consultation.is_public else None,
        "due": sel.feedback_due(consultation) if ended else None,
        "pending": sum(1 for c in comments if c.status == CommentStatus.PENDING),
        "body_html": body_html(consultation),
    }
    return render(request, "consultations/detail.html", context)


@require_POST
@backoffice_view()
def consultation_step(request, pk: int, action: str):
    consultation = _visible(request, pk)
    now = timezone.now()
    try:
        if action == "submit":
            consultation_submit(consultation=consultation, acting_user=request.user, now=now)
            messages.success(request, "已提交审批。")
        elif action == "approve":
            consultation_approve(consultation=consultation, acting_user=request.user, now=now)
            messages.success(request, "已审批通过并在门户网站发布。")
        elif action == "return":
            form = ReturnForm(request.POST)
            comment = form.data.get("comment", "") if form.is_bound else ""
            consultation_return(
                consultation=consultation, acting_user=request.user, comment=comment, now=now
            )
            messages.success(request, "已退回经办人。")
        else:
            raise Http404("没有这个操作。")
    except ValidationError as exc:
        message_errors(request, exc)
    return redirect(consultation.get_absolute_url())


@require_POST
@backoffice_view()
def comment_record_view(request, pk: int):
    consultation = _visible(request, pk)
    if not can_handle(request.user, consultation.organization):
        raise PermissionDenied("只有本机关的经办人可以登记意见。")
    form = RecordCommentForm(request.POST)
    if form.is_valid():
        try:
            comment_record(
                consultation=consultation,
                acting_user=request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, "已登记意见。")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(consultation.get_absolute_url())


def _comment(request, pk: int, comment_pk: int) -> Comment:
    return get_object_or_404(
        comments_visible_to(request.user).select_related("consultation__organization"),
        pk=comment_pk,
        consultation_id=pk,
    )


@require_POST
@backoffice_view()
def comment_moderate_view(request, pk: int, comment_pk: int):
    comment = _comment(request, pk, comment_pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择受理或不予受理。")
    else:
        try:
            comment_moderate(
                comment=comment,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, "已审核。")
    return redirect(comment.consultation.get_absolute_url() + f"#comment-{comment.pk}")


@require_POST
@backoffice_view()
def comment_decide_view(request, pk: int, comment_pk: int):
    comment = _comment(request, pk, comment_pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳、部分采纳或未采纳。")
    else:
        try:
            comment_decide(
                comment=comment, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, "已登记采纳情况。")
    return redirect(comment.consultation.get_absolute_url() + f"#comment-{comment.pk}")


@require_POST
@backoffice_view()
def feedback_publish_view(request, pk: int):
    consultation = _visible(request, pk)
    form = FeedbackForm(request.POST, organization=consultation.organization)
    if not form.is_valid():
        messages.error(request, "请选择已公开的最终决策文件。")
    else:
        try:
            consultation_publish_feedback(
                consultation=consultation,
                acting_user=request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, "已公布意见采纳情况。")
    return redirect(consultation.get_absolute_url())


@require_safe
@backoffice_view()
def attachment_download(request, pk: int, attachment_pk: int):
    consultation = _visible(request, pk)
    attachment = get_object_or_404(consultation.attachments, pk=attachment_pk)
    try:
        return download_response(attachment.path, attachment.original_name)
    except OSError as exc:
        raise Http404("附件文件暂时无法下载。") from exc


@backoffice_view()
def settings_view(request):
    org = request.organization
    if not can_change_settings(request.user, org):
        raise PermissionDenied("只有本机关的管理员或公开办负责人可以修改意见征集设置。")
    current = settings_for(org)
    form = SettingsForm(
        request.POST or None,
        initial={
            "ordinary_min_days": current.ordinary_min_days,
            "ordinary_default_days": current.ordinary_default_days,
            "feedback_workdays": current.feedback_workdays,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(
                organization=org, acting_user=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc, fields=True)
        else:
            messages.success(request, "已保存意见征集设置。")
            return redirect("consultations:list")
    return render(request, "consultations/settings.html", {"form": form})


@require_safe
@backoffice_view()
def supervision(request):
    """Per body under the supervisor: consultations published in the year and the
    state of their 采纳情况 (overdue flagged)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    orgs = organizations_visible_to(request.user)
    if Role.SUPERVISOR not in request.roles:
        orgs = orgs.filter(pk=request.organization.pk)
    rows = sel.supervision_rows(orgs, year=year, today=today)
    return render(
        request,
        "consultations/supervision.html",
        {"rows": rows, "year": year, "years": range(today.year, today.year - 5, -1)},
    )
