"""The body's public profile in 本机关设置 (admin role): 机构职能 and 公开制度 text,
领导信息, the public part of each 科室, 政务新媒体 accounts and 公开制度 documents.

Every object is looked up inside ``request.organization`` (another body's id is
a 404) and every write goes through ``organizations.profile``, which checks the
admin role again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.organizations import profile
from gongkai.organizations.models import (
    Leader,
    NewMediaAccount,
    Organization,
    Role,
    RuleDocument,
    Unit,
)
from gongkai.organizations.profile_forms import (
    LeaderForm,
    NewMediaForm,
    ProfileForm,
    RuleDocumentForm,
    UnitPublicForm,
)
from gongkai.uploads import download_response

from ..decorators import backoffice_view


def _page(request, template, context, *, status=200):
    return render(request, f"organizations/{template}", context, status=status)


@backoffice_view(Role.ADMIN)
def profile_edit(request):
    org = request.organization
    form = ProfileForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            profile.organization_update_profile(
                organization=org,
                acting_user=request.user,
                functions=form.cleaned_data["functions"],
                rules_html=form.cleaned_data["rules_html"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存机构职能和公开制度。")
            return redirect("organizations:profile_edit")
    return _page(request, "settings_profile.html", {"form": form, "tab": "profile"})


@backoffice_view(Role.ADMIN)
def leader_list(request, pk: int | None = None):
    org = request.organization
    leader = get_object_or_404(Leader, pk=pk, organization=org) if pk else None
    form = LeaderForm(request.POST or None, instance=leader)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile.leader_save(
                organization=org,
                acting_user=request.user,
                leader=leader,
                name=data["name"],
                title=data["title"],
                duties=data["duties"],
                order=data["order"] or 0,
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存领导信息。")
            return redirect("organizations:leader_list")
    context = {"form": form, "editing": leader, "leaders": org.leaders.all(), "tab": "leaders"}
    return _page(request, "settings_leaders.html", context)


@require_POST
@backoffice_view(Role.ADMIN)
def leader_delete(request, pk: int):
    leader = get_object_or_404(Leader, pk=pk, organization=request.organization)
    profile.leader_delete(leader=leader, acting_user=request.user, now=timezone.now())
    messages.success(request, f"已删除领导信息：{leader.name}")
    return redirect("organizations:leader_list")


@backoffice_view(Role.ADMIN)
def unit_public_edit(request, pk: int):
    org = request.organization
    unit = get_object_or_404(Unit, pk=pk, organization=org)
    form = UnitPublicForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile.unit_update_public(
                unit=unit,
                organization=org,
                acting_user=request.user,
                duties=data["duties"],
                phone=data["phone"],
                order=data["order"] or 0,
                is_public=data["is_public"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存科室“{unit.name}”的公开信息。")
            return redirect("organizations:unit_list")
    return _page(request, "settings_unit_public.html", {"form": form, "unit": unit, "tab": "units"})


@backoffice_view(Role.ADMIN)
def new_media_list(request, pk: int | None = None):
    org = request.organization
    account = get_object_or_404(NewMediaAccount, pk=pk, organization=org) if pk else None
    form = NewMediaForm(request.POST or None, request.FILES or None, instance=account)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                profile.new_media_save(
                    organization=org,
                    acting_user=request.user,
                    account=account,
                    name=data["name"],
                    platform=data["platform"],
                    account_id=data["account_id"],
                    order=data["order"] or 0,
                    qr_file=data["qr"],
                    remove_qr=data["remove_qr"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                form.add_error("qr" if not hasattr(exc, "error_dict") else None, exc)
            else:
                messages.success(request, "已保存政务新媒体账号。")
                return redirect("organizations:new_media_list")
        status = 400
    context = {
        "form": form,
        "editing": account,
        "accounts": org.new_media_accounts.all(),
        "tab": "newmedia",
    }
    return _page(request, "settings_newmedia.html", context, status=status)


@require_POST
@backoffice_view(Role.ADMIN)
def new_media_delete(request, pk: int):
    account = get_object_or_404(NewMediaAccount, pk=pk, organization=request.organization)
    profile.new_media_delete(account=account, acting_user=request.user, now=timezone.now())
    messages.success(request, f"已删除政务新媒体账号：{account.name}")
    return redirect("organizations:new_media_list")


@backoffice_view(Role.ADMIN)
def rule_document_list(request):
    org = request.organization
    form = RuleDocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                profile.rule_document_add(
                    organization=org,
                    acting_user=request.user,
                    title=data["title"],
                    document_number=data["document_number"],
                    issued_on=data["issued_on"],
                    order=data["order"] or 0,
                    file=data["file"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                form.add_error("file" if not hasattr(exc, "error_dict") else None, exc)
            else:
                messages.success(request, "已上传公开制度文件。")
                return redirect("organizations:rule_document_list")
        status = 400
    context = {"form": form, "documents": org.rule_documents.all(), "tab": "rules"}
    return _page(request, "settings_rules.html", context, status=status)


@require_POST
@backoffice_view(Role.ADMIN)
def rule_document_delete(request, pk: int):
    document = get_object_or_404(RuleDocument, pk=pk, organization=request.organization)
    profile.rule_document_delete(document=document, acting_user=request.user, now=timezone.now())
    messages.success(request, f"已删除公开制度文件：{document.title}")
    return redirect("organizations:rule_document_list")


@backoffice_view(Role.ADMIN)
def rule_document_download(request, pk: int):
    document = get_object_or_404(RuleDocument, pk=pk, organization=request.organization)
    return download_response(document.path, document.original_name)
