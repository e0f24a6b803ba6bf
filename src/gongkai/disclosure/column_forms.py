"""Forms of the dedicated columns (收费项目, 建议提案办理结果); the services write."""

from __future__ import annotations

from django import forms

from gongkai.bounds import EARLIEST_YEAR, LATEST_YEAR, BoundedDateField

from .models import FeeItem, Item, ProposalReply
from .services.columns import FEE_FIELDS, PROPOSAL_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class FeeItemForm(forms.ModelForm):
    class Meta:
        model = FeeItem
        fields = FEE_FIELDS
        field_classes = {"abolished_on": BoundedDateField}
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 2}),
            "standard": forms.Textarea(attrs={"rows": 2}),
            "abolished_on": DATE,
        }


class ProposalReplyForm(forms.ModelForm):
    year = forms.IntegerField(label="年度", min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)

    class Meta:
        model = ProposalReply
        fields = PROPOSAL_FIELDS
        field_classes = {"replied_on": BoundedDateField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "replied_on": DATE}
        help_texts = {"item": "答复全文作为政府信息经保密审查后公开，在此选择已公开的那一条。"}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["item"].queryset = Item.objects.filter(
            organization=organization, status=Item.Status.PUBLISHED
        ).order_by("-published_at")
