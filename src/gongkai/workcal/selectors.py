"""The platform's working-day calendar, read by every app that counts a deadline."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max

from gongkai.core.shared import VersionedCopy, cache_is_shared
from gongkai.workdays import Calendar, parse_schedule

from .models import HolidaySchedule

# The version of the schedules in the shared cache (Redis on the platform):
# bumped after every committed change, so each app server rebuilds its copy on
# its next deadline computation — a server counting a 答复期限 with last
# year's calendar would tell an applicant a wrong statutory date (条例第三十三条).
CALENDAR_VERSION = "workcal.calendar"


def _schedules_stamp():
    """Without a shared cache (the embedded mode's LocMem) every process checks
    the table itself: the schedules' count and last change."""
    if cache_is_shared():
        return None
    stamp = HolidaySchedule.objects.aggregate(n=Count("pk"), last=Max("entered_at"))
    return (stamp["n"], stamp["last"])


def _load() -> Calendar:
    schedules = [
        parse_schedule(s.text, s.year, source=s.source or "管理员录入")
        for s in HolidaySchedule.objects.order_by("year")
    ]
    return Calendar(schedules)


_process_calendar: VersionedCopy[Calendar] = VersionedCopy(
    CALENDAR_VERSION, _load, extra=_schedules_stamp
)


def calendar_invalidate() -> None:
    """Drop this process's copy (other processes: :func:`calendar_changed`)."""
    _process_calendar.invalidate()


def calendar_changed() -> None:
    """A schedule changed: this thread reads its own rows until the commit, then
    every process rebuilds its calendar.  Call inside the changing transaction."""
    _process_calendar.changed()


def calendar() -> Calendar:
    """The platform's :class:`gongkai.workdays.Calendar`: administrator schedules from
    the database first, then the chinesecalendar package, then Mon-Fri (provisional).

    One copy per process, rebuilt when the schedules' version in the shared
    cache changes (one cache read per call) or, without a shared cache, when
    the table's count/last change does.
    """
    return _process_calendar.current()


def fee_pauses_clock() -> bool:
    """Whether the time between a fee notice and the payment is left out of the
    reply period (国办函〔2020〕109号) — the ``GONGKAI_FEE_PAUSES_CLOCK`` setting."""
    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", True))
