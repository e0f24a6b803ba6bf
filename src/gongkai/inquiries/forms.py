from __future__ import annotations

from django import forms

from gongkai.organizations.models import Unit

from .models import MAX_REPLY_WORKDAYS, MIN_REPLY_WORKDAYS, Kind, Signature
from .services import ANSWER_MAX, CONTENT_MAX, SUBJECT_MAX

PRIVACY_NOTICE = (
    "您填写的姓名、联系电话和电子邮箱只用于办理和答复本次留言，不会在网站上公开。"
    "如您同意公开问答，本机关公开时将隐去您的姓名（显示为“张**”的形式），"
    "并删除留言中的身份证号、电话、住址等个人信息。"
)


class AskForm(forms.Form):
    """The citizen's question on the portal (validated again by the service)."""

    kind = forms.ChoiceField(
        label="留言类型",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择留言类型。", "invalid_choice": "请选择留言类型。"},
    )
    subject = forms.CharField(
        label="标题", max_length=SUBJECT_MAX, error_messages={"required": "请填写留言标题。"}
    )
    content = forms.CharField(
        label="留言内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写留言内容。"},
    )
    asker_name = forms.CharField(
        label="姓名", max_length=50, error_messages={"required": "请填写姓名。"}
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="查询办理进度时需要填写电话号码后4位。",
        error_messages={"required": "请填写联系电话。"},
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确。"},
    )
    consent_publish = forms.BooleanField(
        label="同意在网站上公开本次问答（隐去个人信息）", required=False
    )
    privacy_ack = forms.BooleanField(
        label="我已阅读并同意上述个人信息保护说明",
        error_messages={"required": "请确认已阅读个人信息保护说明。"},
    )


class StatusForm(forms.Form):
    tracking_code = forms.CharField(
        label="查询码", max_length=32, error_messages={"required": "请填写留言后获得的查询码。"}
    )
    phone_last4 = forms.CharField(
        label="联系电话后4位",
        max_length=4,
        min_length=4,
        error_messages={
            "required": "请填写留言时所留联系电话的后4位。",
            "min_length": "请填写4位数字。",
            "max_length": "请填写4位数字。",
        },
    )

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"]
        if not value.isdigit():
            raise forms.ValidationError("请填写4位数字。")
        return value


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="承办科室",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="本机关直接办理",
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["unit"].queryset = Unit.objects.filter(
                organization=organization, is_active=True
            ).order_by("name")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="答复内容",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写答复内容。"},
    )
    answered_by_label = forms.CharField(
        label="答复署名",
        max_length=100,
        required=False,
        help_text="留空则按本机关设置署名（科室名称或答复人姓名）。",
    )


class PublishForm(forms.Form):
    public_subject = forms.CharField(label="公开标题", max_length=SUBJECT_MAX, required=False)
    public_content = forms.CharField(
        label="公开的留言内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="可删改留言中的个人情况；公开时系统还会自动遮盖身份证号、电话、住址和留言人姓名。",
    )
    public_answer = forms.CharField(
        label="公开的答复内容", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予受理理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写不予受理的理由。"},
    )


class SettingsForm(forms.Form):
    reply_workdays = forms.IntegerField(
        label="答复期限（工作日）",
        min_value=MIN_REPLY_WORKDAYS,
        max_value=MAX_REPLY_WORKDAYS,
        help_text="自收到留言的次日起算，按平台工作日历计算；只影响今后收到的留言。",
        error_messages={
            "required": "请填写答复期限。",
            "invalid": "请填写整数。",
            "min_value": f"答复期限至少{MIN_REPLY_WORKDAYS}个工作日。",
            "max_value": f"答复期限最多{MAX_REPLY_WORKDAYS}个工作日。",
        },
    )
    signature = forms.ChoiceField(label="公开答复的署名方式", choices=Signature.choices)
