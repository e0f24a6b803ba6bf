"""Back office: the files released with the answer and the 送达 record
(applications.delivery).  The section itself is rendered on the detail page
(template applications/_delivery.html)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import message_errors
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import download_response

from .. import delivery
from ..delivery_forms import ReleasedDocumentForm, ServiceForm
from ..models import Application, ReleasedDocument
from ..permissions import applications_visible_to, can_handle, can_see_personal_data

SECTION = "#delivery"


def _get_visible(request, pk: int) -> Application:
    return get_object_or_404(
        applications_visible_to(request.user).select_related("organization"), pk=pk
    )


def _back(application: Application):
    return redirect(application.get_absolute_url() + SECTION)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@backoffice_view()
def released_document_upload(request, pk: int):
    application = _get_visible(request, pk)
    if not can_handle(request.user, application):
        raise PermissionDenied("您没有办理该申请的权限（监督岗位只能查看）。")
    form = ReleasedDocumentForm(request.POST, request.FILES, prefix="release")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(application)
    try:
        added = delivery.released_document_add(
            application=application,
            files=form.cleaned_data["files"],
            acting_user=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        message_errors(request, exc)
        return _back(application)
    messages.success(request, f"已上传 {len(added)} 个文件。")
    for document in added:
        if document.privacy_hits:
            found = "、".join(f"{h['label']}{h['count']}处" for h in document.privacy_hits)
            messages.warning(
                request,
                f"{document.original_name}：个人信息扫描发现{found}。"
                "提供给申请人前请确认不含第三方个人隐私（条例第十五条），必要时区分处理后重新上传（条例第三十七条）。",
            )
    return _back(application)


@require_POST
@backoffice_view()
def released_document_remove(request, pk: int, document_pk: int):
    application = _get_visible(request, pk)
    document = get_object_or_404(ReleasedDocument, pk=document_pk, application=application)
    try:
        delivery.released_document_remove(
            document=document, acting_user=request.user, now=timezone.now()
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"已删除 {document.original_name}。")
    return _back(application)


@backoffice_view()
def released_document_download(request, pk: int, document_pk: int):
    application = _get_visible(request, pk)
    # Released files carry the applicant's own information: the body's own staff only.
    if not can_see_personal_data(request.user, application):
        raise PermissionDenied("文件仅本机关工作人员可以下载。")
    document = get_object_or_404(ReleasedDocument, pk=document_pk, application=application)
    return download_response(document.path, document.original_name)


@require_POST
@backoffice_view()
def delivery_record(request, pk: int):
    application = _get_visible(request, pk)
    form = ServiceForm(request.POST, prefix="service")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(application)
    data = form.cleaned_data
    try:
        delivery.delivery_record_service(
            application=application,
            method=data["method"],
            served_on=data["served_on"],
            note=data["note"],
            acting_user=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"已登记送达（{data['served_on']:%Y-%m-%d}）。")
    return _back(application)


def delivery_context(application: Application, *, handle: bool, today) -> dict:
    """What the detail page's 送达 section (applications/_delivery.html) needs."""
    return {
        "delivery": delivery.delivery_for_backoffice(application),
        "release_form": ReleasedDocumentForm(prefix="release") if handle else None,
        "service_form": ServiceForm(
            prefix="service", initial={"method": application.delivery, "served_on": today}
        )
        if handle
        else None,
    }
