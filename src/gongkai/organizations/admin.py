from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse

from .forms import AdminLoginForm
from .models import Membership, Organization, Role, Unit, default_may_make_regulations
from .services import (
    OFFICE_FIELDS,
    account_require_password_change,
    grantable_roles,
    membership_grant,
    membership_revoke,
)
from .sitehosts import platform_host_matches
from .validators import normalize_site_host

# The admin's log-in shows the same lock-out message as the back office's
# (the throttle itself is in the authentication backend).
admin.site.login_form = AdminLoginForm


class OrganizationAdminForm(forms.ModelForm):
    may_make_regulations = forms.NullBooleanField(
        label="有规章制定权",
        required=False,
        widget=forms.Select(choices=[("unknown", "按层级自动"), ("true", "有"), ("false", "无")]),
        help_text="省级、设区的市级人民政府可以制定规章（《立法法》第九十三条）。",
    )

    office_website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        # Structure (the superuser's) first, then the body's own office details.
        fields = ["name", "level", "parent", "may_make_regulations", "is_active", "slug"]
        fields += ["site_host", *OFFICE_FIELDS]

    def clean_site_host(self):
        value = normalize_site_host(self.cleaned_data.get("site_host", ""))
        if value and platform_host_matches(value):
            raise forms.ValidationError(
                "“%(host)s”是平台本身的域名（ALLOWED_HOSTS），不能作为某个机关的独立域名。",
                params={"host": value},
            )
        return value

    def clean_may_make_regulations(self):
        value = self.cleaned_data.get("may_make_regulations")
        if value is None:
            return default_may_make_regulations(self.cleaned_data.get("level", ""))
        return value


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


# --- Roles: granted and revoked only through the services ---------------------
#
# Review #9 F7: a Membership written directly by the admin has no audit row and
# no self_grant flag, so the supervising body would never see it.  Here a role
# is added with ``membership_grant`` and removed with ``membership_revoke``
# (audited; the last admin of a body stays); an existing row is never edited
# in place — to change a role, revoke it and grant the new one.

LAST_ADMIN = "不能撤销本机关最后一名管理员，否则将无人能管理人员与岗位。"


def _role_choices_for(request, kwargs) -> dict:
    # Only a platform superuser hands out 上级监督 (services.grantable_roles).
    allowed = grantable_roles(request.user)
    kwargs["choices"] = [
        (value, label)
        for value, label in (("", "---------"), *Role.choices)
        if value == "" or value in allowed
    ]
    return kwargs


def _grant(request, membership: Membership) -> Membership:
    return membership_grant(
        organization=membership.organization,
        user=membership.user,
        role=membership.role,
        unit=membership.unit,
        acting_user=request.user,
    )


def _admins_left(organization_id, removing: list[Membership], adding: list[Membership]) -> int:
    admins = Membership.objects.filter(organization_id=organization_id, role=Role.ADMIN)
    gone = {m.pk for m in removing if m.role == Role.ADMIN}
    return admins.exclude(pk__in=gone).count() + sum(1 for m in adding if m.role == Role.ADMIN)


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        removing = [f.instance for f in self.deleted_forms if f.instance.pk]
        adding = [
            f.instance
            for f in self.forms
            if f.instance.pk is None and f.has_changed() and f not in self.deleted_forms
        ]
        had_admin = Membership.objects.filter(
            organization_id=self.instance.pk, role=Role.ADMIN
        ).exists()
        if had_admin and _admins_left(self.instance.pk, removing, adding) < 1:
            raise forms.ValidationError(LAST_ADMIN)


class MembershipInline(admin.TabularInline):
    """Existing roles are shown read-only; a new row is granted and a row marked
    for deletion revoked by ``OrganizationAdmin.save_formset``."""

    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "unit"]

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs = _role_choices_for(request, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "level", "parent", "slug", "site_host", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "slug", "site_host", "credit_code"]
    inlines = [UnitInline, MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # commit=False: nothing is written here; the services write and audit.
        new = formset.save(commit=False)
        # Grants first, so that replacing the last admin in one save works
        # (the formset's clean() checked that an admin remains).
        for membership in new:
            membership.organization = form.instance
            _grant(request, membership)
        for membership in formset.deleted_objects:
            membership_revoke(membership=membership, acting_user=request.user)
        return None


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Add = ``membership_grant``; delete = ``membership_revoke``; no edits."""

    list_display = ["user", "organization", "role", "unit", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    actions = ["revoke_selected"]

    def has_change_permission(self, request, obj=None):
        return False  # the change page is read-only: revoke and grant instead

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete without an audit row
        return actions

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs = _role_choices_for(request, kwargs)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:  # unreachable while has_change_permission is False; refuse anyway
            raise PermissionDenied("岗位不能直接修改，请撤销后重新授予。")
        granted = _grant(request, obj)
        obj.pk = granted.pk
        obj.created_at = granted.created_at

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            last = obj is not None and obj.role == Role.ADMIN
            if last and _admins_left(obj.organization_id, [obj], []) < 1:
                self.message_user(request, LAST_ADMIN, messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:organizations_membership_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        membership_revoke(membership=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)

    @admin.action(description="撤销所选岗位（记入审计记录）", permissions=["delete"])
    def revoke_selected(self, request, queryset):
        revoked, refused = 0, []
        for membership in queryset.select_related("user", "organization"):
            try:
                with transaction.atomic():
                    membership_revoke(membership=membership, acting_user=request.user)
            except ValidationError:
                refused.append(str(membership))
            else:
                revoked += 1
        if revoked:
            self.message_user(request, f"已撤销 {revoked} 个岗位。", messages.SUCCESS)
        if refused:
            self.message_user(request, f"{'；'.join(refused)}：{LAST_ADMIN}", messages.ERROR)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; an account opened here, or a password set here for
    someone else, must be changed by its owner at the next log-in."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            account_require_password_change(user=obj, acting_user=request.user)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None and user.pk != request.user.pk:
            user.refresh_from_db(fields=["password"])
            if user.password != before and user.has_usable_password():
                account_require_password_change(user=user, acting_user=request.user)
        return response
