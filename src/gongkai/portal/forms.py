"""Public forms: the online application and the status look-up (validation only)."""

from __future__ import annotations

import re

from django import forms

from gongkai.applications.models import ApplicantType, Delivery, FormWanted
from gongkai.organizations.validators import is_valid_uscc
from gongkai.privacy import valid_id_number

# Mobile (1[3-9] + 9 digits) or a fixed line with area code (0 + 9-11 digits),
# optionally with an extension; separators are ignored.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{9,11}$")
DESCRIPTION_MAX = 2000
NATURAL = "natural"


def phone_digits(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value or "")


class ApplyForm(forms.Form):
    """条例第二十九条: who applies, how to reach them, what is wanted and in which form."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantType.choices,
        initial=NATURAL,
        error_messages={"required": "请选择申请人类型。", "invalid_choice": "请选择申请人类型。"},
    )
    applicant_name = forms.CharField(
        label="申请人姓名或名称",
        max_length=100,
        error_messages={
            "required": "请填写申请人姓名或名称。",
            "max_length": "姓名或名称不能超过100个字。",
        },
    )
    id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=18,
        help_text="自然人填写18位居民身份证号码；法人或其他组织填写18位统一社会信用代码。",
        error_messages={
            "required": "请填写身份证号码或统一社会信用代码（条例第二十九条）。",
            "max_length": "证件号码应为18位。",
        },
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="手机号码或带区号的固定电话；查询办理进度时需要其后4位。",
        error_messages={"required": "请填写联系电话，用于联系您和查询办理进度。"},
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        max_length=100,
        error_messages={"invalid": "电子邮箱格式不正确。"},
    )
    address = forms.CharField(
        label="通信地址（选填）",
        required=False,
        max_length=200,
        error_messages={"max_length": "通信地址不能超过200个字。"},
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或便于查询的其他特征性描述",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "请描述您需要的政府信息（名称、文号或其他特征）。",
            "max_length": f"描述不能超过{DESCRIPTION_MAX}个字。",
        },
    )
    form_wanted = forms.ChoiceField(
        label="获取信息的形式",
        choices=FormWanted.choices,
        initial=FormWanted.ELECTRONIC,
        error_messages={
            "required": "请选择获取信息的形式。",
            "invalid_choice": "请选择获取信息的形式。",
        },
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=Delivery.choices,
        initial=Delivery.EMAIL,
        error_messages={
            "required": "请选择获取信息的方式。",
            "invalid_choice": "请选择获取信息的方式。",
        },
    )
    confirm = forms.BooleanField(
        label="我确认以上信息真实，并知悉申请将按《中华人民共和国政府信息公开条例》办理。",
        error_messages={"required": "请勾选确认后再提交。"},
    )

    def clean_applicant_name(self) -> str:
        value = self.cleaned_data["applicant_name"].strip()
        if not value:
            raise forms.ValidationError("请填写申请人姓名或名称。")
        return value

    def clean_phone(self) -> str:
        digits = phone_digits(self.cleaned_data["phone"])
        if not (MOBILE_RE.match(digits) or LANDLINE_RE.match(digits)):
            raise forms.ValidationError(
                "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如 0931-1234567）。"
            )
        return digits

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if len(value) < 4:
            raise forms.ValidationError("描述过短，请写明所需信息的名称、文号或其他特征。")
        return value

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").strip().upper()
        kind = data.get("applicant_type")
        if number and kind:
            if kind == NATURAL:
                if not valid_id_number(number):
                    self.add_error(
                        "id_number",
                        "身份证号码不正确：请核对18位号码（含出生日期和最后一位校验码）。",
                    )
            elif not is_valid_uscc(number):
                self.add_error(
                    "id_number", "统一社会信用代码不正确：请核对18位代码及最后一位校验码。"
                )
            data["id_number"] = number
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱。")
        if data.get("delivery") == Delivery.MAIL and not (data.get("address") or "").strip():
            self.add_error("address", "选择邮寄时，请填写通信地址。")
        return data


class StatusForm(forms.Form):
    tracking_code = forms.CharField(
        label="查询码",
        max_length=32,
        error_messages={"required": "请填写提交申请时获得的查询码。"},
    )
    phone_last4 = forms.CharField(
        label="联系电话后4位",
        max_length=4,
        min_length=4,
        error_messages={
            "required": "请填写申请时所留联系电话的后4位。",
            "min_length": "请填写4位数字。",
            "max_length": "请填写4位数字。",
        },
    )

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"]
        if not value.isdigit():
            raise forms.ValidationError("请填写4位数字。")
        return value
