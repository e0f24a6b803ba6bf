"""The pages listing the bodies a user can see and one body's units and people."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from gongkai.organizations.models import Membership, Role
from gongkai.organizations.permissions import has_role, organizations_visible_to

from ..decorators import backoffice_view


@backoffice_view()
def organization_list(request):
    orgs = organizations_visible_to(request.user).select_related("parent").order_by("level", "name")
    return render(request, "organizations/organization_list.html", {"organizations": orgs})


@backoffice_view()
def organization_detail(request, slug: str):
    org = organizations_visible_to(request.user).filter(slug=slug).first()
    if org is None:
        raise Http404("没有找到该机关。")
    can_see_people = has_role(request.user, org, Role.ADMIN, Role.OFFICE_HEAD, Role.SUPERVISOR)
    people = (
        Membership.objects.filter(organization=org)
        .select_related("user", "unit")
        .order_by("role", "user__username")
        if can_see_people
        else Membership.objects.none()
    )
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "org": org,
            "units": org.units.order_by("name"),
            "people": people,
            "can_see_people": can_see_people,
            "children": org.children.filter(is_active=True).order_by("name"),
        },
    )
