"""Back-office forms of the notifications (they validate; services write)."""

from __future__ import annotations

from django import forms

from . import events
from .models import MessageStatus


class TemplateForm(forms.Form):
    subject = forms.CharField(label="标题", max_length=200, required=False)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        if channel == events.SMS:
            del self.fields["subject"]
            self.fields[
                "body"
            ].help_text = (
                "短信经短信服务商的审核模板发出，请写简短的一两句话，并以【机关名称】开头。"
            )


class QuietHoursForm(forms.Form):
    enabled = forms.BooleanField(label="启用免打扰时段", required=False)
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    applicant_sms = forms.BooleanField(
        label="发给申请人、留言人的短信也在免打扰时段暂缓", required=False
    )


class PreferenceForm(forms.Form):
    phone = forms.CharField(
        label="接收短信的手机号码",
        max_length=20,
        required=False,
        help_text="不填写则不接收短信。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, group_label in events.GROUPS.items():
            for channel in events.STAFF_CHANNELS:
                self.fields[f"{group}:{channel}"] = forms.BooleanField(
                    label=f"{group_label}：{events.CHANNELS[channel]}", required=False
                )

    def enabled(self) -> list[str]:
        return [name for name, value in self.cleaned_data.items() if ":" in name and value]


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *MessageStatus.choices]
    )
    channel = forms.ChoiceField(
        label="渠道", required=False, choices=[("", "全部"), *events.CHANNELS.items()]
    )
    event = forms.ChoiceField(
        label="事件",
        required=False,
        choices=[("", "全部"), *((k, e.label) for k, e in events.EVENTS.items())],
    )
    day_from = forms.DateField(
        label="自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
