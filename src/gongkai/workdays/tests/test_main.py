"""python -m gongkai.workdays: run() with StringIO."""

from __future__ import annotations

import io

from gongkai.workdays.__main__ import run


def call(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_due_date():
    # Mon 2024-09-30 + 20 working days = Fri 2024-11-01 (see test_core.py for the count)
    assert call("2024-09-30", "20") == (0, "2024-11-01（星期五）\n", "")


def test_provisional_year_is_said_in_the_output():
    code, out, _ = call("2026-12-10", "20")
    assert code == 0
    assert out.splitlines() == [
        "2027-01-08（星期五）",
        "注意：2027年的节假日安排尚未公布或录入，期限按周一至周五并扣除法定节假日（不含调休）计算，仅供参考",
    ]


def test_schedule_files_line_format_and_notice(tmp_path):
    lines = tmp_path / "2027.txt"
    lines.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    # 12/11 = 1; 12/14-18 = 2-6; 12/21-25 = 7-11; 12/28-31 = 12-15; 1/1 off; 1/4-8 = 16-20
    assert call("2026-12-10", "20", "--schedule", f"2027={lines}") == (
        0,
        "2027-01-08（星期五）\n",
        "",
    )
    notice = tmp_path / "notice.txt"
    notice.write_text("一、元旦：1月1日（周五）放假，与周末连休。\n", encoding="utf-8")
    assert call("2026-12-10", "20", "--schedule", f"2027={notice}")[1] == "2027-01-08（星期五）\n"


def test_bad_input_is_one_chinese_line():
    assert call("2026-13-10", "20") == (2, "", "“2026-13-10”不是有效日期，应写作 2024-09-30\n")
    assert call("2026-12-10", "-3")[0:2] == (2, "")
    assert "工作日数应为非负整数" in call("2026-12-10", "-3")[2]
    assert call("2026-12-10")[2].startswith("用法：")
    assert "--schedule 应写作" in call("2026-12-10", "5", "--schedule", "x.txt")[2]
    assert "无法读取" in call("2026-12-10", "5", "--schedule", "2027=/nonexistent/x.txt")[2]
    assert call("--help")[0] == 0
