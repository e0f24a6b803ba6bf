"""Hand-computed working-day cases, 2024-2026, and the unknown-year fallback.

Every expected date below was counted by hand on a printed calendar with the
State Council notices of the year (listed at the top of each block); the
comment shows the count.  "+N" means add_workdays(receipt, N): the N-th working
day after the day of receipt (条例第三十三条 and the digest in regulations.md).
"""

from __future__ import annotations

import pickle
import re
import warnings
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import (
    Calendar,
    DateOutOfRange,
    ProvisionalScheduleWarning,
    WorkDate,
    YearSchedule,
    add_workdays,
    is_workday,
    next_workday,
    package_years,
    parse_schedule,
    workdays_between,
)

D = date

# 2024 (国办发明电〔2023〕7号): 元旦 1/1; 春节 2/10-2/17 off, 2/4 (Sun) and 2/18 (Sun)
# work, 除夕 2/9 is a working day; 清明 4/4-4/6 off, 4/7 (Sun) work; 劳动节 5/1-5/5
# off, 4/28 (Sun) and 5/11 (Sat) work; 端午 6/10; 中秋 9/15-9/17 off, 9/14 (Sat)
# work; 国庆 10/1-10/7 off, 9/29 (Sun) and 10/12 (Sat) work.
CASES_2024 = [
    # Mon before National Day, 第三十三条 20 days: 10/1-7 off; 10/8-12 (Tue-Sat, 12th is
    # a 调休 Saturday) = 1-5; 10/14-18 = 6-10; 10/21-25 = 11-15; 10/28-11/1 = 16-20.
    (D(2024, 9, 30), 20, D(2024, 11, 1)),
    # Fri: 9/28 Sat off; 9/29 Sun works = 1; 9/30 = 2; 10/1-7 off; 10/8-12 = 3-7;
    # 10/14-18 = 8-12; 10/21-25 = 13-17; 10/28, 29, 30 = 18, 19, 20.
    (D(2024, 9, 27), 20, D(2024, 10, 30)),
    # receipt on a holiday (Thu 10/3): counting starts 10/4, no double shift; 10/4-7
    # off; then as the 9/30 case: 10/8-12 = 1-5 ... 10/28-11/1 = 16-20.
    (D(2024, 10, 3), 20, D(2024, 11, 1)),
    # receipt on the 调休 Saturday 10/12: 10/13 Sun off; 10/14-18 = 1-5; 10/21-25 = 6-10;
    # 10/28-11/1 = 11-15; 11/4-8 = 16-20.
    (D(2024, 10, 12), 20, D(2024, 11, 8)),
    # 第三十条 补正 7 days from Fri 9/27: 9/29 Sun = 1, 9/30 = 2, 10/8 = 3, 10/9 = 4,
    # 10/10 = 5, 10/11 = 6, 10/12 (Sat, works) = 7.
    (D(2024, 9, 27), 7, D(2024, 10, 12)),
    # Fri before 中秋: 9/14 Sat works = 1; 9/15-17 off; 9/18, 19, 20 = 2-4;
    # 9/23, 24, 25 = 5-7.
    (D(2024, 9, 13), 7, D(2024, 9, 25)),
    # Spring Festival, Thu 2/8: 2/9 (除夕, works) = 1; 2/10-17 off; 2/18 Sun works = 2;
    # 2/19-23 = 3-7; 2/26-3/1 = 8-12; 3/4-8 = 13-17; 3/11, 12, 13 = 18-20.
    (D(2024, 2, 8), 20, D(2024, 3, 13)),
    # Thu 2/1, 7 days: 2/2 Fri = 1; 2/3 Sat off; 2/4 Sun works = 2; 2/5-9 = 3-7.
    (D(2024, 2, 1), 7, D(2024, 2, 9)),
    # receipt on the 调休 Sunday 2/18 itself, 7 days: 2/19-23 = 1-5; 2/26, 27 = 6, 7.
    (D(2024, 2, 18), 7, D(2024, 2, 27)),
    # Labour Day, Fri 4/26, 第三十二条 15 days: 4/27 Sat off; 4/28 Sun works = 1;
    # 4/29, 30 = 2, 3; 5/1-5 off; 5/6-10 = 4-8; 5/11 Sat works = 9; 5/13-17 = 10-14;
    # 5/20 = 15.
    (D(2024, 4, 26), 15, D(2024, 5, 20)),
    # 清明, Wed 4/3, 7 days: 4/4-6 off; 4/7 Sun works = 1; 4/8-12 = 2-6; 4/15 = 7.
    (D(2024, 4, 3), 7, D(2024, 4, 15)),
    # 端午: Fri 6/7 +1: 6/8-9 weekend, 6/10 Mon off, 6/11 Tue = 1.
    (D(2024, 6, 7), 1, D(2024, 6, 11)),
]

# 2025 (国办发明电〔2024〕12号): 元旦 1/1; 春节 1/28-2/4 off, 1/26 (Sun) and 2/8 (Sat)
# work; 清明 4/4-4/6; 劳动节 5/1-5/5 off, 4/27 (Sun) work; 端午 5/31-6/2;
# 国庆中秋 10/1-10/8 off, 9/28 (Sun) and 10/11 (Sat) work.
CASES_2025 = [
    # Fri 1/24, 20 days: 1/25 Sat off; 1/26 Sun works = 1; 1/27 = 2; 1/28-2/4 off;
    # 2/5, 6, 7 = 3-5; 2/8 Sat works = 6; 2/10-14 = 7-11; 2/17-21 = 12-16;
    # 2/24, 25, 26, 27 = 17-20.
    (D(2025, 1, 24), 20, D(2025, 2, 27)),
    # Mon 1/27, 补正 7 days: 1/28-2/4 off; 2/5, 6, 7 = 1-3; 2/8 Sat = 4; 2/10, 11, 12 = 5-7.
    (D(2025, 1, 27), 7, D(2025, 2, 12)),
    # receipt on the 调休 Sunday 1/26, +1: 1/27 Mon.
    (D(2025, 1, 26), 1, D(2025, 1, 27)),
    # Labour Day, Fri 4/25, 15 days: 4/26 off; 4/27 Sun works = 1; 4/28, 29, 30 = 2-4;
    # 5/1-5 off; 5/6-9 = 5-8; 5/12-16 = 9-13; 5/19, 20 = 14, 15.
    (D(2025, 4, 25), 15, D(2025, 5, 20)),
    # 端午: Fri 5/30 +1: 5/31-6/2 off, 6/3 Tue = 1.
    (D(2025, 5, 30), 1, D(2025, 6, 3)),
    # National Day, Fri 9/26, 20 days: 9/27 off; 9/28 Sun works = 1; 9/29, 30 = 2, 3;
    # 10/1-8 off; 10/9, 10 = 4, 5; 10/11 Sat works = 6; 10/13-17 = 7-11;
    # 10/20-24 = 12-16; 10/27, 28, 29, 30 = 17-20.
    (D(2025, 9, 26), 20, D(2025, 10, 30)),
    # 第三十三条 extension: 20 more working days after the first due day 10/30:
    # 10/31 = 1; 11/3-7 = 2-6; 11/10-14 = 7-11; 11/17-21 = 12-16; 11/24-27 = 17-20.
    (D(2025, 10, 30), 20, D(2025, 11, 27)),
    # Tue 9/30, 补正 7 days: 10/1-8 off; 10/9, 10 = 1, 2; 10/11 Sat = 3; 10/13-16 = 4-7.
    (D(2025, 9, 30), 7, D(2025, 10, 16)),
    # receipt Sat 10/4 inside the holiday, 15 days: 10/5-8 off; 10/9, 10, 11 = 1-3;
    # 10/13-17 = 4-8; 10/20-24 = 9-13; 10/27, 28 = 14, 15.
    (D(2025, 10, 4), 15, D(2025, 10, 28)),
    # 元旦 2026 across the year end, Wed 12/31/2025, 7 days: 1/1-3 off; 1/4 Sun works = 1;
    # 1/5-9 = 2-6; 1/12 = 7.
    (D(2025, 12, 31), 7, D(2026, 1, 12)),
]

# 2026 (国务院办公厅2026年部分节假日安排的通知): 元旦 1/1-1/3 off, 1/4 (Sun) works; 春节 2/15-2/23 off,
# 2/14 (Sat) and 2/28 (Sat) work; 清明 4/4-4/6; 劳动节 5/1-5/5 off, 5/9 (Sat) works;
# 端午 6/19-6/21; 中秋 9/25-9/27; 国庆 10/1-10/7 off, 9/20 (Sun) and 10/10 (Sat) work.
CASES_2026 = [
    # Thu 2/12, 20 days: 2/13 = 1; 2/14 Sat works = 2; 2/15-23 off; 2/24-27 = 3-6;
    # 2/28 Sat works = 7; 3/2-6 = 8-12; 3/9-13 = 13-17; 3/16, 17, 18 = 18-20.
    (D(2026, 2, 12), 20, D(2026, 3, 18)),
    # receipt on the 调休 Saturday 2/14, 补正 7 days: 2/15-23 off; 2/24-27 = 1-4;
    # 2/28 Sat = 5; 3/2, 3 = 6, 7.
    (D(2026, 2, 14), 7, D(2026, 3, 3)),
    # receipt Mon 2/16 inside the holiday, 15 days: 2/17-23 off; 2/24-27 = 1-4;
    # 2/28 = 5; 3/2-6 = 6-10; 3/9-13 = 11-15.
    (D(2026, 2, 16), 15, D(2026, 3, 13)),
    # Labour Day, Thu 4/30, 7 days: 5/1-5 off; 5/6, 7, 8 = 1-3; 5/9 Sat works = 4;
    # 5/11, 12, 13 = 5-7.
    (D(2026, 4, 30), 7, D(2026, 5, 13)),
    # 清明: Fri 4/3 +1: 4/4-6 off, 4/7 Tue = 1.
    (D(2026, 4, 3), 1, D(2026, 4, 7)),
    # National Day, Fri 9/18, 20 days: 9/19 off; 9/20 Sun works = 1; 9/21-24 = 2-5;
    # 9/25-27 中秋 off; 9/28, 29, 30 = 6-8; 10/1-7 off; 10/8, 9 = 9, 10; 10/10 Sat = 11;
    # 10/12-16 = 12-16; 10/19-22 = 17-20.
    (D(2026, 9, 18), 20, D(2026, 10, 22)),
    # 第三十二条 consultation, Wed 9/30, 15 days: 10/1-7 off; 10/8, 9, 10 = 1-3;
    # 10/12-16 = 4-8; 10/19-23 = 9-13; 10/26, 27 = 14, 15.
    (D(2026, 9, 30), 15, D(2026, 10, 27)),
    # 第二十六条 proactive item formed Thu 9/24, 20 days: 9/25-27 off; 9/28-30 = 1-3;
    # 10/1-7 off; 10/8, 9, 10 = 4-6; 10/12-16 = 7-11; 10/19-23 = 12-16;
    # 10/26-29 = 17-20.
    (D(2026, 9, 24), 20, D(2026, 10, 29)),
    # 元旦: Wed 12/31/2025 was above; Fri 1/2/2026 (holiday) +1: 1/3 Sat off,
    # 1/4 Sun works = 1.
    (D(2026, 1, 2), 1, D(2026, 1, 4)),
    # 端午: Thu 6/18 +1: 6/19 Fri off, weekend, 6/22 Mon = 1.
    (D(2026, 6, 18), 1, D(2026, 6, 22)),
    # last computation inside the package range: Wed 12/30 +1 = Thu 12/31.
    (D(2026, 12, 30), 1, D(2026, 12, 31)),
]


@pytest.mark.parametrize(("start", "n", "expected"), CASES_2024 + CASES_2025 + CASES_2026)
def test_add_workdays_hand_computed(start, n, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a known year must never warn
        result = add_workdays(start, n)
    assert result == expected
    assert isinstance(result, WorkDate)
    assert result.provisional is False
    assert result.unknown_years == ()


@pytest.mark.parametrize(("start", "n", "expected"), CASES_2024 + CASES_2025 + CASES_2026)
def test_workdays_between_agrees_with_hand_cases(start, n, expected):
    assert workdays_between(start, expected) == n
    assert workdays_between(expected, start) == -n
    # the due day is the first day on which n working days have passed
    assert workdays_between(start, expected - timedelta(days=1)) == n - 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 9, 29), True),  # Sun, 调休 working day before National Day 2024
        (D(2024, 10, 12), True),  # Sat, 调休 working day after it
        (D(2024, 10, 7), False),  # Mon, last day of the holiday
        (D(2024, 10, 13), False),  # ordinary Sunday
        (D(2024, 2, 9), True),  # 除夕 2024 was not a statutory holiday
        (D(2024, 6, 10), False),  # 端午 2024, Mon
        (D(2025, 1, 26), True),  # Sun, 调休 before Spring Festival 2025
        (D(2025, 2, 8), True),  # Sat, 调休 after it
        (D(2025, 1, 28), False),  # 除夕 2025, statutory since the 2024 amendment
        (D(2025, 10, 8), False),  # Wed, 8th day of National Day + Mid-Autumn 2025
        (D(2026, 2, 14), True),  # Sat, 调休 before Spring Festival 2026
        (D(2026, 2, 28), True),  # Sat, 调休 after it
        (D(2026, 2, 23), False),  # Mon, 9th day of Spring Festival 2026
        (D(2026, 9, 25), False),  # Fri, 中秋 2026
        (D(2026, 10, 10), True),  # Sat, 调休 after National Day 2026
        (D(2026, 11, 26), True),  # an ordinary Thursday
    ],
)
def test_is_workday_hand_checked(day, expected):
    assert is_workday(day) is expected


def test_workdays_between_whole_month_and_edges():
    # January 2025: 23 weekdays (1-3, 6-10, 13-17, 20-24, 27-31); minus 1/1 and
    # 1/28-31 (5) = 18; plus Sun 1/26 = 19.
    assert workdays_between(D(2024, 12, 31), D(2025, 1, 31)) == 19
    assert workdays_between(D(2024, 10, 1), D(2024, 10, 7)) == 0  # holiday week
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


def test_next_workday():
    assert next_workday(D(2025, 1, 27)) == D(2025, 2, 5)  # over Spring Festival 2025
    assert next_workday(D(2024, 9, 27)) == D(2024, 9, 29)  # to the 调休 Sunday
    assert next_workday(D(2024, 10, 11)) == D(2024, 10, 12)  # to the 调休 Saturday


def test_beyond_the_date_range_is_a_clear_error():
    with pytest.raises(ValueError, match="10000年超出可计算的日期范围"):
        add_workdays(D(9999, 12, 30), 5)


def test_beyond_the_date_range_is_its_own_exception():
    # Review of #9 (F5): callers must tell "this stored date cannot be computed
    # with" from other ValueErrors; it stays a ValueError for older callers.
    cal = Calendar()
    for call in (
        lambda: add_workdays(D(9999, 12, 20), 20),
        lambda: next_workday(D(9999, 12, 31)),
        lambda: cal.add_workdays(D(9999, 12, 31), 1),
    ):
        with pytest.raises(DateOutOfRange) as exc:
            call()
        assert isinstance(exc.value, ValueError)
        assert exc.value.year == 10000
        assert str(exc.value) == "10000年超出可计算的日期范围"
    # Other bad input is not a range problem.
    with pytest.raises(ValueError) as exc:
        add_workdays(D(2024, 10, 3), -1)
    assert not isinstance(exc.value, DateOutOfRange)


def test_zero_and_negative():
    assert add_workdays(D(2024, 10, 3), 0) == D(2024, 10, 3)
    with pytest.raises(ValueError, match="不能为负数"):
        add_workdays(D(2024, 10, 3), -1)


# --- unknown years -----------------------------------------------------------

MSG_2027 = (
    "2027年的节假日安排尚未公布或录入，期限按周一至周五并扣除法定节假日（不含调休）计算，仅供参考"
)


def test_december_2026_into_2027_is_provisional():
    # Thu 12/10/2026, 20 days: 12/11 = 1; 12/14-18 = 2-6; 12/21-25 = 7-11;
    # 12/28-31 = 12-15; 2027 unknown -> statutory days off: Fri 1/1 元旦 skipped;
    # 1/4-8 = 16-20.
    with pytest.warns(ProvisionalScheduleWarning, match=re.escape(MSG_2027)):
        result = add_workdays(D(2026, 12, 10), 20)
    assert result == D(2027, 1, 8)
    assert result.provisional is True
    assert result.unknown_years == (2027,)


def test_december_2026_correction_window_into_2027():
    # Fri 12/25/2026, 7 days: 12/28-31 = 1-4; 1/1 元旦 off; 1/4, 5, 6 = 5, 6, 7.
    with pytest.warns(ProvisionalScheduleWarning) as record:
        result = add_workdays(D(2026, 12, 25), 7)
    assert result == D(2027, 1, 6)
    assert result.provisional
    assert len(record) == 1
    assert str(record[0].message) == MSG_2027


def test_admin_2027_schedule_makes_it_final():
    # 元旦 2027 entered by the administrator: Fri 1/1 off.  Thu 12/10/2026 +20:
    # 12/11 = 1; 12/14-18 = 2-6; 12/21-25 = 7-11; 12/28-31 = 12-15; 1/1 off;
    # 1/4-8 = 16-20.
    cal = Calendar([parse_schedule("2027-01-01 休 元旦", 2027)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = add_workdays(D(2026, 12, 10), 20, calendar=cal)
    assert result == D(2027, 1, 8)
    assert result.provisional is False
    assert cal.has_schedule(2027)
    assert 2027 in cal.known_years()
    assert cal.source(2027) == "管理员录入"


def test_year_end_does_not_touch_unknown_year():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert add_workdays(D(2026, 12, 30), 1).provisional is False
        assert add_workdays(D(2026, 12, 31), 0).provisional is False


def test_is_workday_unknown_year_falls_back_and_warns():
    with pytest.warns(ProvisionalScheduleWarning, match=re.escape(MSG_2027)):
        assert is_workday(D(2027, 1, 4)) is True  # Mon
    with pytest.warns(ProvisionalScheduleWarning):
        assert is_workday(D(2027, 1, 2)) is False  # Sat


def test_workdays_between_unknown_year_warns_and_counts_mon_fri():
    # (12/31/2026, 1/8/2027]: 1/1 元旦 off, 1/4-8 = 5.
    with pytest.warns(ProvisionalScheduleWarning):
        assert workdays_between(D(2026, 12, 31), D(2027, 1, 8)) == 5


def test_two_unknown_years_named_in_one_warning():
    with pytest.warns(ProvisionalScheduleWarning, match="2027年、2028年的节假日安排") as record:
        result = add_workdays(D(2027, 12, 1), 40)
    assert len(record) == 1
    assert result.unknown_years == (2027, 2028)


def test_warning_points_at_the_caller():
    with pytest.warns(ProvisionalScheduleWarning) as record:
        add_workdays(D(2026, 12, 25), 7)
    assert record[0].filename == __file__
    with pytest.warns(ProvisionalScheduleWarning) as record:
        Calendar().add_workdays(D(2026, 12, 25), 7)
    assert record[0].filename == __file__


# --- statutory holidays in years without a schedule (2027 hand-counted) -----------------


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        return fn(*args)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2027, 1, 1), False),  # Fri 元旦
        (D(2027, 2, 5), False),  # Fri 除夕
        (D(2027, 2, 8), False),  # Mon 初三
        (D(2027, 2, 9), True),  # Tue 初四: no 调休 assumed
        (D(2027, 4, 5), False),  # Mon 清明
        (D(2027, 5, 3), True),  # Mon: 劳动节 is 5/1-2 (Sat, Sun); no 调休
        (D(2027, 6, 9), False),  # Wed 端午
        (D(2027, 9, 15), False),  # Wed 中秋
        (D(2027, 10, 1), False),  # Fri 国庆
        (D(2027, 10, 4), True),  # Mon: 国庆 is 10/1-3
        (D(2027, 2, 13), False),  # Sat: no make-up Saturday assumed
    ],
)
def test_unknown_year_rests_on_statutory_holidays(day, expected):
    assert _quiet(is_workday, day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected", "count"),
    [
        # Mon 2027-02-01 + 7: 2/2-4 = 1-3; 2/5 除夕, 2/6-7 weekend (初一、初二), 2/8 初三 off;
        # 2/9-12 = 4-7.
        (D(2027, 2, 1), 7, D(2027, 2, 12), "春节"),
        # Wed 2027-03-31 + 5: 4/1-2 = 1-2; 4/5 清明 off; 4/6-8 = 3-5.
        (D(2027, 3, 31), 5, D(2027, 4, 8), "清明"),
        # Mon 2027-06-07 + 3: 6/8 = 1; 6/9 端午 off; 6/10-11 = 2-3.
        (D(2027, 6, 7), 3, D(2027, 6, 11), "端午"),
        # Mon 2027-09-13 + 20: 9/14 = 1; 9/15 中秋 off; 9/16-17 = 2-3; 9/20-24 = 4-8;
        # 9/27-30 = 9-12; 10/1 国庆 off; 10/4-8 = 13-17; 10/11-13 = 18-20.
        (D(2027, 9, 13), 20, D(2027, 10, 13), "中秋 and 国庆"),
    ],
)
def test_unknown_year_hand_counted(start, n, expected, count):
    with pytest.warns(ProvisionalScheduleWarning):
        result = add_workdays(start, n)
    assert result == expected, count
    assert result.provisional


# --- calendars -----------------------------------------------------------------


def test_admin_schedule_overrides_package_year():
    # Suppose a correction makes Wed 10/8/2025 a working day: Tue 9/30 + 1 -> 10/8.
    base = Calendar().schedule_for(2025)
    amended = YearSchedule(
        2025, base.holidays - {D(2025, 10, 8)}, base.workdays, "更正通知（示例）"
    )
    cal = Calendar([amended])
    assert cal.next_workday(D(2025, 9, 30)) == D(2025, 10, 8)
    assert next_workday(D(2025, 9, 30)) == D(2025, 10, 9)  # default calendar unchanged
    assert cal.source(2025) == "更正通知（示例）"


def test_duplicate_admin_schedule_rejected():
    s = parse_schedule("2027-01-01 休", 2027)
    with pytest.raises(ValueError, match="2027年的节假日安排重复录入"):
        Calendar([s, s])


def test_known_years():
    cal = Calendar()
    assert set(range(2004, 2027)) <= set(cal.known_years())
    assert 2026 in package_years()
    assert not cal.has_schedule(2027)
    assert cal.schedule_for(2027) is None
    assert cal.unknown_years_between(D(2026, 12, 1), D(2028, 1, 1)) == (2027, 2028)


def test_package_schedule_matches_notice_2024_national_day():
    s = Calendar().schedule_for(2024)
    assert {D(2024, 10, d) for d in (1, 2, 3, 4, 7)} <= s.holidays
    assert {D(2024, 9, 29), D(2024, 10, 12)} <= s.workdays
    assert s.source.startswith("chinesecalendar")


def test_workdate_behaves_as_a_date():
    with pytest.warns(ProvisionalScheduleWarning):
        wd = add_workdays(D(2026, 12, 25), 7)
    assert wd == D(2027, 1, 6)
    assert hash(wd) == hash(D(2027, 1, 6))
    assert {wd} == {D(2027, 1, 6)}
    copy = pickle.loads(pickle.dumps(wd))  # noqa: S301 - our own bytes, round-trip test
    assert copy == wd and copy.unknown_years == (2027,)
    later = wd + timedelta(days=1)
    assert type(later) is date and later == D(2027, 1, 7)
    assert wd - D(2027, 1, 1) == timedelta(days=5)
    assert D(2027, 1, 7) - wd == timedelta(days=1)
    assert "unknown_years=(2027,)" in repr(wd)
    assert type(wd.as_date()) is date


@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31)),
    n=st.integers(min_value=1, max_value=40),
)
@settings(max_examples=300, deadline=None)
def test_add_and_count_agree(start, n):
    due = add_workdays(start, n)
    assert due > start
    assert is_workday(due)
    assert workdays_between(start, due) == n
    # nothing skipped: the day before the due day has one working day fewer
    assert workdays_between(start, due - timedelta(days=1)) == n - 1
    # step by step with next_workday gives the same day
    day = start
    for _ in range(n):
        day = next_workday(day)
    assert day == due
