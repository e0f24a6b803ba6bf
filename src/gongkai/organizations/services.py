"""Writes to bodies, units and memberships: each one atomic and audited.

A body's ``admin`` maintains its 指南 contact details, its units and who
holds which role; the structure (level, parent, slug) is the superuser's, in
the Django admin.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.audit.services import audit_record

from .models import AccountSecurity, Membership, Organization, Role, Unit
from .permissions import forget_cached_permissions
from .throttle import USER as LOCK_SCOPE_USER

# The fields a body's own admin may change (条例第十二条: the 指南 must give them) —
# the one list: the settings form and the Django admin use it too.
OFFICE_FIELDS = (
    "short_name",
    "credit_code",
    "office_name",
    "office_address",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_postcode",
    "office_website",
    # Where applicants appeal; the closing letters name them (行政复议法第二十四条).
    "reconsideration_body",
    "court",
)


def grantable_roles(acting_user) -> frozenset[str]:
    """Roles ``acting_user`` may hand out.  上级监督 (supervisor) opens every body
    below the one it is granted in, so only a platform superuser grants it."""
    if acting_user is not None and getattr(acting_user, "is_superuser", False):
        return frozenset(Role.values)
    return frozenset(Role.values) - {Role.SUPERVISOR}


@transaction.atomic
def organization_update_office(
    *, organization: Organization, acting_user, values: dict[str, str]
) -> Organization:
    unknown = set(values) - set(OFFICE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = {}
    for name, value in values.items():
        old = getattr(organization, name)
        if old != value:
            changed[name] = {"from": old, "to": value}
            setattr(organization, name, value)
    if not changed:
        return organization
    organization.full_clean()
    organization.save(update_fields=list(changed))
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="organization.update",
        obj=organization,
        data={"changed": changed},
    )
    return organization


@transaction.atomic
def unit_create(*, organization: Organization, name: str, acting_user) -> Unit:
    name = name.strip()
    if not name:
        raise ValidationError("请填写科室名称。")
    if Unit.objects.filter(organization=organization, name=name).exists():
        raise ValidationError(f"本机关已有名为“{name}”的科室。")
    unit = Unit.objects.create(organization=organization, name=name)
    audit_record(actor=acting_user, organization=organization, verb="unit.create", obj=unit)
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, is_active: bool, acting_user) -> Unit:
    if unit.is_active == is_active:
        return unit
    before = "active" if unit.is_active else "inactive"
    unit.is_active = is_active
    unit.save(update_fields=["is_active"])
    audit_record(
        actor=acting_user,
        organization=unit.organization,
        verb="unit.activate" if is_active else "unit.deactivate",
        obj=unit,
        from_state=before,
        to_state="active" if is_active else "inactive",
    )
    return unit


@transaction.atomic
def membership_grant(
    *, organization: Organization, user, role: str, acting_user, unit: Unit | None = None
) -> Membership:
    if role not in Role.values:
        raise ValidationError("未知的岗位。")
    if role not in grantable_roles(acting_user):
        raise PermissionDenied("只有平台管理员可以授予“上级监督”岗位。")
    if unit is not None and unit.organization_id != organization.pk:
        raise ValidationError("所选科室不属于该机关。")
    if Membership.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(f"{user.get_username()} 已经是本机关的{Role(role).label}。")
    membership = Membership.objects.create(
        user=user, organization=organization, role=role, unit=unit
    )
    forget_cached_permissions(user)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="membership.grant",
        obj=membership,
        to_state=role,
        # A grant to oneself (an admin taking clerk, reviewer or approver) is marked:
        # the supervising body sees these on its dashboard (selectors.self_grants).
        data={"user": user.get_username(), "self_grant": is_self_grant(user, acting_user)},
    )
    return membership


def is_self_grant(user, acting_user) -> bool:
    return acting_user is not None and getattr(acting_user, "pk", None) == user.pk


@transaction.atomic
def membership_revoke(*, membership: Membership, acting_user) -> None:
    organization = membership.organization
    if membership.role == Role.ADMIN:
        admins = Membership.objects.select_for_update().filter(
            organization=organization, role=Role.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError("不能撤销本机关最后一名管理员，否则将无人能管理人员与岗位。")
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="membership.revoke",
        obj=membership,
        from_state=membership.role,
        data={"user": membership.user.get_username()},
    )
    membership.delete()
    forget_cached_permissions(membership.user)


@transaction.atomic
def user_create_with_role(
    *,
    organization: Organization,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: str,
    acting_user,
    unit: Unit | None = None,
):
    """Open an account for a new colleague and give them a role in ``organization``."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名 {username} 已被使用。")
    user = User(username=username, first_name=full_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    # The administrator chose (and knows) the initial password: the new
    # colleague must replace it at first log-in.
    AccountSecurity.objects.create(user=user, must_change_password=True)
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="user.create",
        obj=user,
        data={"username": username, "must_change_password": True},
    )
    membership_grant(
        organization=organization, user=user, role=role, unit=unit, acting_user=acting_user
    )
    return user


# --- Accounts: password changes and log-in lock-outs ---------------------------


def _first_organization(user) -> Organization | None:
    membership = (
        Membership.objects.filter(user=user).select_related("organization").order_by("pk").first()
    )
    return membership.organization if membership else None


@transaction.atomic
def account_require_password_change(*, user, acting_user) -> AccountSecurity:
    """An administrator set this account's password: its owner must change it at next log-in."""
    security, _ = AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": True}
    )
    audit_record(
        actor=acting_user,
        organization=_first_organization(user),
        verb="user.password_reset",
        obj=user,
        data={"username": user.get_username(), "must_change_password": True},
    )
    return security


@transaction.atomic
def user_password_change(*, user, new_password: str, organization: Organization | None, now):
    """The account's owner sets a new password (validated by the form: old
    password, confirmation, validators).  Clears a forced change and is audited."""
    security, _ = AccountSecurity.objects.select_for_update().get_or_create(user=user)
    forced = security.must_change_password
    user.set_password(new_password)
    user.save(update_fields=["password"])
    security.must_change_password = False
    security.password_changed_at = now
    security.save(update_fields=["must_change_password", "password_changed_at"])
    audit_record(
        actor=user,
        organization=organization,
        verb="user.password_change",
        obj=user,
        data={"forced": forced},
    )
    return user


@transaction.atomic
def login_lockout_record(
    *, username: str, address: str | None, scope: str, until: float, failures: int
) -> None:
    """Audit one log-in lock-out (called once per lock, by the throttle's winner).

    A user-name lock of an existing account is filed under the account and its
    first body, so that body's audit log shows it; an address lock belongs to
    no body (Django admin shows every event)."""
    User = get_user_model()
    user = None
    if scope == LOCK_SCOPE_USER:
        # Case-insensitive, like the throttle's key; exact match preferred.
        name = username.strip()
        candidates = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": name})
        user = candidates.filter(**{User.USERNAME_FIELD: name}).first() or candidates.first()
    audit_record(
        actor=None,
        organization=_first_organization(user) if user is not None else None,
        verb="login.lockout",
        obj=user,
        to_state="locked",
        data={
            "scope": scope,
            "username": username.strip()[:150],
            "address": address or "",
            "failures": failures,
            "until": dt.datetime.fromtimestamp(until, tz=dt.UTC).isoformat(),
        },
    )
