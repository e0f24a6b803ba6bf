"""The organization's audit log page."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from gongkai.organizations.decorators import backoffice_view
from gongkai.organizations.models import Role

from .selectors import events_for_organization, verbs_for_organization

# Who may read a body's audit log: those answerable for its work, and supervisors.
AUDIT_LOG_ROLES = (Role.ADMIN, Role.OFFICE_HEAD, Role.APPROVER, Role.SUPERVISOR)


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(label="操作", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, verbs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "全部"), *[(v, v) for v in verbs]]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


@backoffice_view(*AUDIT_LOG_ROLES)
def event_list(request):
    org = request.organization
    form = AuditFilterForm(request.GET or None, verbs=verbs_for_organization(org))
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = events_for_organization(org, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )
