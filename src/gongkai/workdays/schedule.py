"""One year's holiday schedule (节假日安排) and the text format administrators paste.

The State Council publishes each year's schedule late in the previous year
(国务院办公厅关于某年部分节假日安排的通知).  For years the ``chinesecalendar``
package does not cover, an administrator enters the notice as text::

    # 2027年节假日安排（国办发明电〔2026〕X号）
    2027-01-01 休 元旦
    2027-02-06~2027-02-12 休 春节
    2027-02-14 班

Each line is ``DATE[~DATE] KIND [note]``; KIND is 休/放假/休息 (rest) or
班/上班/补班 (make-up working day); ``#`` starts a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAY_NAMES = "一二三四五六日"
MAX_RANGE_DAYS = 31
MAX_LINE_CHARS = 200


def weekday_name(day: date) -> str:
    return "星期" + _WEEKDAY_NAMES[day.weekday()]


@dataclass(frozen=True)
class YearSchedule:
    """The deviations from Mon-Fri in one calendar year.

    ``holidays``: rest days that fall on a weekday (Mon-Fri).
    ``workdays``: make-up working days (调休上班) that fall on a Saturday or Sunday.
    ``source``: where it comes from, e.g. the notice's 文号 or "chinesecalendar 1.11.0".
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str = ""

    def __post_init__(self) -> None:
        for day in self.holidays | self.workdays:
            if day.year != self.year:
                raise ValueError(
                    f"{day.isoformat()} 不属于{self.year}年，不能录入{self.year}年的安排"
                )
        for day in self.holidays:
            if day.weekday() >= 5:
                raise ValueError(
                    f"{day.isoformat()} 是{weekday_name(day)}，本来就休息，不应列为调整的放假日"
                )
        for day in self.workdays:
            if day.weekday() < 5:
                raise ValueError(
                    f"{day.isoformat()} 是{weekday_name(day)}，本来就是工作日，不应列为调休上班日"
                )


_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE = re.compile(
    rf"^{_DATE}(?:\s*(?:~|～|至|到|—|–)\s*{_DATE})?\s*[:：,，]?\s*"
    r"(放假调休|放假|休息|休|上班|补班|班)(?:[\s（(，,。;；:：].*)?$"
)
_REST = {"休", "放假", "休息", "放假调休"}


def _make_date(lineno: int, y: str, m: str, d: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"第{lineno}行：{y}-{m}-{d} 不是有效日期") from None


class _Builder:
    """Collects rest and working days for one year, with the line each came from."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.holidays: set[date] = set()
        self.workdays: set[date] = set()
        self.rest_lines: dict[date, int] = {}
        self.work_lines: dict[date, int] = {}
        self.entries = 0

    def add(self, lineno: int, first: date, last: date, rest: bool) -> None:
        if last < first:
            raise ValueError(f"第{lineno}行：区间的结束日期早于开始日期")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise ValueError(f"第{lineno}行：区间超过{MAX_RANGE_DAYS}天，请检查日期是否写错")
        day = first
        while day <= last:
            self._add_day(lineno, day, rest)
            day += timedelta(days=1)
        self.entries += 1

    def _add_day(self, lineno: int, day: date, rest: bool) -> None:
        if day.year != self.year:
            raise ValueError(
                f"第{lineno}行：{day.isoformat()} 不属于{self.year}年。"
                f"跨年的调整请录入到{day.year}年的安排中"
            )
        clash = self.work_lines.get(day) if rest else self.rest_lines.get(day)
        if clash is not None:
            raise ValueError(
                f"第{lineno}行：{day.isoformat()} 在第{clash}行已标为"
                f"“{'班' if rest else '休'}”，同一天不能既休又班"
            )
        (self.rest_lines if rest else self.work_lines).setdefault(day, lineno)
        if rest:
            if day.weekday() < 5:
                self.holidays.add(day)
        elif day.weekday() < 5:
            raise ValueError(
                f"第{lineno}行：{day.isoformat()} 是{weekday_name(day)}，本来就是工作日；"
                f"调休上班日应为星期六或星期日"
            )
        else:
            self.workdays.add(day)

    def build(self, source: str) -> YearSchedule:
        if not self.entries:
            raise ValueError(f"没有找到任何日期行，无法生成{self.year}年的节假日安排")
        return YearSchedule(self.year, frozenset(self.holidays), frozenset(self.workdays), source)


def parse_schedule(text: str, year: int, *, source: str = "管理员录入") -> YearSchedule:
    """Parse the pasted text format into a :class:`YearSchedule`.

    Rest ranges may include weekends (as the notices print them); weekend days
    in a 休 range are dropped because they are rest days anyway.  A 班 date must
    be a Saturday or Sunday.  Raises ``ValueError`` with the line number and a
    Chinese message on the first bad line.
    """
    builder = _Builder(year)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].replace("\u3000", " ").strip()
        if not line:
            continue
        if len(line) > MAX_LINE_CHARS:
            raise ValueError(
                f"第{lineno}行过长（超过{MAX_LINE_CHARS}个字符），每行只写一个日期或区间"
            )
        match = _LINE.match(line)
        if match is None:
            raise ValueError(
                f"第{lineno}行：无法识别“{line}”。每行应为“日期 休”或“日期 班”，"
                f"区间写作“2027-02-06~2027-02-12 休”"
            )
        g = match.groups()
        first = _make_date(lineno, *g[0:3])
        last = _make_date(lineno, *g[3:6]) if g[3] else first
        builder.add(lineno, first, last, g[6] in _REST)
    return builder.build(source)


_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")
_CN_DAY = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
_CN_SPAN = re.compile(
    _CN_DAY + r"(?:\s*(?:至|到|~|～|—|–|-)\s*(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日)?"
)
_SENTENCE_END = re.compile(r"[。；;\n]")


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def parse_notice(text: str, year: int, *, source: str = "管理员录入（通知原文）") -> YearSchedule:
    """Read the State Council notice as published (国务院办公厅关于某年部分节假日安排的通知).

    Sentences are read one by one after dropping parentheses (（周三）, （农历除夕、周二）):
    a sentence with 放假 lists rest days and ranges (``2月15日至23日`` — the end
    may omit the month), a sentence with 上班 lists make-up working days;
    sentences without a ``M月D日`` date (titles, 与周末连休, 鼓励各单位…) are skipped.
    Dates without a year are in ``year``.  Errors name the line, as in
    :func:`parse_schedule`.
    """
    builder = _Builder(year)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _PAREN.sub("", raw)
        for sentence in _SENTENCE_END.split(line):
            spans = list(_CN_SPAN.finditer(sentence))
            if not spans:
                continue
            rest = "放假" in sentence or "休息" in sentence
            work = "上班" in sentence
            if not rest and not work and _CN_SPAN.fullmatch(sentence.strip()):
                continue  # the notice's own date under the signature
            if rest == work:
                what = "既有“放假”又有“上班”" if rest else "没有“放假”或“上班”"
                raise ValueError(f"第{lineno}行：“{_short(sentence)}”{what}，无法判断日期的性质")
            for m in spans:
                y1, m1, d1, y2, m2, d2 = m.groups()
                first = _make_date(lineno, y1 or str(year), m1, d1)
                last = first
                if d2 is not None:
                    last = _make_date(lineno, y2 or str(first.year), m2 or m1, d2)
                builder.add(lineno, first, last, rest)
    return builder.build(source)


def format_schedule(schedule: YearSchedule) -> str:
    """Render a schedule in the text format :func:`parse_schedule` reads (round-trips).

    Consecutive weekday rest days are written as one range; the admin form can
    pre-fill itself with the package's schedule for a year it wants to amend.
    """
    lines = [f"# {schedule.year}年节假日安排（{schedule.source}）"]
    entries: list[tuple[date, str]] = []
    days = sorted(schedule.holidays)
    i = 0
    while i < len(days):
        j = i
        # Join runs that are consecutive apart from intervening weekends.
        while j + 1 < len(days) and all(
            (days[j] + timedelta(days=k)).weekday() >= 5
            for k in range(1, (days[j + 1] - days[j]).days)
        ):
            j += 1
        if i == j:
            entries.append((days[i], f"{days[i].isoformat()} 休"))
        else:
            entries.append((days[i], f"{days[i].isoformat()}~{days[j].isoformat()} 休"))
        i = j + 1
    entries.extend((d, f"{d.isoformat()} 班") for d in schedule.workdays)
    lines.extend(text for _, text in sorted(entries))
    return "\n".join(lines) + "\n"
