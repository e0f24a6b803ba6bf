"""Who may see and do what, in one place.

Every back-office queryset goes through :func:`scope_to_user` (or
:func:`organizations_visible_to`), so access to another body's records is
denied by the query itself, not by a check a view might forget.

Rules:
- a user sees the bodies where they hold any membership;
- a ``supervisor`` membership also shows every body below (read-only);
- a superuser sees every body and holds every role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet

from .models import Membership, Organization, Role, descendant_ids_of

M = TypeVar("M", bound=Model)

SESSION_KEY = "gongkai_organization_id"
ALL_ROLES = frozenset(Role.values)
# Roles that may change records (everything but the read-only supervisor).
WRITE_ROLES = frozenset(ALL_ROLES - {Role.SUPERVISOR})


def _is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def visible_organization_ids(user) -> set[int]:
    """Ids of the bodies ``user`` may see; cached on the user object per request."""
    if not _is_authenticated(user):
        return set()
    cached = getattr(user, "_gongkai_visible_org_ids", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = set(Organization.objects.values_list("pk", flat=True))
    else:
        rows = list(
            Membership.objects.filter(user=user, organization__is_active=True).values_list(
                "organization_id", "role"
            )
        )
        ids = {org_id for org_id, _ in rows}
        supervised = {org_id for org_id, role in rows if role == Role.SUPERVISOR}
        if supervised:
            ids |= descendant_ids_of(supervised)
    user._gongkai_visible_org_ids = ids
    return ids


def organizations_visible_to(user) -> QuerySet[Organization]:
    if not _is_authenticated(user):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=visible_organization_ids(user), is_active=True)


def _memberships(user) -> list[tuple[int, str]]:
    """(organization id, role) of every membership of ``user``; cached on the user object."""
    cached = getattr(user, "_gongkai_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._gongkai_memberships = cached
    return cached


def roles_of(user, org: Organization | None) -> set[str]:
    """The roles ``user`` holds in ``org``; ``supervisor`` is inherited from any ancestor.

    Memoised on the user object per organization (like
    :func:`visible_organization_ids`): ``request.user`` lives for one request, so
    a page asks the database once however many ``can_<verb>`` checks it makes.
    Services that change memberships call :func:`forget_cached_permissions`.
    """
    if org is None or not _is_authenticated(user):
        return set()
    if user.is_superuser:
        return set(ALL_ROLES)
    cache = getattr(user, "_gongkai_roles", None)
    if cache is None:
        cache = {}
        user._gongkai_roles = cache
    if org.pk in cache:
        return set(cache[org.pk])
    memberships = _memberships(user)
    roles = {role for org_id, role in memberships if org_id == org.pk}
    supervised = {org_id for org_id, role in memberships if role == Role.SUPERVISOR}
    if supervised and Role.SUPERVISOR not in roles:
        if supervised & {a.pk for a in org.ancestors()}:
            roles.add(Role.SUPERVISOR)
    cache[org.pk] = frozenset(str(r) for r in roles)
    return set(cache[org.pk])


def forget_cached_permissions(user) -> None:
    """Drop what :func:`roles_of` and :func:`visible_organization_ids` memoised on ``user``."""
    for name in ("_gongkai_visible_org_ids", "_gongkai_memberships", "_gongkai_roles"):
        try:
            delattr(user, name)
        except AttributeError:
            pass


def has_role(user, org: Organization | None, *roles: str) -> bool:
    """True when ``user`` holds at least one of ``roles`` in ``org``."""
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown role(s): {sorted(unknown)}")
    return bool(roles_of(user, org) & set(roles))


def can_view_org(user, org: Organization | None) -> bool:
    return org is not None and org.pk in visible_organization_ids(user)


def organizations_where(user, *roles: str) -> QuerySet[Organization]:
    """Bodies in which ``user`` directly holds one of ``roles`` (no inheritance)."""
    if not _is_authenticated(user):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(
        memberships__user=user, memberships__role__in=roles, is_active=True
    ).distinct()


def scope_to_user(queryset: QuerySet[M], user, org_field: str = "organization") -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``org_field`` is a body ``user`` may see."""
    if not _is_authenticated(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{org_field}__in": visible_organization_ids(user)})


def current_organization(request) -> Organization | None:
    """The body the user is working in: the session's choice if still visible, else the first."""
    if hasattr(request, "_gongkai_current_org"):
        return request._gongkai_current_org
    user = getattr(request, "user", None)
    org = None
    if _is_authenticated(user):
        visible = organizations_visible_to(user).order_by("name")
        chosen = request.session.get(SESSION_KEY)
        if chosen is not None:
            org = visible.filter(pk=chosen).first()
        if org is None:
            org = _default_organization(user, visible)
    request._gongkai_current_org = org
    return org


def _default_organization(user, visible: QuerySet[Organization]) -> Organization | None:
    # Prefer a body where the user holds a working role over one only supervised.
    direct = (
        visible.filter(memberships__user=user).exclude(memberships__role=Role.SUPERVISOR).first()
    )
    if direct is not None:
        return direct
    return visible.filter(memberships__user=user).first() or visible.first()


def set_current_organization(request, org: Organization) -> None:
    """Remember ``org`` as the working body; raises PermissionError if it is not visible."""
    if not can_view_org(request.user, org):
        raise PermissionError("organization not visible to user")
    request.session[SESSION_KEY] = org.pk
    request._gongkai_current_org = org


def role_labels(roles: Iterable[str]) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[r]) for r in Role.values if r in set(roles)]
