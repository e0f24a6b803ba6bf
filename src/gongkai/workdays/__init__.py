"""gongkai.workdays — the Chinese working-day calendar (工作日计算).

Pure Python, no Django.  See docs/workdays.md.

    >>> from datetime import date
    >>> from gongkai.workdays import add_workdays
    >>> add_workdays(date(2024, 9, 30), 20)  # 条例第三十三条: reply due
    WorkDate(2024, 11, 1)
"""

from gongkai.workdays.core import (
    DEFAULT_CALENDAR,
    Calendar,
    DateOutOfRange,
    ProvisionalScheduleWarning,
    WorkDate,
    add_workdays,
    is_workday,
    next_workday,
    package_schedule,
    package_years,
    provisional_message,
    workdays_between,
)
from gongkai.workdays.schedule import YearSchedule, format_schedule, parse_notice, parse_schedule

__all__ = [
    "DEFAULT_CALENDAR",
    "Calendar",
    "DateOutOfRange",
    "ProvisionalScheduleWarning",
    "WorkDate",
    "YearSchedule",
    "add_workdays",
    "format_schedule",
    "is_workday",
    "next_workday",
    "package_schedule",
    "package_years",
    "parse_notice",
    "parse_schedule",
    "provisional_message",
    "workdays_between",
]
