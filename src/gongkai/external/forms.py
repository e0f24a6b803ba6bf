from __future__ import annotations

from django import forms

from .models import LEVEL_CHOICES


class ExternalBodyForm(forms.Form):
    name = forms.CharField(label="机关名称", max_length=200)
    level = forms.ChoiceField(label="层级", choices=LEVEL_CHOICES)
    column_url = forms.URLField(
        label="年度报告栏目网址",
        max_length=1000,
        assume_scheme="https",
        help_text="机关网站上列出各年度政府信息公开工作年度报告的栏目页",
    )
    is_active = forms.BooleanField(label="纳入检查", required=False, initial=True)

    def clean_column_url(self) -> str:
        url = self.cleaned_data["column_url"].strip()
        if not url.startswith(("http://", "https://")):
            raise forms.ValidationError("网址应以 http:// 或 https:// 开头。")
        return url
