"""Guards for back-office views: signed in, working in a body, holding a role."""

from __future__ import annotations

import functools

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from gongkai.organizations.permissions import current_organization, has_role, roles_of


def _check(request, roles: tuple[str, ...]):
    org = current_organization(request)
    if org is None:
        raise PermissionDenied("您的账号尚未分配到任何机关，请联系管理员。")
    if roles and not has_role(request.user, org, *roles):
        raise PermissionDenied("您在当前机关没有执行此操作的权限。")
    request.organization = org
    request.roles = roles_of(request.user, org)
    return org


def backoffice_view(*roles: str):
    """Decorate a function view: login required, ``request.organization`` and
    ``request.roles`` set, and (if ``roles`` given) one of them held there."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            _check(request, roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class BackofficeMixin(LoginRequiredMixin):
    """Class-based equivalent of :func:`backoffice_view`; set ``required_roles``."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _check(request, tuple(self.required_roles))
        return super().dispatch(request, *args, **kwargs)
