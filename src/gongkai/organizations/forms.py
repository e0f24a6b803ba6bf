from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from .models import Organization, Role


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
        fields = [
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
        ]

    def clean_office_postcode(self):
        value = self.cleaned_data["office_postcode"].strip()
        if value and not (len(value) == 6 and value.isdigit()):
            raise forms.ValidationError("邮政编码应为 6 位数字。")
        return value


class UnitForm(forms.Form):
    name = forms.CharField(label="科室名称", max_length=200)


def _role_field():
    return forms.ChoiceField(label="岗位", choices=Role.choices)


class GrantForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="已有账号的用户名。")
    role = _role_field()
    unit = forms.ModelChoiceField(
        label="科室", queryset=None, required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.filter(is_active=True).order_by("name")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "没有这个用户名的有效账号；如是新同事，请在下方“新建账号”。"
            )
        self.user = user
        return username


class NewUserForm(forms.Form):
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

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.filter(is_active=True).order_by("name")
