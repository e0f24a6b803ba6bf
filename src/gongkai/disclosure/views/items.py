"""Back-office views of items: list, create/edit, detail, the workflow steps, channels."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors, message_errors
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import download_response

from .. import permissions as perms
from .. import selectors, services
from ..bulletin import bulletin_docx
from ..forms import CommentForm, ItemFilterForm, ItemForm, PublicationForm, ReasonForm
from ..models import Attachment, Item
from ..permissions import EDIT_ROLES
from ..workflow import ITEM

S = Item.Status


def _item(request, pk: int) -> Item:
    return get_object_or_404(
        perms.items_visible_to(request.user).select_related(
            "organization", "category", "unit", "created_by", "interprets"
        ),
        pk=pk,
    )


@backoffice_view()
def item_list(request):
    org = request.organization
    form = ItemFilterForm(request.GET or None, organization=org)
    qs = (
        Item.objects.filter(organization=org)
        .select_related("category", "unit", "created_by")
        .order_by("-updated_at", "-pk")
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(title__icontains=data["q"]) | Q(document_number__icontains=data["q"]))
        for name in ("status", "kind", "category", "unit"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
        if data["year"]:
            qs = qs.filter(formed_on__year=data["year"])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/item_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "can_create": perms.can_create(request.user, org),
        },
    )


@backoffice_view(*EDIT_ROLES)
def item_create(request):
    org = request.organization
    instance = Item(organization=org, created_by=request.user)
    form = ItemForm(
        request.POST or None, request.FILES or None, instance=instance, organization=org
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                organization=org,
                acting_user=request.user,
                data=form.item_data(),
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交保密审查。")
            return redirect(item)
    return render(request, "disclosure/item_form.html", {"form": form, "item": None})


@backoffice_view()
def item_edit(request, pk: int):
    item = _item(request, pk)
    if not perms.can_edit(request.user, item):
        raise PermissionDenied("只有经办人可以修改草稿或退回的信息。")
    form = ItemForm(
        request.POST or None, request.FILES or None, instance=item, organization=item.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_update(
                item=item,
                acting_user=request.user,
                data=form.item_data(),
                files=form.cleaned_data["attachments"],
                remove_attachment_ids=[a.pk for a in form.cleaned_data["remove_attachments"]],
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "已保存修改。")
            return redirect(item)
    return render(request, "disclosure/item_form.html", {"form": form, "item": item})


@dataclass(frozen=True)
class _Step:
    """How a workflow action shows on the item page: a POST button, or a link to
    the page where the action (and its alternatives) is decided."""

    url_name: str
    label: str = ""  # the table's label when empty
    style: str = ""
    post: bool = False


# Action (``workflow.ITEM``) -> button.  Review and approval open their page,
# where passing or returning is chosen: several actions share one button.
_STEPS: dict[str, _Step] = {
    "submit": _Step("disclosure:item_submit", style="button-primary", post=True),
    "review_pass": _Step("disclosure:item_review", label="保密审查", style="button-primary"),
    "approve": _Step("disclosure:item_approval", label="审批", style="button-primary"),
    "record": _Step("disclosure:item_approval", label="审批", style="button-primary"),
    "withdraw": _Step("disclosure:item_withdraw", style="button-danger"),
}
# Who may take each action (``return`` is offered on the review/approval page).
_MAY = {
    "submit": perms.can_submit,
    "review_pass": perms.can_review,
    "approve": perms.can_approve,
    "record": perms.can_approve,
    "withdraw": perms.can_withdraw,
}


def _workflow_buttons(user, item: Item) -> list[dict]:
    """The item page's workflow buttons: the actions ``ITEM`` allows from the
    item's state, in the table's order, that ``user`` may take."""
    buttons: list[dict] = []
    for t in ITEM.allowed(item.status):
        step = _STEPS.get(t.action)
        if step is None or not _MAY[t.action](user, item):
            continue
        url = reverse(step.url_name, args=[item.pk])
        if any(b["url"] == url for b in buttons):
            continue
        buttons.append(
            {"url": url, "label": step.label or t.label, "style": step.style, "post": step.post}
        )
    return buttons


def _actions(user, item: Item) -> dict:
    return {
        "edit": perms.can_edit(user, item),
        "steps": _workflow_buttons(user, item),
        "mask": perms.can_mask(user, item),
        "publication": perms.can_record_publication(user, item),
        "bulletin": item.status == S.PUBLISHED,
        "return_comment": item.return_comment if item.status == S.RETURNED else "",
        # Who is the item waiting for, when it is not this user.
        "waiting": (
            "正在保密审查，等待审查人员处理。"
            if item.status == S.IN_REVIEW and not perms.can_review(user, item)
            else "已通过保密审查，等待领导审批。"
            if item.status == S.IN_APPROVAL and not perms.can_approve(user, item)
            else ""
        ),
    }


@backoffice_view()
def item_detail(request, pk: int):
    item = _item(request, pk)
    deadline = selectors.publication_deadline(item)
    late = selectors.publication_late(item, timezone.localdate(), deadline)
    return render(
        request,
        "disclosure/item_detail.html",
        {
            "item": item,
            "actions": _actions(request.user, item),
            "events": selectors.history_for(item),
            "deadline": deadline,
            "late": late,
            "attachments": item.attachments.all(),
            "publications": item.publications.select_related("recorded_by"),
            "interpretations": item.interpretations.all(),
            # 政策解读: its sections, 简明问答, 图解 and videos (None for other kinds).
            "package": selectors.interpretation_package(item),
            "publication_form": PublicationForm(initial={"published_on": timezone.localdate()}),
            "comment_form": CommentForm(),
        },
    )


def _run(request, item: Item, fn, success: str, **kwargs):
    try:
        fn(item=item, acting_user=request.user, **kwargs)
    except ValidationError as exc:
        message_errors(request, exc, joined="；")
        return False
    messages.success(request, success)
    return True


@require_POST
@backoffice_view()
def item_submit(request, pk: int):
    item = _item(request, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    _run(
        request,
        item,
        services.item_submit,
        "已提交保密审查。",
        comment=form.cleaned_data.get("comment", ""),
        now=timezone.now(),
    )
    return redirect(item)


@backoffice_view()
def item_review(request, pk: int):
    """The 保密审查 page: the text, attachments and the privacy scanner's hits."""
    item = _item(request, pk)
    if not perms.can_review(request.user, item):
        raise PermissionDenied("这条信息不在您的审查范围内。")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        if "return" in request.POST:
            ok = _run(
                request,
                item,
                services.item_return,
                "已退回经办人。",
                comment=comment,
                now=timezone.now(),
            )
        else:
            ok = _run(
                request,
                item,
                services.item_review_pass,
                "审查通过，已送领导审批。",
                comment=comment,
                now=timezone.now(),
            )
        if ok:
            return redirect(item)
    return render(
        request,
        "disclosure/item_review.html",
        {
            "item": item,
            "form": form,
            "hits": services.privacy_hits(item),
            "attachments": item.attachments.all(),
            "events": selectors.history_for(item),
        },
    )


@backoffice_view()
def item_approval(request, pk: int):
    item = _item(request, pk)
    if not perms.can_approve(request.user, item):
        raise PermissionDenied("这条信息不在您的审批范围内。")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        if "return" in request.POST:
            ok = _run(
                request,
                item,
                services.item_return,
                "已退回经办人。",
                comment=comment,
                now=timezone.now(),
            )
        else:
            success = (
                "已批准并公开。"
                if item.attribute == Item.Attribute.PROACTIVE
                else "已审定（不主动公开）。"
            )
            ok = _run(
                request, item, services.item_approve, success, comment=comment, now=timezone.now()
            )
        if ok:
            return redirect(item)
    return render(
        request,
        "disclosure/item_approval.html",
        {
            "item": item,
            "form": form,
            "hits": services.privacy_hits(item),
            "attachments": item.attachments.all(),
            "events": selectors.history_for(item),
            "deadline": selectors.publication_deadline(item),
        },
    )


@backoffice_view()
def item_withdraw(request, pk: int):
    item = _item(request, pk)
    if not perms.can_withdraw(request.user, item):
        raise PermissionDenied("只有审批领导可以撤回已公开的信息。")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            item,
            services.item_withdraw,
            "已撤回。",
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ):
            return redirect(item)
    return render(request, "disclosure/item_withdraw.html", {"item": item, "form": form})


@require_POST
@backoffice_view()
def item_mask(request, pk: int):
    item = _item(request, pk)
    before = item.body
    if _run(request, item, services.item_mask_personal_data, "已将正文中的个人信息打码。"):
        item.refresh_from_db()
        if item.body == before:
            messages.info(request, "正文中没有发现需要打码的个人信息。")
    target = (
        "disclosure:item_review"
        if perms.can_review(request.user, item)
        else "disclosure:item_detail"
    )
    return redirect(target, pk=item.pk)


@require_POST
@backoffice_view()
def item_publication_add(request, pk: int):
    item = _item(request, pk)
    if not perms.can_record_publication(request.user, item):
        raise PermissionDenied("您不能为这条信息登记发布渠道。")
    form = PublicationForm(request.POST)
    if form.is_valid():
        _run(
            request,
            item,
            services.publication_record,
            "已登记发布渠道。",
            channel=form.cleaned_data["channel"],
            published_on=form.cleaned_data["published_on"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(
            request, "登记失败：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(item)


@backoffice_view()
def item_bulletin(request, pk: int):
    """The A4 notice for the bulletin board (公示栏), as DOCX."""
    item = _item(request, pk)
    if item.status != Item.Status.PUBLISHED:
        raise Http404("只有已公开的信息才能打印公示。")
    content = bulletin_docx(item, issued_on=timezone.localdate(item.published_at))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="bulletin-{item.pk}.docx"'
    return response


@backoffice_view()
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.filter(item__in=perms.items_visible_to(request.user)), pk=pk
    )
    return download_response(attachment.path, attachment.original_name)


@backoffice_view()
def timeliness(request):
    """条例第二十六条: overdue, due-soon and late-published proactive items."""
    org = request.organization
    today = timezone.localdate()
    rows = selectors.timeliness_rows(org, today)
    return render(
        request,
        "disclosure/timeliness.html",
        {
            "rows": rows,
            "today": today,
            "without_interpretation": selectors.policies_awaiting_interpretation(org, today),
            "interpretation_delays": selectors.interpretation_delays(org),
            "interpretation_limit": selectors.interpretation_max_workdays(),
            "publishing_settings": services.publishing_settings_for(org),
            "can_configure_publishing": services.can_configure_publishing(request.user, org),
            "has_provisional": any(r.provisional for r in rows),
        },
    )
