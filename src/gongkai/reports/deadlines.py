"""Publication deadlines of the annual report (条例第四十九条).

- departments of county-level and higher governments: 31 January;
- county-level and higher local governments: 31 March;
- 乡镇/街道: the date their county sets (SupervisionSettings of the nearest
  supervising ancestor; 20 February when none is set).

Installations with local rules override the statutory dates with the setting
``GONGKAI_REPORT_DEADLINES = {"department": (1, 31), "county": (3, 31), ...}``.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings

from gongkai.annual.rules import statutory_deadline

from .models import SupervisionSettings

DEFAULT_TOWN_DEADLINE = (2, 20)


def _override(level: str) -> tuple[int, int] | None:
    table = getattr(settings, "GONGKAI_REPORT_DEADLINES", None) or {}
    value = table.get(level)
    return tuple(value) if value else None  # type: ignore[return-value]


def town_deadline_of(org) -> tuple[int, int]:
    """(month, day) the nearest supervising ancestor set for towns under it."""
    ancestors = [a.pk for a in org.ancestors()]
    if not ancestors:
        return DEFAULT_TOWN_DEADLINE
    found = {
        s.organization_id: (s.town_deadline_month, s.town_deadline_day)
        for s in SupervisionSettings.objects.filter(organization_id__in=ancestors)
    }
    for pk in ancestors:  # nearest first
        if pk in found:
            return found[pk]
    return DEFAULT_TOWN_DEADLINE


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def deadline_for(org, year: int) -> date:
    """The last day on which ``org`` may publish its report for ``year``."""
    override = _override(org.level)
    if override:
        return _day(year + 1, *override)
    if org.level == "town":
        month, day = town_deadline_of(org)
        return _day(year + 1, month, day)
    # 条例第四十九条: departments 31 January, governments 31 March.
    statutory = statutory_deadline(year, org.level)
    return statutory or date(year + 1, 3, 31)
