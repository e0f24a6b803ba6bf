"""Forms of the body's public profile (机构概况, 政务新媒体, 公开制度); they validate,
the services in ``profile`` write."""

from __future__ import annotations

from django import forms

from gongkai.bounds import BoundedDateField

from .models import Leader, NewMediaAccount, Organization, Unit


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["functions", "rules_html"]
        widgets = {
            "functions": forms.Textarea(attrs={"rows": 10}),
            "rules_html": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "rules_html": "本机关自己的政府信息公开工作制度说明，可用简单 HTML（段落、标题、列表、表格、链接），"
            "保存时自动清除脚本和样式。制度文件请在下方上传。",
        }


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = ["name", "title", "duties", "order"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"duties": "分管工作，例如“负责党政办、财政所工作”。只公开姓名、职务和分工。"}


class UnitPublicForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["duties", "phone", "order", "is_public"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}


class NewMediaForm(forms.ModelForm):
    qr = forms.FileField(
        label="二维码图片",
        required=False,
        help_text="PNG 或 JPEG；保存时重新生成为 PNG 图片。",
    )
    remove_qr = forms.BooleanField(label="删除现有二维码", required=False)

    class Meta:
        model = NewMediaAccount
        fields = ["name", "platform", "account_id", "order"]


class RuleDocumentForm(forms.Form):
    title = forms.CharField(label="制度名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = BoundedDateField(
        label="印发日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.IntegerField(label="排序", min_value=0, initial=0)
    file = forms.FileField(label="制度文件", help_text="PDF、OFD、Word 或 Excel 文件。")
