"""Forms validate input; the services change state."""

from __future__ import annotations

from django import forms

from gongkai import fees
from gongkai.annual.format import T3_GROUPS, T3_RESULT_ROWS, T3_ROW_BY_KEY
from gongkai.bounds import BoundedDateField
from gongkai.organizations.models import Organization, Unit

from . import clock
from .letters import template_problems
from .models import (
    ApplicantType,
    Channel,
    Delivery,
    FormWanted,
    LetterKind,
    outcome_label,
)
from .outcomes import reasons_required_message
from .workflow import CLOCK_START_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return BoundedDateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，应为 年-月-日。",
        },
    )


class ApplicationForm(forms.Form):
    channel = forms.ChoiceField(label="申请渠道", choices=Channel.choices)
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=200)
    id_number = forms.CharField(
        label="身份证件号码/统一社会信用代码", max_length=40, required=False
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"}
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    description = forms.CharField(
        label="所需政府信息的名称、文号或其他特征性描述", widget=forms.Textarea(attrs={"rows": 4})
    )
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=FormWanted.choices)
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices)
    unit = forms.ModelChoiceField(
        label="承办科室", queryset=Unit.objects.none(), required=False, empty_label="（暂不指定）"
    )
    submitted_on = date_field("提交/寄出日期", help_text="当面提交即为提交当日。")
    signed_for_on = date_field(
        "签收日期",
        required=False,
        help_text="邮寄（需签收）的申请必填：以本机关签收之日为收到申请之日（条例第三十一条）。",
    )
    confirmed_on = date_field(
        "双方确认日期",
        required=False,
        help_text="平常信函、网络、传真、电子邮件必填：以与申请人确认之日为收到申请之日（条例第三十一条）。",
    )

    def __init__(self, *args, organization=None, intake=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["unit"].queryset = Unit.objects.filter(
                organization=organization, is_active=True
            )
        if intake is not None:
            # 统一受理: a paper application handed to the county's platform.
            self.fields["unified"] = forms.BooleanField(
                label="登记到统一受理平台（待分办）",
                required=False,
                initial=True,
                help_text="勾选后申请进入统一受理待分办队列，由公开办分办至负责的机关；"
                "不勾选则登记为本机关自己办理的申请。",
            )

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel and data.get("submitted_on"):
            try:
                clock.receipt_date(
                    channel=channel,
                    submitted_on=data.get("submitted_on"),
                    signed_for_on=data.get("signed_for_on"),
                    confirmed_on=data.get("confirmed_on"),
                )
            except clock.ClockError as exc:
                raise forms.ValidationError(str(exc)) from exc
        if not (data.get("phone") or data.get("email") or data.get("address")):
            self.add_error("phone", "请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
        return data


class CorrectionForm(forms.Form):
    on = date_field("通知日期")
    until = date_field("补正期限")
    what = forms.CharField(
        label="需要补正的事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="条例第三十条：应自收到申请之日起7个工作日内一次性告知（最晚日期见上方“补正通知最晚发出日”）。",
    )


class DateNoteForm(forms.Form):
    on = date_field("日期")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(
        label="征求对象类型",
        choices=[
            # The article follows the kind of consultee, and so does the letter.
            (
                clock.THIRD_PARTY_CONSULTED,
                "第三方：公民、法人或者其他组织，如企业、个人（条例第三十二条）",
            ),
            (clock.OTHER_BODY_CONSULTED, "其他行政机关（条例第三十四条）"),
        ],
    )
    on = date_field("发函日期")
    party = forms.CharField(label="第三方或机关名称", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    """A clerk's extension request; it takes effect once the 公开办负责人 approves it."""

    on = date_field(
        "申请日期", help_text="须在当前答复期限届满前提出，并经公开办负责人批准后生效。"
    )
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=clock.MAX_EXTENSION_DAYS,
        initial=clock.MAX_EXTENSION_DAYS,
        error_messages={
            "max_value": "延长答复期限最长不得超过20个工作日（条例第三十三条第二款）。",
            "min_value": "延长的工作日数至少为1。",
            "required": "请填写延长的工作日数。",
        },
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecideForm(forms.Form):
    """The 公开办负责人's decision on a pending extension request."""

    decision = forms.ChoiceField(
        label="决定",
        choices=[("approve", "同意延期"), ("reject", "不同意")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意或不同意。"},
    )
    on = date_field("决定日期")
    comment = forms.CharField(
        label="意见（不同意时必填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", "不批准延期时请填写意见，告知经办人原因。")
        return data


class FeeForm(forms.Form):
    on = date_field(
        "申请人收到通知之日", help_text="缴费期限自收到通知之日的次日起计算20个工作日。"
    )
    method = forms.ChoiceField(label="计收方式", choices=list(fees.METHODS.items()))
    pages = forms.IntegerField(label="页数（按量计收时填写）", min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if data.get("method") == fees.PER_PAGE and data.get("pages") is None:
            self.add_error("pages", "按量计收须填写页数。")
        if data.get("method") == fees.PER_APPLICATION:
            data["pages"] = None
        return data


class UntilForm(forms.Form):
    on = date_field("日期")
    until = date_field("期限")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def outcome_choices() -> list:
    groups = []
    for group, heading in T3_GROUPS:
        keys = [k for k in T3_RESULT_ROWS if T3_ROW_BY_KEY[k].group == group]
        if keys:
            groups.append(
                (heading.split("（区分")[0], [(k, outcome_label(k).split("：")[-1]) for k in keys])
            )
    return [("", "（请选择办理结果）"), *groups]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=outcome_choices,
        required=False,
        help_text="区分处理的只计“部分公开”。",
    )
    reply_on = date_field("答复日期")
    reasons = forms.CharField(
        label="答复理由/说明（写入告知书）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="部分公开、不予公开、无法提供、不予处理须填写理由（条例第三十六条、第三十七条）。",
    )
    # 条例第三十六条第（五）项: not this body's information — name the body that
    # discloses it and how to reach it (the letter says so; services.closing checks).
    responsible_organization = forms.ModelChoiceField(
        label="负责公开该信息的机关（平台上的机关）",
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="（不适用）",
        help_text="申请的信息不属于本机关负责公开、能够确定负责机关的，选择该机关或在下方填写"
        "（条例第三十六条第（五）项），告知书将写明其名称和联系方式。",
    )
    responsible_body = forms.CharField(
        label="负责公开该信息的机关（其他机关名称）", max_length=200, required=False
    )
    responsible_contact = forms.CharField(label="该机关的联系方式", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        message = reasons_required_message(data.get("outcome", ""))
        if message and not (data.get("reasons") or "").strip():
            self.add_error("reasons", message)
        return data


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="承办科室", queryset=Unit.objects.none(), required=False, empty_label="（不指定）"
    )

    def __init__(self, *args, organization=None, intake=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["unit"].queryset = Unit.objects.filter(
                organization=organization, is_active=True
            )
        if intake is not None:
            # 统一受理: a paper application handed to the county's platform.
            self.fields["unified"] = forms.BooleanField(
                label="登记到统一受理平台（待分办）",
                required=False,
                initial=True,
                help_text="勾选后申请进入统一受理待分办队列，由公开办分办至负责的机关；"
                "不勾选则登记为本机关自己办理的申请。",
            )


class TemplateForm(forms.Form):
    """A body's wording of a letter: only the documented ``{占位符}``, checked
    here (each message names the bad placeholder) and again by the service and
    at generation (letters.check_template / letters.fill)."""

    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="每行一段；第一行以“：”结尾时作为称呼顶格排版。占位符只能写成 {申请人} "
        "这样的形式（不能带“:”“!”“.”“[”），要写花括号本身请写 {{ 或 }}。",
    )

    def clean(self):
        data = super().clean()
        if "title" in data and "body" in data:
            problems = dict(template_problems(data["title"], data["body"]))
            for field, label in (("title", "标题"), ("body", "正文")):
                for message in problems[label]:
                    self.add_error(field, message)
        return data


LETTER_KIND_CHOICES = LetterKind.choices


# --- 统一受理（集约化）: the county's queue and the receiving body's steps ---------------


class DispatchForm(forms.Form):
    """分办 (and 转办): the body under the county that will answer."""

    to_organization = forms.ModelChoiceField(
        label="接收机关",
        queryset=Organization.objects.none(),
        empty_label="（请选择）",
        error_messages={
            "required": "请选择接收申请的机关。",
            "invalid_choice": "请选择接收申请的机关。",
        },
    )
    note = forms.CharField(label="分办说明（选填）", max_length=500, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to_organization"].queryset = targets


class TransferForm(DispatchForm):
    """转办: the body that finds the request is another body's, and why."""

    note = None
    reason = forms.CharField(
        label="转办理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写转办的理由。"},
    )


class ReturnForm(forms.Form):
    """退回: back to the county's queue, with the reason."""

    reason = forms.CharField(
        label="退回理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如：申请的信息不属于本机关负责公开，建议分办至某机关。",
        error_messages={"required": "请填写退回的理由。"},
    )


class IntakeSettingsForm(forms.Form):
    is_active = forms.BooleanField(label="启用统一申请入口", required=False)
    clock_start = forms.ChoiceField(
        label="答复期限的起算日（条例第三十一条）",
        required=False,
        help_text="平台默认按“统一受理平台收到申请之日”起算；本地规定以签收之日起算的，可在此改为“答复机关签收之日”。",
    )
    dispatch_days = forms.IntegerField(
        label="分办时限（工作日）",
        required=False,
        min_value=1,
        max_value=20,
        help_text="本地管理规定的分办时限；留空时按平台设置。",
        error_messages={
            "min_value": "分办时限应为1至20个工作日。",
            "max_value": "分办时限应为1至20个工作日。",
            "invalid": "请填写整数。",
        },
    )
    intro = forms.CharField(
        label="申请页说明（选填）",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, platform_default: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        default_label = CLOCK_START_CHOICES.get(platform_default, platform_default)
        self.fields["clock_start"].choices = [
            ("", f"按平台设置（{default_label}）"),
            *CLOCK_START_CHOICES.items(),
        ]
