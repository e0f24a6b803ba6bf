from __future__ import annotations

import time

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from . import throttle
from .models import Organization, Role
from .services import OFFICE_FIELDS, grantable_roles, login_lockout_record


class ThrottledLoginMixin:
    """Refuses a locked user name or client address with a Chinese message saying
    when to try again, before the password is checked.  The backend
    (``backends.ThrottledModelBackend``) enforces the same lock and counts the
    failures; this only gives the person the reason."""

    lock: throttle.Lock | None = None
    now: float = 0.0

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and self.cleaned_data.get("password"):
            request = getattr(self, "request", None)
            self.now = time.time()
            self.lock = throttle.login_lock(
                username=username,
                address=throttle.client_address(request) if request is not None else None,
                now=self.now,
            )
            if self.lock is not None:
                raise forms.ValidationError(self.lock.message(self.now), code="locked")
        return super().clean()


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The Django admin's log-in with the same lock message."""


STRONG_CHOICE_HELP = "至少 8 位，不能全是数字、不能过于常见，也不能与用户名、姓名过于相似。"


class OwnPasswordChangeForm(PasswordChangeForm):
    """The account's own password change.  A wrong current password counts as a
    failed log-in of the account (review #9 F8): whoever holds an unlocked
    session gets no more guesses at the password than the log-in page gives, and
    the lock it reaches holds on the log-in page too.  While the account is
    locked the current password is refused before it is checked."""

    error_messages = {
        "password_mismatch": "两次输入的新密码不一致。",
        "password_incorrect": "当前密码不正确，请重新输入。",
        "password_unchanged": "新密码不能与当前密码相同。",
    }
    lock: throttle.Lock | None = None
    now: float = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = STRONG_CHOICE_HELP
        self.fields["new_password2"].label = "确认新密码"
        self.fields["new_password2"].help_text = "请再输入一遍新密码。"

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        username = self.user.get_username()
        self.now = time.time()
        self.lock = throttle.login_lock(username=username, address=None, now=self.now)
        if self.lock is not None:
            raise forms.ValidationError(self.lock.message(self.now), code="locked")
        if not self.user.check_password(old):
            for started in throttle.login_failed(username=username, address=None, now=self.now):
                login_lockout_record(
                    username=username,
                    address=None,
                    scope=started.scope,
                    until=started.until,
                    failures=started.failures,
                )
                self.lock = throttle.Lock(scope=started.scope, until=started.until)
            if self.lock is not None:
                raise forms.ValidationError(self.lock.message(self.now), code="locked")
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        throttle.login_succeeded(username=username)
        return old

    def clean(self):
        data = super().clean()
        old, new = data.get("old_password"), data.get("new_password1")
        if old and new and old == new:
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    self.error_messages["password_unchanged"], code="password_unchanged"
                ),
            )
        return data


class SwitchOrganizationForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class OfficeForm(forms.ModelForm):
    """The 指南 contact details a body's admin maintains, and where its
    applicants appeal (行政复议机关, 管辖法院)."""

    office_website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = OFFICE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        derived = self.instance.default_reconsideration_body() if self.instance.pk else None
        field = self.fields["reconsideration_body"]
        if derived:
            name, basis = derived
            field.help_text = (
                f"留空时告知书写“{name}”（依{basis}由上级机关推定）。"
                "实行垂直领导的机关（行政复议法第二十七条）或另有规定的，请填写实际的行政复议机关。"
            )
        else:
            field.help_text = (
                "本机关的上级机关不能确定行政复议机关，请填写；"
                "留空时告知书只写“有权受理的行政复议机关”，不写具体机关名称。"
            )

    def clean_office_postcode(self):
        value = self.cleaned_data["office_postcode"].strip()
        if value and not (len(value) == 6 and value.isdigit()):
            raise forms.ValidationError("邮政编码应为 6 位数字。")
        return value


class UnitForm(forms.Form):
    name = forms.CharField(label="科室名称", max_length=200)


def _role_field():
    # A body's admin never sees 上级监督 (see services.grantable_roles); views may
    # widen the choices for a superuser with ``set_role_choices``.
    return forms.ChoiceField(label="岗位", choices=_role_choices(None))


def _role_choices(acting_user) -> list[tuple[str, str]]:
    allowed = grantable_roles(acting_user)
    return [(value, label) for value, label in Role.choices if value in allowed]


class _RoleChoicesMixin:
    def set_role_choices(self, acting_user) -> None:
        self.fields["role"].choices = _role_choices(acting_user)


class GrantForm(_RoleChoicesMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="已有账号的用户名。")
    role = _role_field()
    unit = forms.ModelChoiceField(
        label="科室", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, organization, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.filter(is_active=True).order_by("name")
        self.set_role_choices(acting_user)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "没有这个用户名的有效账号；如是新同事，请在下方“新建账号”。"
            )
        self.user = user
        return username


class NewUserForm(_RoleChoicesMixin, forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "用户名只能包含英文字母、数字和 _ . @ + -。"},
        help_text="登录用，建议用拼音，例如 ganhetan_wang。",
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        help_text="至少 8 位，不能全是数字或过于常见；请告知本人，本人首次登录时须改为自己的密码。",
    )
    role = _role_field()
    unit = forms.ModelChoiceField(
        label="科室", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, organization, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.filter(is_active=True).order_by("name")
        self.set_role_choices(acting_user)
