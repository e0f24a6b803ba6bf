"""The working-day calendar: one implementation of 工作日 for the whole platform.

Deadlines of the 条例 are counted in working days: 第二十六条 (proactive items,
20 working days), 第三十条 (补正 request within 7), 第三十二条 (third party answers
within 15), 第三十三条 (reply within 20, extension at most 20 more).  The
regulations digest fixes how to count "N working days from receipt": the N-th
working day *after* the day of receipt, whatever kind of day the receipt fell
on — so a receipt on a Saturday is not first moved to Monday and then counted
again (docs/workdays.md has worked examples).

A year's schedule comes from, in order: a schedule an administrator entered
(:class:`YearSchedule`), the ``chinesecalendar`` package (2004-2026 in 1.11),
or — for any other year — Monday to Friday less the statutory public holidays
of 《全国年节及纪念日放假办法》 (``lunar.statutory_holidays``; no 调休, which only
the yearly notice fixes), with a :class:`ProvisionalScheduleWarning` and
``WorkDate.provisional`` set.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata

from gongkai.workdays.lunar import statutory_holidays
from gongkai.workdays.schedule import YearSchedule


class ProvisionalScheduleWarning(UserWarning):
    """A computation used Mon-Fri for a year whose holiday schedule is unknown."""


class DateOutOfRange(ValueError):
    """A computation needed a year the calendar cannot represent (outside 1-9999).

    Only a wrong date does this — e.g. a stored 收到申请之日 of 9999-12-20, whose
    20th working day would fall in the year 10000.  Callers that read stored
    dates catch it and show the date as wrong (``gongkai.bounds.OUT_OF_RANGE``)
    instead of failing.  A ``ValueError`` subclass, so code that caught
    ``ValueError`` before keeps working; ``year`` is the year that was needed.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year}年超出可计算的日期范围")

    def __reduce__(self):
        return (type(self), (self.year,))


def provisional_message(years: Iterable[int]) -> str:
    names = "、".join(f"{y}年" for y in sorted(set(years)))
    return (
        f"{names}的节假日安排尚未公布或录入，"
        "期限按周一至周五并扣除法定节假日（不含调休）计算，仅供参考"
    )


class WorkDate(date):
    """A ``date`` computed by the calendar, with the years it had to guess.

    ``unknown_years`` lists the years without a known schedule that the
    computation passed through; ``provisional`` is true when there is any.
    Compares, hashes and stores (Django ``DateField``) as the plain date.
    Arithmetic on it gives a plain ``date``: the flag belongs to this value only.
    """

    __slots__ = ("unknown_years",)
    unknown_years: tuple[int, ...]

    def __new__(cls, year: int, month: int, day: int, *, unknown_years: Iterable[int] = ()):
        self = super().__new__(cls, year, month, day)
        self.unknown_years = tuple(sorted(set(unknown_years)))
        return self

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)

    def as_date(self) -> date:
        return date(self.year, self.month, self.day)

    def __repr__(self) -> str:
        extra = f", unknown_years={self.unknown_years!r}" if self.unknown_years else ""
        return f"WorkDate({self.year}, {self.month}, {self.day}{extra})"

    def __reduce__(self):
        return (_rebuild_workdate, (self.year, self.month, self.day, self.unknown_years))

    def __add__(self, other):
        return date.__add__(self.as_date(), other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, WorkDate):
            other = other.as_date()
        return date.__sub__(self.as_date(), other)

    def __rsub__(self, other):
        if not isinstance(other, date):
            return NotImplemented
        return date.__sub__(other, self.as_date())


def _rebuild_workdate(year: int, month: int, day: int, unknown: tuple[int, ...]) -> WorkDate:
    return WorkDate(year, month, day, unknown_years=unknown)


@dataclass(frozen=True, slots=True)
class _Year:
    """Working days of one year as sorted ordinals, for bisect and membership."""

    year: int
    known: bool
    ordinals: tuple[int, ...]
    members: frozenset[int]


def _build_year(
    year: int, holidays: Iterable[date], workdays: Iterable[date], known: bool
) -> _Year:
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    off = {d.toordinal() for d in holidays}
    extra = {d.toordinal() for d in workdays}
    # date.weekday() == (ordinal + 6) % 7; Monday is 0.
    ordinals = tuple(
        o for o in range(first, last + 1) if o in extra or ((o + 6) % 7 < 5 and o not in off)
    )
    return _Year(year, known, ordinals, frozenset(ordinals))


# --- the chinesecalendar package -------------------------------------------


def _package_version() -> str:
    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:  # pragma: no cover - vendored copies
        return "unknown"


@lru_cache(maxsize=1)
def _package_tables() -> tuple[int, int, dict[int, set[date]], dict[int, set[date]]]:
    from chinese_calendar import constants

    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for d in constants.holidays:
        if d.weekday() < 5:
            holidays.setdefault(d.year, set()).add(d)
    for d in constants.workdays:
        if d.weekday() >= 5:
            workdays.setdefault(d.year, set()).add(d)
    years = [d.year for d in constants.holidays]
    return min(years), max(years), holidays, workdays


def package_years() -> range:
    """The years the installed ``chinesecalendar`` covers (2004-2026 for 1.11)."""
    first, last, _, _ = _package_tables()
    return range(first, last + 1)


def package_schedule(year: int) -> YearSchedule | None:
    first, last, holidays, workdays = _package_tables()
    if not first <= year <= last:
        return None
    return YearSchedule(
        year,
        frozenset(holidays.get(year, ())),
        frozenset(workdays.get(year, ())),
        f"chinesecalendar {_package_version()}",
    )


@lru_cache(maxsize=256)
def _package_year(year: int) -> _Year:
    schedule = package_schedule(year)
    if schedule is None:
        # 《全国年节及纪念日放假办法》第二条: the statutory days are rest days in any
        # year; the 调休 of the yearly notice are unknowable, so none are assumed.
        return _build_year(year, statutory_holidays(year), (), known=False)
    return _build_year(year, schedule.holidays, schedule.workdays, known=True)


# --- the calendar ------------------------------------------------------------


class Calendar:
    """Working days from administrator schedules, then the package, then Mon-Fri.

    Cheap to build (year tables are computed on first use and package years are
    shared between instances), so the Django side can build one per request
    from the schedules stored in the database.
    """

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._schedules: dict[int, YearSchedule] = {}
        for schedule in schedules:
            if schedule.year in self._schedules:
                raise ValueError(f"{schedule.year}年的节假日安排重复录入")
            self._schedules[schedule.year] = schedule
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        return f"Calendar(admin_years={sorted(self._schedules)!r})"

    # -- which years are known

    def has_schedule(self, year: int) -> bool:
        return year in self._schedules or year in package_years()

    def known_years(self) -> tuple[int, ...]:
        return tuple(sorted(set(package_years()) | set(self._schedules)))

    def schedule_for(self, year: int) -> YearSchedule | None:
        """The schedule in force for ``year`` (administrator's first), or None."""
        return self._schedules.get(year) or package_schedule(year)

    def source(self, year: int) -> str | None:
        schedule = self.schedule_for(year)
        return schedule.source if schedule else None

    def _year(self, year: int) -> _Year:
        data = self._years.get(year)
        if data is None:
            if not 1 <= year <= 9999:
                raise DateOutOfRange(year)
            schedule = self._schedules.get(year)
            if schedule is not None:
                data = _build_year(year, schedule.holidays, schedule.workdays, known=True)
            else:
                data = _package_year(year)
            self._years[year] = data
        return data

    @staticmethod
    def _warn(unknown: list[int], stacklevel: int) -> None:
        if unknown:
            warnings.warn(
                provisional_message(unknown), ProvisionalScheduleWarning, stacklevel=stacklevel + 1
            )

    # -- questions

    def is_workday(self, day: date, *, _stacklevel: int = 2) -> bool:
        data = self._year(day.year)
        if not data.known:
            self._warn([day.year], _stacklevel)
        return day.toordinal() in data.members

    def add_workdays(self, start: date, n: int, *, _stacklevel: int = 2) -> WorkDate:
        """The n-th working day after ``start`` (counting begins the day after).

        条例第三十三条 "自收到申请之日起20个工作日内": ``add_workdays(received_on, 20)``.
        ``n == 0`` returns ``start`` itself.
        """
        if n < 0:
            raise ValueError("工作日天数不能为负数")
        if n == 0:
            return WorkDate(start.year, start.month, start.day)
        pos = start.toordinal()
        year = start.year
        remaining = n
        unknown: list[int] = []
        while True:
            data = self._year(year)
            idx = bisect_right(data.ordinals, pos)
            # A year counts as used when any day of it lies after ``start``.
            if not data.known and (year > start.year or start.month != 12 or start.day != 31):
                unknown.append(year)
            available = len(data.ordinals) - idx
            if remaining <= available:
                result = date.fromordinal(data.ordinals[idx + remaining - 1])
                break
            remaining -= available
            year += 1
        self._warn(unknown, _stacklevel)
        return WorkDate(result.year, result.month, result.day, unknown_years=unknown)

    def next_workday(self, day: date, *, _stacklevel: int = 2) -> WorkDate:
        """The first working day strictly after ``day``."""
        return self.add_workdays(day, 1, _stacklevel=_stacklevel + 1)

    def workdays_between(self, a: date, b: date, *, _stacklevel: int = 2) -> int:
        """Working days in (a, b]; negative when b is before a.

        E.g. how many working days of a reply period have passed by ``today``:
        ``workdays_between(received_on, today)``.
        """
        if b < a:
            return -self.workdays_between(b, a, _stacklevel=_stacklevel + 1)
        lo, hi = a.toordinal(), b.toordinal()
        count = 0
        unknown: list[int] = []
        for year in range(a.year, b.year + 1):
            data = self._year(year)
            if not data.known and (year > a.year or a < date(year, 12, 31)) and a != b:
                unknown.append(year)
            count += bisect_right(data.ordinals, hi) - bisect_right(data.ordinals, lo)
        self._warn(unknown, _stacklevel)
        return count

    def unknown_years_between(self, a: date, b: date) -> tuple[int, ...]:
        """Years in [a, b] without a known schedule, without warning (for UI badges)."""
        lo, hi = min(a, b), max(a, b)
        return tuple(y for y in range(lo.year, hi.year + 1) if not self.has_schedule(y))


DEFAULT_CALENDAR = Calendar()


def _pick(calendar: Calendar | None) -> Calendar:
    return DEFAULT_CALENDAR if calendar is None else calendar


def is_workday(day: date, *, calendar: Calendar | None = None) -> bool:
    return _pick(calendar).is_workday(day, _stacklevel=3)


def add_workdays(start: date, n: int, *, calendar: Calendar | None = None) -> WorkDate:
    return _pick(calendar).add_workdays(start, n, _stacklevel=3)


def next_workday(day: date, *, calendar: Calendar | None = None) -> WorkDate:
    return _pick(calendar).next_workday(day, _stacklevel=3)


def workdays_between(a: date, b: date, *, calendar: Calendar | None = None) -> int:
    return _pick(calendar).workdays_between(a, b, _stacklevel=3)


__all__ = [
    "Calendar",
    "DEFAULT_CALENDAR",
    "DateOutOfRange",
    "ProvisionalScheduleWarning",
    "WorkDate",
    "add_workdays",
    "is_workday",
    "next_workday",
    "package_schedule",
    "package_years",
    "workdays_between",
]
