"""python -m gongkai.privacy --mask on a CSV: no formula in the masked table (issue #9 item 3)."""

from __future__ import annotations

import csv
import io

from gongkai.privacy.__main__ import run
from gongkai.spreadsheets import csv_text


def test_masked_csv_escapes_formula_like_cells_and_keeps_numbers(tmp_path):
    f = tmp_path / "公示.csv"
    rows = [
        ["姓名", "身份证号", "金额", "备注"],
        ['=HYPERLINK("http://evil.example","点击")', "110101199003071233", "-5", "@SUM(1+1)"],
        ["+1+cmd|' /C calc'!A0", "", "-2+3", "\t=1+1"],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    f.write_text(buf.getvalue(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["--mask", str(f)], out, err) == 0
    back = list(csv.reader(io.StringIO(out.getvalue())))
    assert back[1] == [
        "'" + rows[1][0],
        "110101********1233",
        "-5",  # a negative number is a number
        "'@SUM(1+1)",
    ]
    assert back[2] == ["'" + rows[2][0], "", "'-2+3", "'\t=1+1"]
    # the apostrophe is the only change: csv_text takes it off again
    assert [[csv_text(c) for c in row] for row in back[2:]] == rows[2:]
