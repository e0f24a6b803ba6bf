"""Forms of the back office's 送达 section (applications.delivery)."""

from __future__ import annotations

from django import forms

from gongkai.bounds import BoundedDateField
from gongkai.disclosure.forms import MultipleFileField
from gongkai.uploads import UploadRejected, check_upload, kinds_label

from .delivery import RELEASED_KINDS
from .models import Delivery

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReleasedDocumentForm(forms.Form):
    files = MultipleFileField(
        label="提供的政府信息文件",
        help_text=f"可多选。允许 {kinds_label(RELEASED_KINDS)}；网页、SVG 和可执行文件会被拒绝。"
        "答复办结后申请人可在办理进度查询页面下载。",
    )

    def clean_files(self):
        # Only for the message next to the field; the service checks each file itself.
        files = self.cleaned_data.get("files") or []
        errors = []
        for file in files:
            try:
                check_upload(file, allowed=RELEASED_KINDS)
            except UploadRejected as exc:
                errors.append(f"{file.name}：{exc.messages[0]}")
        if errors:
            raise forms.ValidationError(errors)
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        return files


class ServiceForm(forms.Form):
    # 网上获取 is recorded by the applicant's first download (D65), not by hand.
    method = forms.ChoiceField(
        label="送达方式", choices=[c for c in Delivery.choices if c[0] != Delivery.ONLINE]
    )
    served_on = BoundedDateField(label="送达日期", widget=DATE)
    note = forms.CharField(
        label="送达说明",
        required=False,
        max_length=300,
        help_text="例如挂号信单号、签收人、电子邮件发送记录。",
    )
