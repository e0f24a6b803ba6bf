from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from .models import Organization, Role
from .services import OFFICE_FIELDS, grantable_roles


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class SwitchOrganizationForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class OfficeForm(forms.ModelForm):
    """The 指南 contact details a body's admin maintains."""

    office_website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = OFFICE_FIELDS

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
        help_text="至少 8 位，不能全是数字或过于常见；请告知本人并提醒登录后修改。",
    )
    role = _role_field()
    unit = forms.ModelChoiceField(
        label="科室", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, organization, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.filter(is_active=True).order_by("name")
        self.set_role_choices(acting_user)
