"""Forms of the 督办 pages: they validate input, the services change state."""

from __future__ import annotations

from django import forms

from .models import DEFAULT_RESPOND_WORKDAYS, MAX_RESPOND_WORKDAYS, MIN_RESPOND_WORKDAYS


class SendForm(forms.Form):
    text = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 6}))
    respond_workdays = forms.IntegerField(
        label="回复期限（工作日）",
        min_value=MIN_RESPOND_WORKDAYS,
        max_value=MAX_RESPOND_WORKDAYS,
        initial=DEFAULT_RESPOND_WORKDAYS,
        help_text="自督办次日起算，按平台工作日历计算（本级督办制度，默认5个工作日）。",
    )


class AnswerForm(forms.Form):
    response = forms.CharField(
        label="办理情况", widget=forms.Textarea(attrs={"rows": 6}), help_text="写明已采取的措施。"
    )
    done_by = forms.DateField(
        label="承诺办结日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="已办结的，填写办结日期。",
    )


class CloseForm(forms.Form):
    comment = forms.CharField(
        label="办结意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="逾期未回复的督办办结时须填写。",
    )
