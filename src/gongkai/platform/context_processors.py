"""Template context for every page: the working body, switcher and navigation."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from gongkai.organizations.permissions import (
    current_organization,
    organizations_visible_to,
    role_labels,
    roles_of,
)

from .extensions import nav_for


def backoffice(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def roles():
        return roles_of(user, current_organization(request))

    return {
        "current_org": SimpleLazyObject(lambda: current_organization(request)),
        "switchable_orgs": SimpleLazyObject(
            lambda: list(organizations_visible_to(user).order_by("name"))
        ),
        "current_roles": SimpleLazyObject(lambda: role_labels(roles())),
        "backoffice_nav": SimpleLazyObject(
            lambda: nav_for(roles(), request.path, is_superuser=user.is_superuser)
        ),
    }
