"""Statutory public holidays for years whose State Council schedule is unknown.

《全国年节及纪念日放假办法》(国务院令, as amended by 国务院令第795号 with effect
from 1 January 2025), 第二条 — holidays for all citizens:

* 元旦 1 day (1 January);
* 春节 4 days (农历除夕、正月初一至初三);
* 清明节 1 day (农历清明当日 — the day of the 清明 solar term);
* 劳动节 2 days (1-2 May);
* 端午节 1 day (农历端午当日, 五月初五);
* 中秋节 1 day (农历中秋当日, 八月十五);
* 国庆节 3 days (1-3 October).

The State Council's yearly notice adds 调休 (weekend days swapped to make
longer breaks); those cannot be known in advance and are NOT guessed here.
A year counted this way is still provisional (see ``core``).

The ``chinesecalendar`` package (1.11) has no lunar-date conversion, only
solar terms, so the lunar dates are a table.  Sources: the Gregorian dates of
除夕, 端午 and 中秋 as published in the 紫金山天文台 (Purple Mountain
Observatory) 《中国天文年历》 lunar calendars / Hong Kong Observatory's
公历与农历日期对照表, and 清明 from the same tables (it agrees with
``chinese_calendar.get_solar_terms``).  Each date was checked independently
(``tests/test_lunar.py`` documents how): 正月初一 / 五月初一 / 八月初一 fall on
the Beijing-time day of a new moon (Meeus, *Astronomical Algorithms*, ch. 49),
and those months contain their principal terms 雨水 (330°), 夏至 (90°), 秋分
(180°) of solar longitude (ch. 25), so no leap month is mistaken for them.
Extend the table (and its test) before 2036.
"""

from __future__ import annotations

from datetime import date, timedelta

# year: (除夕, 端午 五月初五, 中秋 八月十五, 清明)
LUNAR_HOLIDAYS: dict[int, tuple[date, date, date, date]] = {
    2027: (date(2027, 2, 5), date(2027, 6, 9), date(2027, 9, 15), date(2027, 4, 5)),
    2028: (date(2028, 1, 25), date(2028, 5, 28), date(2028, 10, 3), date(2028, 4, 4)),
    2029: (date(2029, 2, 12), date(2029, 6, 16), date(2029, 9, 22), date(2029, 4, 4)),
    2030: (date(2030, 2, 2), date(2030, 6, 5), date(2030, 9, 12), date(2030, 4, 5)),
    2031: (date(2031, 1, 22), date(2031, 6, 24), date(2031, 10, 1), date(2031, 4, 5)),
    2032: (date(2032, 2, 10), date(2032, 6, 12), date(2032, 9, 19), date(2032, 4, 4)),
    2033: (date(2033, 1, 30), date(2033, 6, 1), date(2033, 9, 8), date(2033, 4, 4)),
    2034: (date(2034, 2, 18), date(2034, 6, 20), date(2034, 9, 27), date(2034, 4, 5)),
    2035: (date(2035, 2, 7), date(2035, 6, 10), date(2035, 9, 16), date(2035, 4, 5)),
}


def statutory_holidays(year: int) -> frozenset[date]:
    """The statutory rest days of ``year`` (any weekday, without 调休).

    Fixed-date holidays for every year; the lunar ones (春节, 清明, 端午, 中秋)
    only for the years in :data:`LUNAR_HOLIDAYS`.
    """
    days = {
        date(year, 1, 1),  # 元旦
        date(year, 5, 1),  # 劳动节
        date(year, 5, 2),
        date(year, 10, 1),  # 国庆节
        date(year, 10, 2),
        date(year, 10, 3),
    }
    lunar = LUNAR_HOLIDAYS.get(year)
    if lunar is not None:
        eve, duanwu, midautumn, qingming = lunar
        days.update(eve + timedelta(days=i) for i in range(4))  # 除夕 + 初一至初三
        days.update((qingming, duanwu, midautumn))
    # 春节 starting on 除夕 late in January never leaves the year; keep the
    # year's own days only (a schedule holds one year).
    return frozenset(d for d in days if d.year == year)
