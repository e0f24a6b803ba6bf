"""Every write of the workcal app."""

from __future__ import annotations

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid, require
from gongkai.organizations.models import Organization
from gongkai.workdays import parse_schedule

from .models import HolidaySchedule
from .permissions import can_manage_holidays


@transaction.atomic
def holiday_schedule_save(
    *, year: int, text: str, source: str = "", acting_user, organization: Organization | None
) -> HolidaySchedule:
    """Store an administrator-entered schedule after gongkai.workdays has parsed it.

    Saving a year that already has a schedule replaces it.  ``organization`` is
    the body the superuser was working in: the audit row appears in its log.
    """
    require(can_manage_holidays(acting_user, organization), "只有管理员可以录入节假日安排。")
    if not 2000 <= year <= 2100:
        raise Invalid({"year": "年份超出范围（2000-2100）。"})
    try:
        parse_schedule(text, year, source=source or "管理员录入")
    except ValueError as exc:
        raise Invalid({"text": str(exc)}) from None
    schedule, created = HolidaySchedule.objects.select_for_update().get_or_create(
        year=year, defaults={"text": text, "source": source, "entered_by": acting_user}
    )
    if not created:
        schedule.text, schedule.source, schedule.entered_by = text, source, acting_user
        schedule.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="holiday_schedule.save",
        obj=schedule,
        data={"year": year, "source": source},
    )
    # Every app server counts with the new schedule once the row is committed:
    # the model's post_save signal (workcal/apps.py) bumps the shared version.
    return schedule
