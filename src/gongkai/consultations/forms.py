"""Forms validate input; the services hold the rules (and repeat the checks)."""

from __future__ import annotations

from django import forms

from gongkai.applications.forms import date_field
from gongkai.disclosure.forms import MultipleFileField
from gongkai.disclosure.models import Item

from .models import Channel, Consultation, Decision
from .services import MAX_COMMENT_CHARS, Draft

# Shown above the public form and stored nowhere else: the commenter reads what
# happens to the name and contact before giving them (个人信息保护法第十七条).
PRIVACY_NOTICE = (
    "您填写的姓名和联系方式仅用于工作人员就您的意见与您联系，不会在网站上公开，"
    "也不会用于其他用途；意见内容经工作人员归纳摘要并去除个人信息后，"
    "可能随意见采纳情况一并公布。姓名和联系方式可以不填。"
)


class ConsultationForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body_format = forms.ChoiceField(
        label="正文格式", choices=Consultation.BodyFormat.choices, initial="plain"
    )
    body = forms.CharField(
        label="草案正文",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="纯文本按段落显示；富文本只保留安全的 HTML 标签。",
    )
    explanation = forms.CharField(
        label="起草说明",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="起草的背景、依据和主要内容（《重大行政决策程序暂行条例》第十五条）。",
    )
    is_major = forms.BooleanField(label="属于重大行政决策（征求意见期不少于30日）", required=False)
    start_on = date_field("征求意见开始日期")
    end_on = date_field(
        "征求意见截止日期",
        help_text="期间按日计算，开始的当日不计入（《民法典》第二百零一条）：3月1日开始、3月31日截止为30日。",
    )
    shortened_reason = forms.CharField(
        label="缩短征求意见期的说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅重大行政决策因情况紧急等原因征求意见期少于30日时填写，将向社会公开。",
    )
    accepts_online = forms.BooleanField(label="接受网上留言", required=False, initial=True)
    mail_address = forms.CharField(
        label="信函地址（含邮编、收件部门）", max_length=300, required=False
    )
    email = forms.EmailField(label="电子邮箱", required=False)
    fax = forms.CharField(label="传真", max_length=100, required=False)
    meeting = forms.CharField(
        label="座谈会/听证会",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="时间、地点和报名方式；不举行则留空。",
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="可多选。允许 PDF、OFD、Word、Excel、JPG、PNG、TXT。",
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label="删除附件", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, consultation: Consultation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if consultation is not None and consultation.attachments.exists():
            self.fields["remove_attachments"].queryset = consultation.attachments.all()
        else:
            del self.fields["remove_attachments"]

    def draft(self) -> Draft:
        d = self.cleaned_data
        return Draft(
            title=d["title"],
            body=d["body"],
            body_format=d["body_format"],
            explanation=d["explanation"],
            is_major=d["is_major"],
            start_on=d["start_on"],
            end_on=d["end_on"],
            shortened_reason=d["shortened_reason"],
            accepts_online=d["accepts_online"],
            mail_address=d["mail_address"],
            email=d["email"],
            fax=d["fax"],
            meeting=d["meeting"],
        )

    @staticmethod
    def initial_for(consultation: Consultation) -> dict:
        return {
            name: getattr(consultation, name)
            for name in (
                "title",
                "body_format",
                "body",
                "explanation",
                "is_major",
                "start_on",
                "end_on",
                "shortened_reason",
                "accepts_online",
                "mail_address",
                "email",
                "fax",
                "meeting",
            )
        }


class PublicCommentForm(forms.Form):
    content = forms.CharField(
        label="意见内容",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "请填写意见内容。",
            "max_length": f"意见内容不能超过{MAX_COMMENT_CHARS}字。",
        },
    )
    name = forms.CharField(label="姓名（选填，不公开）", max_length=100, required=False)
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=200, required=False)
    consented = forms.BooleanField(
        label="我已阅读并同意上述隐私说明",
        error_messages={"required": "请阅读隐私说明并勾选同意后再提交。"},
    )


class RecordCommentForm(forms.Form):
    channel = forms.ChoiceField(
        label="渠道", choices=[(v, label) for v, label in Channel.choices if v != Channel.ONLINE]
    )
    received_on = date_field("收到日期", help_text="信函以邮戳日期为准。")
    content = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label="姓名/单位（不公开）", max_length=100, required=False)
    contact = forms.CharField(label="联系方式（不公开）", max_length=200, required=False)


class ModerateForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "受理，纳入研究"), ("0", "不予受理（无关内容、广告等）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="不予受理的理由", max_length=300, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="采纳情况", choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="理由（部分采纳、未采纳时必填，将公开）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label="意见摘要（将公开；请归纳要点，不写姓名、电话等个人信息）",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.Form):
    final_item = forms.ModelChoiceField(
        label="最终决策文件（本机关已公开的政府信息）",
        queryset=Item.objects.none(),
        empty_label="（请选择）",
        error_messages={"required": "请选择已公开的最终决策文件。"},
    )
    summary = forms.CharField(
        label="采纳情况总体说明（将公开）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["final_item"].queryset = Item.objects.filter(
            organization=organization, status=Item.Status.PUBLISHED
        ).order_by("-published_at")


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(forms.Form):
    ordinary_min_days = forms.IntegerField(
        label="一般事项最短征求意见期（日）", min_value=1, max_value=365
    )
    ordinary_default_days = forms.IntegerField(
        label="一般事项默认征求意见期（日）", min_value=1, max_value=365
    )
    feedback_workdays = forms.IntegerField(
        label="采纳情况公布期限（征求意见期结束后的工作日数）", min_value=1, max_value=120
    )
