"""Forms validate input; they never change state (services do)."""

from __future__ import annotations

from django import forms

from .models import HolidaySchedule


class HolidayScheduleForm(forms.ModelForm):
    class Meta:
        model = HolidaySchedule
        fields = ["year", "source", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "text": "每行一条：“2027-01-01 休 元旦”“2027-02-06~2027-02-12 休 春节”“2027-02-14 班”；# 后为注释。",
        }

    def validate_unique(self):
        # Saving an existing year replaces it (the service does an upsert).
        pass
