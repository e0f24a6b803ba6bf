"""The platform's working-day calendar, read by every app that counts a deadline."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db.models import Count, Max

from gongkai.workdays import Calendar, parse_schedule

from .models import HolidaySchedule

_calendar_lock = threading.Lock()
_calendar_cache: dict[str, object] = {}


def calendar_invalidate() -> None:
    with _calendar_lock:
        _calendar_cache.clear()


def calendar() -> Calendar:
    """The platform's :class:`gongkai.workdays.Calendar`: administrator schedules from
    the database first, then the chinesecalendar package, then Mon-Fri (provisional).

    Cached per process; the cache key is the schedules' count and last change,
    so a schedule saved in another process is picked up on the next call.
    """
    stamp = HolidaySchedule.objects.aggregate(n=Count("pk"), last=Max("entered_at"))
    key = (stamp["n"], stamp["last"])
    with _calendar_lock:
        if _calendar_cache.get("key") == key:
            return _calendar_cache["calendar"]  # type: ignore[return-value]
    schedules = [
        parse_schedule(s.text, s.year, source=s.source or "管理员录入")
        for s in HolidaySchedule.objects.order_by("year")
    ]
    cal = Calendar(schedules)
    with _calendar_lock:
        _calendar_cache.update(key=key, calendar=cal)
    return cal


def fee_pauses_clock() -> bool:
    """Whether the time between a fee notice and the payment is left out of the
    reply period (国办函〔2020〕109号) — the ``GONGKAI_FEE_PAUSES_CLOCK`` setting."""
    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", True))
