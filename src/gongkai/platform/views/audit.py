"""The organization's audit log page (``audit:event_list``): verbs and states in
Chinese from the audit-verb registry (``core.audit_verbs``), the verb beside them."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from gongkai.audit.selectors import events_for_organization, verbs_for_organization
from gongkai.bounds import BoundedDateField
from gongkai.core.audit_verbs import describe, label
from gongkai.organizations.models import Role

from ..decorators import backoffice_view

# Who may read a body's audit log: those answerable for its work, and supervisors.
AUDIT_LOG_ROLES = (Role.ADMIN, Role.OFFICE_HEAD, Role.APPROVER, Role.SUPERVISOR)


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(label="操作", required=False)
    # Bounded like every back-office date input (gongkai.bounds).
    date_from = BoundedDateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, verbs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "全部"), *[(v, label(v)) for v in verbs]]

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
    for event in page:  # the page keeps these objects for the template
        event.description = describe(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )
