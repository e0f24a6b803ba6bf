"""Back-office pages of the dedicated columns: 行政事业性收费 items (条例第二十条
第（八）项) and 建议提案办理结果.  Rows are looked up inside the current body."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.errors import Forbidden
from gongkai.platform.decorators import backoffice_view

from ..column_forms import FeeItemForm, ProposalReplyForm
from ..models import FeeItem, ProposalReply
from ..permissions import MAINTAIN_ROLES, can_maintain
from ..services import columns as services


@backoffice_view()
def fee_list(request, pk: int | None = None):
    org = request.organization
    allowed = can_maintain(request.user, org)
    fee = get_object_or_404(FeeItem, pk=pk, organization=org) if pk else None
    form = FeeItemForm(request.POST or None, instance=fee) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise Forbidden("您不能维护本机关的收费项目和建议提案办理结果。")
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in FeeItemForm.Meta.fields}
            data["order"] = data["order"] or 0
            try:
                services.fee_item_save(
                    organization=org,
                    acting_user=request.user,
                    fee=FeeItem.objects.get(pk=fee.pk) if fee else None,
                    data=data,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存收费项目。")
                return redirect("disclosure:fee_list")
    context = {
        "fees": org.fee_items.all(),
        "form": form,
        "editing": fee,
        "can_maintain": allowed,
        "today": timezone.localdate(),
    }
    return render(request, "disclosure/fees.html", context)


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def fee_delete(request, pk: int):
    fee = get_object_or_404(FeeItem, pk=pk, organization=request.organization)
    services.fee_item_delete(fee=fee, acting_user=request.user, now=timezone.now())
    messages.success(request, f"已删除收费项目：{fee.name}")
    return redirect("disclosure:fee_list")


@backoffice_view()
def proposal_list(request, pk: int | None = None):
    org = request.organization
    allowed = can_maintain(request.user, org)
    reply = get_object_or_404(ProposalReply, pk=pk, organization=org) if pk else None
    form = (
        ProposalReplyForm(request.POST or None, instance=reply, organization=org)
        if allowed
        else None
    )
    if request.method == "POST":
        if not allowed:
            raise Forbidden("您不能维护本机关的收费项目和建议提案办理结果。")
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ProposalReplyForm.Meta.fields}
            try:
                services.proposal_reply_save(
                    organization=org,
                    acting_user=request.user,
                    reply=ProposalReply.objects.get(pk=reply.pk) if reply else None,
                    data=data,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存建议提案办理结果。")
                return redirect("disclosure:proposal_list")
    context = {
        "replies": org.proposal_replies.select_related("item"),
        "form": form,
        "editing": reply,
        "can_maintain": allowed,
    }
    return render(request, "disclosure/proposals.html", context)


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def proposal_delete(request, pk: int):
    reply = get_object_or_404(ProposalReply, pk=pk, organization=request.organization)
    services.proposal_reply_delete(reply=reply, acting_user=request.user, now=timezone.now())
    messages.success(request, f"已删除：{reply}")
    return redirect("disclosure:proposal_list")
