"""``python -m gongkai.workdays START N [--schedule YEAR=FILE ...]`` — a due date by hand.

Prints the N-th working day after START (条例第三十三条 counting), e.g.::

    $ python -m gongkai.workdays 2024-09-30 20
    2024-11-01（星期五）

``--schedule 2027=notice.txt`` adds an administrator schedule for 2027, in the
line format of ``parse_schedule`` or as the notice's own text (``parse_notice``).
A result that relies on an unknown year is printed with the provisional notice.
Exit code 0, or 2 with one Chinese line on bad input.
"""

from __future__ import annotations

import sys
import warnings
from datetime import date
from pathlib import Path
from typing import TextIO

from gongkai.workdays.core import Calendar, provisional_message
from gongkai.workdays.schedule import YearSchedule, parse_notice, parse_schedule, weekday_name

USAGE = "用法：python -m gongkai.workdays 起算日(YYYY-MM-DD) 工作日数 [--schedule 年份=文件 ...]"


def _load_schedule(spec: str) -> YearSchedule:
    year_text, sep, path = spec.partition("=")
    if not sep or not year_text.isdigit():
        raise ValueError(f"--schedule 应写作“2027=文件路径”，而不是“{spec}”")
    year = int(year_text)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取{path}：{exc}") from None
    try:
        return parse_schedule(text, year, source=path)
    except ValueError as line_format_error:
        if "月" in text and "日" in text:  # looks like the notice itself
            return parse_notice(text, year, source=path)
        raise line_format_error from None


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    args = list(argv)
    schedules: list[YearSchedule] = []
    positional: list[str] = []
    try:
        while args:
            arg = args.pop(0)
            if arg == "--schedule":
                if not args:
                    raise ValueError("--schedule 后应跟“年份=文件”")
                schedules.append(_load_schedule(args.pop(0)))
            elif arg in ("-h", "--help"):
                stdout.write(USAGE + "\n")
                return 0
            else:
                positional.append(arg)
        if len(positional) != 2:
            raise ValueError(USAGE)
        try:
            start = date.fromisoformat(positional[0])
        except ValueError:
            raise ValueError(f"“{positional[0]}”不是有效日期，应写作 2024-09-30") from None
        if not positional[1].isdigit():
            raise ValueError(f"工作日数应为非负整数，而不是“{positional[1]}”")
        calendar = Calendar(schedules)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported below, in the output
            due = calendar.add_workdays(start, int(positional[1]))
    except ValueError as exc:
        stderr.write(f"{exc}\n")
        return 2
    stdout.write(f"{due.isoformat()}（{weekday_name(due)}）\n")
    if due.provisional:
        stdout.write(f"注意：{provisional_message(due.unknown_years)}\n")
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))


if __name__ == "__main__":
    main()
