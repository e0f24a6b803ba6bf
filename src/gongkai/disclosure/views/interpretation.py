"""Back-office pages of the 政策解读 package and the body's publishing settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors, message_errors
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import download_response

from .. import permissions as perms
from .. import selectors, services
from ..forms import FigureForm, InterpretationForm, PublishingSettingsForm, QAFormSet, VideoFormSet
from ..models import InterpretationFigure, Item


def _interpretation(request, pk: int) -> Item:
    return get_object_or_404(
        perms.items_visible_to(request.user).select_related("organization", "interprets"),
        pk=pk,
        kind=Item.Kind.INTERPRETATION,
    )


@backoffice_view()
def interpretation_edit(request, pk: int):
    """背景/目的/主要举措, 简明问答 and video links of a 政策解读 (draft or returned)."""
    item = _interpretation(request, pk)
    if not perms.can_edit(request.user, item):
        raise PermissionDenied("只有经办人可以修改草稿或退回的政策解读。")
    package = selectors.interpretation_package(item)
    content = package.content
    initial = (
        {"background": content.background, "purpose": content.purpose, "measures": content.measures}
        if content
        else None
    )
    data = request.POST if request.method == "POST" else None
    form = InterpretationForm(data, initial=initial)
    qa = QAFormSet(data, prefix="qa", initial=package.qa or None)
    videos = VideoFormSet(data, prefix="video", initial=package.videos or None)
    if request.method == "POST" and form.is_valid() and qa.is_valid() and videos.is_valid():
        try:
            services.interpretation_save(
                item=item,
                acting_user=request.user,
                **form.cleaned_data,
                qa=[f.cleaned_data for f in qa.forms if f.cleaned_data],
                videos=[f.cleaned_data for f in videos.forms if f.cleaned_data],
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "已保存解读材料。")
            return redirect(item)
    return render(
        request,
        "disclosure/interpretation_form.html",
        {
            "item": item,
            "form": form,
            "qa": qa,
            "videos": videos,
            "figures": package.figures,
            "figure_form": FigureForm(),
        },
    )


@require_POST
@backoffice_view()
def interpretation_figure_add(request, pk: int):
    item = _interpretation(request, pk)
    form = FigureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.interpretation_figure_add(
                item=item,
                acting_user=request.user,
                file=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            message_errors(request, exc, joined="；")
        else:
            messages.success(request, "已上传图解。")
    else:
        messages.error(
            request, "上传失败：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("disclosure:interpretation_edit", pk=item.pk)


@require_POST
@backoffice_view()
def interpretation_figure_remove(request, pk: int, figure_pk: int):
    item = _interpretation(request, pk)
    figure = get_object_or_404(InterpretationFigure, pk=figure_pk, item=item)
    try:
        services.interpretation_figure_remove(figure=figure, acting_user=request.user)
    except ValidationError as exc:
        message_errors(request, exc, joined="；")
    else:
        messages.success(request, "已删除图解。")
    return redirect("disclosure:interpretation_edit", pk=item.pk)


@backoffice_view()
def interpretation_figure(request, pk: int, figure_pk: int):
    """A 图解 image for the back office (any state the user may see)."""
    item = _interpretation(request, pk)
    figure = get_object_or_404(InterpretationFigure, pk=figure_pk, item=item)
    return download_response(figure.path, figure.original_name)


@require_POST
@backoffice_view()
def publishing_settings(request):
    org = request.organization
    form = PublishingSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("disclosure:timeliness")
    services.publishing_settings_update(
        organization=org, acting_user=request.user, **form.cleaned_data
    )
    messages.success(request, "已保存发布设置。")
    return redirect("disclosure:timeliness")
