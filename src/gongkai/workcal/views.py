"""The holiday schedules page (platform-wide: superusers only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.core.errors import require
from gongkai.core.responses import add_errors
from gongkai.platform.decorators import backoffice_view

from . import selectors, services
from .forms import HolidayScheduleForm
from .models import HolidaySchedule
from .permissions import can_manage_holidays


@backoffice_view()
def holidays(request):
    org = request.organization
    require(can_manage_holidays(request.user, org), "只有管理员可以录入节假日安排。")
    schedules = HolidaySchedule.objects.select_related("entered_by")
    form = HolidayScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_schedule_save(
                year=form.cleaned_data["year"],
                text=form.cleaned_data["text"],
                source=form.cleaned_data["source"],
                acting_user=request.user,
                organization=org,
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, f"{form.cleaned_data['year']}年节假日安排已保存。")
            return redirect("workcal:holidays")
    cal = selectors.calendar()
    return render(
        request,
        "workcal/holidays.html",
        {
            "form": form,
            "schedules": schedules,
            "known_years": cal.known_years(),
            "this_year": timezone.localdate().year,
        },
    )
