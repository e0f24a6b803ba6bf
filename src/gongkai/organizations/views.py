"""Sign-in, the dashboard, the body switcher and the organization pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .decorators import backoffice_view
from .extensions import dashboard_widgets
from .forms import (
    GrantForm,
    LoginForm,
    NewUserForm,
    OfficeForm,
    OwnPasswordChangeForm,
    SwitchOrganizationForm,
    UnitForm,
)
from .middleware import forget_password_change_required, password_change_required
from .models import Membership, Organization, Role, Unit
from .permissions import (
    current_organization,
    has_role,
    organizations_visible_to,
    roles_of,
    set_current_organization,
)
from .services import (
    OFFICE_FIELDS,
    is_self_grant,
    membership_grant,
    membership_revoke,
    organization_update_office,
    unit_create,
    unit_set_active,
    user_create_with_role,
    user_password_change,
)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.lock is not None:
            # Too many failures: refused before any password check (throttle.py).
            response.status_code = 429
            response["Retry-After"] = str(form.lock.retry_after(form.now))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Self-service password change; also the page a user with a forced change
    (an account an administrator opened) is held on until they change it."""

    template_name = "registration/password_change_form.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("organizations:dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = password_change_required(self.request.user)
        return context

    def form_valid(self, form):
        user = user_password_change(
            user=self.request.user,
            new_password=form.cleaned_data["new_password1"],
            organization=current_organization(self.request),
            now=timezone.now(),
        )
        # Keep this session signed in; other sessions of the account end.
        update_session_auth_hash(self.request, user)
        forget_password_change_required(self.request)
        messages.success(self.request, "密码已修改。下次登录请使用新密码。")
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


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


@require_GET
def healthz(request):
    """Liveness and database check for load balancers and `serve`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- The body's own settings (admin role) -----------------------------------


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


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
        _errors_to_messages(request, exc)
    else:
        messages.success(request, f"已撤销 {label}。")
    return redirect("organizations:people")
