"""The body's own settings (admin role): 指南 contact details, units and people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.responses import message_errors
from gongkai.organizations.forms import GrantForm, NewUserForm, OfficeForm, UnitForm
from gongkai.organizations.models import Membership, Organization, Role, Unit
from gongkai.organizations.services import (
    OFFICE_FIELDS,
    is_self_grant,
    membership_grant,
    membership_revoke,
    organization_update_office,
    unit_create,
    unit_set_active,
    user_create_with_role,
)

from ..decorators import backoffice_view


@backoffice_view(Role.ADMIN)
def office_edit(request):
    org = request.organization
    form = OfficeForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            organization_update_office(
                organization=org,
                acting_user=request.user,
                values={name: form.cleaned_data[name] for name in OFFICE_FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存政府信息公开工作机构信息。")
            return redirect("organizations:office_edit")
    return render(request, "organizations/settings_office.html", {"form": form})


@backoffice_view(Role.ADMIN)
def unit_list(request):
    org = request.organization
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_create(
                organization=org, name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, f"已添加科室：{unit.name}")
            return redirect("organizations:unit_list")
    units = org.units.order_by("-is_active", "name")
    return render(request, "organizations/settings_units.html", {"form": form, "units": units})


@require_POST
@backoffice_view(Role.ADMIN)
def unit_toggle(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk, organization=request.organization)
    unit_set_active(unit=unit, is_active=not unit.is_active, acting_user=request.user)
    messages.success(request, f"科室“{unit.name}”已{'启用' if unit.is_active else '停用'}。")
    return redirect("organizations:unit_list")


def _people_page(request, *, grant_form=None, user_form=None, status=200):
    org = request.organization
    people = (
        Membership.objects.filter(organization=org)
        .select_related("user", "unit")
        .order_by("user__username", "role")
    )
    return render(
        request,
        "organizations/settings_people.html",
        {
            "people": people,
            "grant_form": grant_form or GrantForm(organization=org, acting_user=request.user),
            "user_form": user_form or NewUserForm(organization=org, acting_user=request.user),
        },
        status=status,
    )


@backoffice_view(Role.ADMIN)
def people(request):
    return _people_page(request)


@require_POST
@backoffice_view(Role.ADMIN)
def membership_grant_view(request):
    org = request.organization
    form = GrantForm(request.POST, organization=org, acting_user=request.user)
    if form.is_valid():
        try:
            membership_grant(
                organization=org,
                user=form.user,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已为 {form.user.get_username()} 添加岗位。")
            if is_self_grant(form.user, request.user):
                messages.warning(
                    request,
                    "您给自己授予了岗位：已记入审计记录，上级监督机关在工作台可以看到。"
                    "起草、保密审查和审批仍须由不同的人完成。",
                )
            return redirect("organizations:people")
    return _people_page(request, grant_form=form, status=400)


@require_POST
@backoffice_view(Role.ADMIN)
def user_create_view(request):
    org = request.organization
    form = NewUserForm(request.POST, organization=org, acting_user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create_with_role(
                organization=org,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                role=data["role"],
                unit=data["unit"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建账号 {user.get_username()}。")
            return redirect("organizations:people")
    return _people_page(request, user_form=form, status=400)


@require_POST
@backoffice_view(Role.ADMIN)
def membership_revoke_view(request, pk: int):
    membership = get_object_or_404(Membership, pk=pk, organization=request.organization)
    label = f"{membership.user.get_username()} 的{membership.get_role_display()}岗位"
    try:
        membership_revoke(membership=membership, acting_user=request.user)
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"已撤销 {label}。")
    return redirect("organizations:people")
