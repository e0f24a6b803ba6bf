"""parse_schedule / format_schedule / YearSchedule validation."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.workdays import (
    Calendar,
    YearSchedule,
    format_schedule,
    parse_notice,
    parse_schedule,
)

D = date

NOTICE_2027 = """\
# 2027年节假日安排（示例，非真实通知）
2027-01-01 休 元旦
2027-02-05~2027-02-11 休 春节
2027-02-13 班
2027-02-14 班

2027年4月5日 休
2027/5/1 ～ 2027/5/5 放假
2027-05-08 补班
2027.10.1 至 2027.10.7 休 国庆
2027-10-09：上班
2027-06-11 放假调休，共1天
2027-06-13 上班（星期日）
"""


def test_parse_full_notice():
    s = parse_schedule(NOTICE_2027, 2027)
    # 2/5 Fri .. 2/11 Thu: the weekend 2/6-7 is dropped, 5 weekdays kept.
    assert {D(2027, 2, d) for d in (5, 8, 9, 10, 11)} <= s.holidays
    assert D(2027, 2, 6) not in s.holidays
    assert s.workdays == {
        D(2027, 2, 13),
        D(2027, 2, 14),
        D(2027, 5, 8),
        D(2027, 6, 13),
        D(2027, 10, 9),
    }
    # 5/1-5/5/2027: Sat, Sun, Mon 3, Tue 4, Wed 5 -> 3 weekdays
    assert {D(2027, 5, 3), D(2027, 5, 4), D(2027, 5, 5)} <= s.holidays
    assert D(2027, 4, 5) in s.holidays  # 年月日 form
    # 10/1-7/2027: Fri 1, Mon 4 - Thu 7 -> 5 weekdays
    assert {D(2027, 10, d) for d in (1, 4, 5, 6, 7)} <= s.holidays
    assert D(2027, 6, 11) in s.holidays  # "放假调休，共1天" with a note after the keyword
    assert D(2027, 6, 13) in s.workdays
    assert len(s.holidays) == 1 + 5 + 1 + 3 + 5 + 1
    assert s.year == 2027 and s.source == "管理员录入"


def test_parsed_schedule_counts_deadlines():
    cal = Calendar([parse_schedule(NOTICE_2027, 2027)])
    # Thu 2/4/2027 + 7: 2/5-11 off (weekdays) and 2/6-7 weekend; 2/12 Fri = 1;
    # 2/13 Sat works = 2; 2/14 Sun works = 3; 2/15-18 = 4-7.
    result = cal.add_workdays(D(2027, 2, 4), 7)
    assert result == D(2027, 2, 18)
    assert not result.provisional


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 休\n2027-02-30 休", "第2行：2027-02-30 不是有效日期"),
        ("2027-01-01 休\n\n明天放假", "第3行：无法识别“明天放假”"),
        ("2027-01-01", "第1行：无法识别"),
        ("2027-01-01 加班", "第1行：无法识别"),
        ("2026-12-31 休", "第1行：2026-12-31 不属于2027年"),
        ("2027-02-10 班", "第1行：2027-02-10 是星期三，本来就是工作日"),
        ("2027-02-13 休\n2027-02-13 班", "第2行：2027-02-13 在第1行已标为“休”"),
        ("2027-02-13 班\n2027-02-12~2027-02-14 休", "第2行：2027-02-13 在第1行已标为“班”"),
        ("2027-02-16~2027-02-10 休", "第1行：区间的结束日期早于开始日期"),
        ("2027-01-01~2027-03-01 休", "第1行：区间超过31天"),
        ("# only a comment\n\n", "没有找到任何日期行"),
        ("2027-01-01" + " " * 5000 + "x", "第1行过长"),
        ("", "没有找到任何日期行"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_schedule(text, 2027)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_format_round_trips_package_years(year):
    s = Calendar().schedule_for(year)
    again = parse_schedule(format_schedule(s), year, source=s.source)
    assert again == s


def test_year_schedule_validation():
    with pytest.raises(ValueError, match="不属于2027年"):
        YearSchedule(2027, frozenset({D(2026, 1, 5)}), frozenset())
    with pytest.raises(ValueError, match="星期六，本来就休息"):
        YearSchedule(2027, frozenset({D(2027, 1, 2)}), frozenset())
    with pytest.raises(ValueError, match="星期一，本来就是工作日"):
        YearSchedule(2027, frozenset(), frozenset({D(2027, 1, 4)}))


# The notices as published (国务院办公厅关于某年部分节假日安排的通知), abridged to
# the dated paragraphs plus the framing lines a pasted copy contains.
NOTICE_TEXT = {
    2024: """国务院办公厅关于2024年部分节假日安排的通知
国办发明电〔2023〕7号
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2023年10月25日
""",
    2025: """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
""",
    2026: """一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
""",
}


@pytest.mark.parametrize("year", sorted(NOTICE_TEXT))
def test_parse_notice_matches_the_package(year):
    parsed = parse_notice(NOTICE_TEXT[year], year)
    package = Calendar().schedule_for(year)
    assert parsed.holidays == package.holidays
    assert parsed.workdays == package.workdays


def test_parse_notice_2025_details():
    s = parse_notice(NOTICE_TEXT[2025], 2025, source="国办发明电〔2024〕12号")
    # 5/31-6/2/2025 crosses a month: Sat, Sun, Mon -> only Mon 6/2 is a weekday
    assert D(2025, 6, 2) in s.holidays and D(2025, 5, 30) not in s.holidays
    assert s.workdays == {
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
    }
    assert s.source == "国办发明电〔2024〕12号"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("春节：2月10日至17日调整。", "第1行：“春节：2月10日至17日调整”没有“放假”或“上班”"),
        ("\n2月10日放假，2月4日上班。", "第2行：“2月10日放假，2月4日上班”既有“放假”又有“上班”"),
        ("2月30日放假。", "第1行：2024-2-30 不是有效日期"),
        ("2023年12月30日至2024年1月1日放假调休", "第1行：2023-12-30 不属于2024年"),
        ("2月7日上班。", "第1行：2024-02-07 是星期三，本来就是工作日"),
        ("国务院办公厅\n2023年10月25日", "没有找到任何日期行"),
    ],
)
def test_parse_notice_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_notice(text, 2024)
