"""python -m gongkai.privacy: run() with StringIO."""

from __future__ import annotations

import io

from gongkai.privacy.__main__ import run


def call(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, stdin=io.StringIO(stdin) if stdin is not None else None)
    return code, out.getvalue(), err.getvalue()


def test_text_file_report_is_masked(tmp_path):
    f = tmp_path / "公示.txt"
    f.write_text("秘密★1年\n张三 110101199003071233 13812345678\n", encoding="utf-8")
    code, out, err = call(str(f))
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"{f}：第1行\t密级或内部标志\thigh\t秘密★1年",
        f"{f}：第2行\t身份证号码\thigh\t110101********1233",
        f"{f}：第2行\t手机号码\thigh\t138****5678",
        "共发现3处需复核的内容",
    ]
    assert "110101199003071233" not in out  # the report never repeats the data


def test_csv_in_gb18030_reports_row_and_column(tmp_path):
    f = tmp_path / "低保公示.csv"
    f.write_bytes("姓名,身份证号,电话\n李四,110101199003071233,13812345678\n".encode("gb18030"))
    code, out, _ = call(str(f))
    assert code == 1
    assert f"{f}：第2行第2列\t身份证号码\thigh\t110101********1233" in out.splitlines()
    code, out, _ = call("--mask", str(f))
    assert code == 0
    assert out == "姓名,身份证号,电话\n李四,110101********1233,138****5678\n"


def test_stdin_and_kinds():
    code, out, _ = call("--kinds", "mobile", "-", stdin="110101199003071233 13812345678")
    assert code == 1
    assert out.splitlines() == ["-：第1行\t手机号码\thigh\t138****5678", "共发现1处需复核的内容"]
    assert call("-", stdin="没有问题的文字。") == (0, "共发现0处需复核的内容\n", "")


def test_bad_input():
    assert call()[0] == 2
    code, _, err = call("/nonexistent/x.txt")
    assert (code, err) == (2, "/nonexistent/x.txt：文件不存在\n")
    code, _, err = call("--kinds", "passport", "-", stdin="x")
    assert code == 2 and "未知的类型：passport" in err
    assert call("--bogus", "x")[0] == 2


def test_allow_keeps_the_bodys_own_number(tmp_path):
    f = tmp_path / "公示.txt"
    f.write_text("异议请致电0999-62345615。李四电话0999-7654321。\n", encoding="utf-8")
    code, out, _ = call(str(f), "--allow", "0999-62345615")
    assert code == 1
    assert out.splitlines() == [
        f"{f}：第1行\t固定电话\tmedium\t0999-*****21",
        "共发现1处需复核的内容",
    ]
    code, out, _ = call("--mask", "--allow", "0999-62345615", str(f))
    assert out == "异议请致电0999-62345615。李四电话0999-*****21。\n"
    assert call("--allow")[0] == 2
