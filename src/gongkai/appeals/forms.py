from __future__ import annotations

from django import forms

from gongkai.applications.forms import date_field
from gongkai.applications.models import Application

from .models import Appeal, AppealKind, Result


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    application = forms.ModelChoiceField(
        label="对应的政府信息公开申请",
        queryset=Application.objects.none(),
        required=False,
        empty_label="（不关联）",
    )
    follows = forms.ModelChoiceField(
        label="前置行政复议（复议后起诉时选择）",
        queryset=Appeal.objects.none(),
        required=False,
        empty_label="（无）",
    )
    filed_on = date_field("受理/立案日期")
    authority = forms.CharField(label="复议机关/人民法院", max_length=200)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    applicant_name = forms.CharField(label="申请人/原告", max_length=200, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["application"].queryset = Application.objects.filter(
                organization=organization
            ).order_by("-received_on")
            self.fields["application"].label_from_instance = lambda a: (
                f"{a.tracking_code}（{a.received_on:%Y-%m-%d}，{a.description[:20]}）"
            )
            self.fields["follows"].queryset = Appeal.objects.filter(
                organization=organization, kind="reconsideration"
            )


class DecideForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=[("", "（请选择）"), *Result.choices])
    decided_on = date_field("审结日期")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
