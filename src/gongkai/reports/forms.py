"""Forms validate; they never change state (services do)."""

from __future__ import annotations

import calendar

from django import forms

from gongkai.annual import format as fmt
from gongkai.bounds import BoundedDateField

from .assessment import INDICATORS


class ProseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in fmt.SECTIONS:
            self.fields[f"section_{section.number}"] = forms.CharField(
                label=section.title,
                required=False,
                max_length=50_000,
                widget=forms.Textarea(attrs={"rows": 8 if section.number in (1, 5) else 5}),
            )

    def sections(self) -> dict[int, str]:
        return {s.number: self.cleaned_data[f"section_{s.number}"] for s in fmt.SECTIONS}


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionOpenForm(forms.Form):
    reason = forms.CharField(
        label="更正理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：2024年3月的一件申请登记的申请人类型有误，应为法人或其他组织。",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="往年年度报告文件",
        help_text="支持文本（.txt）、网页（.html）、Word（.docx）、PDF、gongkai 导出的 JSON 或 Excel。",
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2008,
        max_value=2100,
        help_text="留空时从文件中识别。",
    )
    published_on = BoundedDateField(
        label="公布日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="原报告的公布日期；留空时记为次年1月1日。",
    )
    name_confirmed = forms.BooleanField(
        label="文件中的机关名称与本机关不一致时，我确认这是本机关的报告（例如机关更名）",
        required=False,
        help_text="只在导入被拒绝并提示机关名称不一致时勾选；确认将记入审计记录，上级可见。",
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > int(settings.UPLOAD_MAX_BYTES):
            raise forms.ValidationError("文件过大，超过上传上限。")
        if upload.size == 0:
            raise forms.ValidationError("文件是空的。")
        return upload


class ImportRejectForm(forms.Form):
    comment = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionSettingsForm(forms.Form):
    town_deadline_month = forms.TypedChoiceField(
        label="乡镇（街道）年度报告期限：月",
        choices=[(1, "1月"), (2, "2月"), (3, "3月")],
        coerce=int,
    )
    town_deadline_day = forms.IntegerField(label="日", min_value=1, max_value=31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[f"w_{indicator.key}"] = forms.IntegerField(
                label=(
                    f"每件扣分：{indicator.label}"
                    if indicator.deduction
                    else f"权重：{indicator.label}"
                ),
                min_value=0,
                max_value=100,
                # A deduction left blank keeps its default (a form saved before it existed).
                required=not indicator.deduction,
                help_text=f"留空按默认{indicator.weight}分" if indicator.deduction else "",
            )

    def clean(self):
        data = super().clean()
        month, day = data.get("town_deadline_month"), data.get("town_deadline_day")
        if month and day and day > calendar.monthrange(2024, month)[1]:
            self.add_error("town_deadline_day", f"{month}月没有{day}日。")
        averaged = [i for i in INDICATORS if not i.deduction]
        if all(f"w_{i.key}" in data for i in averaged) and not any(
            data[f"w_{i.key}"] for i in averaged
        ):
            raise forms.ValidationError("至少要有一项指标的权重大于0。")
        return data

    def weights(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            i.key: i.weight if data[f"w_{i.key}"] is None else data[f"w_{i.key}"]
            for i in INDICATORS
        }
