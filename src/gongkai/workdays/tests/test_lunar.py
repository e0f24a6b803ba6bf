"""The lunar-holiday table (``gongkai.workdays.lunar``) checked against astronomy.

Independent of the table's published source, each date is recomputed from
first principles: a Chinese month begins on the Beijing-time day of a new moon
(Meeus, *Astronomical Algorithms*, 2nd ed., ch. 49, main periodic terms —
accurate to about a minute), and month N is the one containing the principal
solar term N: 正月 contains 雨水 (sun at 330°), 五月 夏至 (90°), 八月 秋分 (180°)
(ch. 25, low-precision sun — about 0.01°, i.e. about 15 minutes).  清明 is the
day the sun reaches 15°.

2033-2034 is the known "2033 problem": the principal-term rule alone is
ambiguous there (秋分 2033 falls on the day of a new moon; one month holds both
大寒 and 雨水).  GB/T 33661-2017《农历的编算和颁行》 settles it with a leap
eleventh month in 2033, giving 中秋 2033-09-08 and 春节 2034-02-19; for those
two dates only the new-moon offset is checked, and the GB/T outcome is asserted.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest

from gongkai.workdays.lunar import LUNAR_HOLIDAYS, statutory_holidays

UNIX_JD = 2440587.5


def _new_moon_jde(k: int) -> float:
    t = k / 1236.85
    jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t**2
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = math.radians(2.5534 + 29.10535670 * k - 0.0000014 * t**2)
    mp = math.radians(201.5643 + 385.81693528 * k + 0.0107582 * t**2)
    f = math.radians(160.7108 + 390.67050284 * k - 0.0016118 * t**2)
    o = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t**2)
    terms = (
        (-0.40720, mp), (0.17241 * e, m), (0.01608, 2 * mp), (0.01039, 2 * f),
        (0.00739 * e, mp - m), (-0.00514 * e, mp + m), (0.00208 * e * e, 2 * m),
        (-0.00111, mp - 2 * f), (-0.00057, mp + 2 * f), (0.00056 * e, 2 * mp + m),
        (-0.00042, 3 * mp), (0.00042 * e, m + 2 * f), (0.00038 * e, m - 2 * f),
        (-0.00024 * e, 2 * mp - m), (-0.00017, o), (-0.00007, mp + 2 * m),
        (0.00004, 2 * mp - 2 * f), (0.00004, 3 * m), (0.00003, mp + m - 2 * f),
        (0.00003, 2 * mp + 2 * f), (-0.00003, mp + m + 2 * f), (0.00003, mp - m + 2 * f),
        (-0.00002, mp - m - 2 * f), (-0.00002, 3 * mp + m), (0.00002, 4 * mp),
    )  # fmt: skip
    return jde + sum(c * math.sin(a) for c, a in terms)


def _beijing_day(jde: float) -> date:
    # ΔT ≈ 70 s (TT - UT) is below the method's accuracy; Beijing is UT+8.
    seconds = (jde - UNIX_JD) * 86400 - 70 + 8 * 3600
    return (datetime(1970, 1, 1) + timedelta(seconds=seconds)).date()


def _sun_longitude(jd: float) -> float:
    t = (jd - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    c = (
        (1.914602 - 0.004817 * t) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    omega = math.radians(125.04 - 1934.136 * t)
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _term_day(year: int, longitude: float, month: int) -> date:
    """Beijing day on which the sun reaches ``longitude`` (searched from ``month``-1)."""
    lo = (datetime(year, month, 1) - timedelta(days=30) - datetime(1970, 1, 1)).days + UNIX_JD
    hi = lo + 60
    for _ in range(40):  # bisection on the angle past the target
        mid = (lo + hi) / 2
        if (_sun_longitude(mid) - longitude + 180) % 360 - 180 < 0:
            lo = mid
        else:
            hi = mid
    return _beijing_day(lo + 70 / 86400)


def _month_of(day: date) -> tuple[date, date]:
    """(first day, first day of the next month) of the lunar month holding ``day``."""
    k = math.floor((day - date(2000, 1, 6)).days / 29.530588861) - 1
    while _beijing_day(_new_moon_jde(k + 1)) <= day:
        k += 1
    while _beijing_day(_new_moon_jde(k)) > day:
        k -= 1
    return _beijing_day(_new_moon_jde(k)), _beijing_day(_new_moon_jde(k + 1))


GBT_33661_EXCEPTIONS = {(2033, "中秋"), (2034, "春节")}


@pytest.mark.parametrize("year", sorted(LUNAR_HOLIDAYS))
def test_table_agrees_with_the_moon_and_the_sun(year):
    eve, duanwu, midautumn, qingming = LUNAR_HOLIDAYS[year]
    checks = (
        ("春节", eve + timedelta(days=1), 0, 330, 2),
        ("端午", duanwu, 4, 90, 6),
        ("中秋", midautumn, 14, 180, 9),
    )
    for name, day, offset, term, term_month in checks:
        first, following = _month_of(day)
        assert day == first + timedelta(days=offset), (year, name)
        holds_term = first <= _term_day(year, term, term_month) < following
        assert holds_term is ((year, name) not in GBT_33661_EXCEPTIONS), (year, name)
    assert qingming == _term_day(year, 15, 4)


def test_gbt_33661_resolution_of_2033():
    assert LUNAR_HOLIDAYS[2033][2] == date(2033, 9, 8)
    assert LUNAR_HOLIDAYS[2034][0] == date(2034, 2, 18)  # 除夕; 春节 2034-02-19


def test_table_matches_known_dates():
    # Dates quoted in the task and widely published (春节 = 除夕 + 1).
    spring = {y: LUNAR_HOLIDAYS[y][0] + timedelta(days=1) for y in LUNAR_HOLIDAYS}
    assert spring[2027] == date(2027, 2, 6)
    assert spring[2028] == date(2028, 1, 26)
    assert spring[2029] == date(2029, 2, 13)
    assert spring[2030] == date(2030, 2, 3)
    assert LUNAR_HOLIDAYS[2027][1:3] == (date(2027, 6, 9), date(2027, 9, 15))


def test_statutory_holidays_2027():
    assert sorted(statutory_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),
        date(2027, 4, 5),
        date(2027, 5, 1), date(2027, 5, 2),
        date(2027, 6, 9),
        date(2027, 9, 15),
        date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),
    ]  # fmt: skip


def test_statutory_holidays_outside_the_table_keep_the_fixed_dates():
    days = statutory_holidays(2040)
    assert days == {
        date(2040, 1, 1),
        date(2040, 5, 1),
        date(2040, 5, 2),
        date(2040, 10, 1),
        date(2040, 10, 2),
        date(2040, 10, 3),
    }


def test_mid_autumn_on_national_day_counts_once():
    # 2028: 中秋 10/3 is also 国庆 — 8 days would need a notice; statutory: 10/1-3.
    assert {d for d in statutory_holidays(2028) if d.month == 10} == {
        date(2028, 10, 1),
        date(2028, 10, 2),
        date(2028, 10, 3),
    }
