"""The back-office dashboard and the switch between the bodies a user works in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.organizations.forms import SwitchOrganizationForm
from gongkai.organizations.models import Membership
from gongkai.organizations.permissions import (
    current_organization,
    organizations_visible_to,
    roles_of,
    set_current_organization,
)

from ..extensions import dashboard_widgets


@never_cache
@login_required
def dashboard(request):
    org = current_organization(request)
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organization", "unit")
        .order_by("organization__name", "role")
    )
    by_org: dict[int, dict] = {}
    for m in memberships:
        entry = by_org.setdefault(
            m.organization_id, {"organization": m.organization, "roles": [], "units": set()}
        )
        entry["roles"].append(m.get_role_display())
        if m.unit:
            entry["units"].add(m.unit.name)
    roles = roles_of(request.user, org)
    widgets = dashboard_widgets(request, org, roles) if org is not None else []
    return render(
        request,
        "organizations/dashboard.html",
        {"memberships": list(by_org.values()), "widgets": widgets, "organization": org},
    )


@require_POST
@login_required
def switch_organization(request):
    form = SwitchOrganizationForm(request.POST)
    target = reverse("organizations:dashboard")
    if form.is_valid():
        nxt = form.cleaned_data["next"]
        if nxt and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = nxt
        org = (
            organizations_visible_to(request.user)
            .filter(pk=form.cleaned_data["organization"])
            .first()
        )
        if org is None:
            raise PermissionDenied("您无权切换到该机关。")
        set_current_organization(request, org)
        messages.success(request, f"已切换到：{org.name}")
    else:
        messages.error(request, "请选择要切换的机关。")
    return HttpResponseRedirect(target)
