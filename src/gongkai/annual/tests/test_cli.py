"""``gongkai check`` / ``gongkai convert`` through run(argv, stdout, stderr)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gongkai import cli as top_cli
from gongkai.annual import cli, jsonio
from gongkai.annual.sample import seed_like_report
from gongkai.annual.writers import write
from gongkai.annual.writers.xlsx import read_xlsx


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.txt"
    path.write_bytes(write(seed_like_report(), "text"))
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    report = seed_like_report()
    report.cells["t3.granted.natural"] += 1
    path = tmp_path / "broken.json"
    path.write_bytes(write(report, "json"))
    return path


def test_clean_file_exits_0(clean):
    code, out, err = run("check", str(clean))
    assert code == 0
    assert out == f"{clean}：青山县人民政府 2024年度：未发现问题\n"
    assert err == ""


def test_error_findings_exit_1_with_chinese_lines(broken):
    code, out, err = run("check", str(broken))
    assert code == 1
    assert "2个错误，0个警告" in out
    assert "  错误 [t3_result_total] 表三「自然人」列：（七）总计为" in out
    assert "错误 [t3_column_total] 表三「（一）予以公开」行" in out


def test_warnings_only_exit_0(tmp_path):
    report = seed_like_report()
    report.sections[1].text += "共收到政府信息公开申请 1 件。"
    path = tmp_path / "w.html"
    path.write_bytes(write(report, "html"))
    code, out, _ = run("check", str(path))
    assert code == 0
    assert "警告 [text_vs_table]" in out


def test_unreadable_files_exit_2_with_one_line_each(tmp_path, clean):
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 truncated")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run("check", str(bad_pdf), str(empty), str(tmp_path / "nope.docx"), str(clean))
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 3
    assert all("无法读取" in line for line in lines)
    assert "Traceback" not in err + out
    assert "未发现问题" in out  # the good file is still checked
    assert "共4个文件：0个有错误，0个只有警告，1个未发现问题，3个无法读取。" in out


def test_unexpected_exception_is_one_line(monkeypatch, clean, broken):
    real = cli.read_report

    def flaky(path, *args):
        if path.name == "clean.txt":
            raise RuntimeError("boom\nsecond line")
        return real(path, *args)

    monkeypatch.setattr(cli, "read_report", flaky)
    code, out, err = run("check", str(clean), str(broken))
    assert code == 2
    assert err == f"{clean}：无法读取：读取时发生意外错误（RuntimeError：boom second line）\n"
    assert "2个错误" in out


def test_directory_is_walked_recursively(tmp_path, clean, broken):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "deep.xlsx").write_bytes(write(seed_like_report(), "xlsx"))
    (sub / "notes.md").write_text("not a report")
    (tmp_path / ".hidden.txt").write_text("x")
    code, out, _ = run("check", str(tmp_path))
    assert code == 1
    assert out.count("：青山县人民政府 2024年度") == 3
    assert "deep.xlsx" in out and "notes.md" not in out and ".hidden" not in out


def test_empty_directory_exits_2(tmp_path):
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and "没有找到" in err


def test_json_lines(clean, broken, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04garbage")
    code, out, _ = run("check", "--json", str(clean), str(broken), str(bad))
    assert code == 2
    docs = [json.loads(line) for line in out.splitlines()]
    assert docs[0] == {
        "file": str(clean),
        "organization": "青山县人民政府",
        "year": 2024,
        "format": "2021",
        "source_format": "text",
        "findings": [],
    }
    assert [f["code"] for f in docs[1]["findings"]] == ["t3_result_total", "t3_column_total"]
    assert docs[1]["findings"][0]["severity"] == "error"
    assert docs[2]["file"] == str(bad) and docs[2]["error"]


def test_previous_and_level(tmp_path):
    report = seed_like_report()
    report.cells["t2.regulations.issued"] = 1
    report.cells["t2.regulations.in_force"] = 1
    this = tmp_path / "2024.json"
    this.write_bytes(write(report, "json"))
    last = seed_like_report()
    last.year = 2023
    last.cells["t3.carry_forward.total"] = report.cells["t3.carried.total"] + 1
    prev = tmp_path / "2023.json"
    prev.write_bytes(write(last, "json"))
    code, out, _ = run("check", str(this), "--previous", str(prev), "--level", "city")
    assert code == 1
    assert "[carry_over]" in out and "[copy_forward]" in out
    assert "regulations_competence" not in out
    code, out, _ = run("check", str(this), "--level", "town")
    assert "[regulations_competence]" in out and "乡镇/街道" in out
    code, _, err = run("check", str(this), "--previous", str(tmp_path / "missing.txt"))
    assert code == 2 and "上年报告无法读取" in err
    # The body's own 规章 flag decides over its level (a flagged department).
    code, out, _ = run("check", str(this), "--level", "department", "--may-make-regulations", "yes")
    assert "regulations_competence" not in out
    code, out, _ = run("check", str(this), "--level", "city", "--may-make-regulations", "no")
    assert "[regulations_competence]" in out


def test_published_and_deadline(clean):
    # A text file does not say the body's level: without --level there is no default deadline.
    assert run("check", str(clean), "--published", "2025-04-02")[0] == 0
    code, out, _ = run("check", str(clean), "--published", "2025-04-02", "--level", "county")
    assert code == 1 and "晚于规定期限2025-03-31（2天）" in out
    code, out, _ = run("check", str(clean), "--published", "2025-02-01", "--deadline", "2025-01-31")
    assert code == 1 and "[published_late]" in out
    code, _, err = run("check", str(clean), "--published", "2025/02/01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_progress_bar_on_a_terminal_only(tmp_path):
    data = write(seed_like_report(), "text")
    for i in range(cli.PROGRESS_MIN_FILES):
        (tmp_path / f"r{i:02}.txt").write_bytes(data)
    out, err = io.StringIO(), TTY()
    assert cli.run(["check", str(tmp_path)], out, err) == 0
    progress = err.getvalue()
    assert f"检查中 [{'#' * 30}] {cli.PROGRESS_MIN_FILES}/{cli.PROGRESS_MIN_FILES}" in progress
    assert "\r" in progress
    code, _, plain = run("check", str(tmp_path))
    assert code == 0 and plain == ""


def test_help_and_bad_arguments_are_chinese():
    code, out, _ = run("check", "--help")
    assert code == 0
    assert out.startswith("用法: gongkai check")
    assert "上一年度的报告" in out and "退出码" in out
    code, out, _ = run("convert", "--help")
    assert code == 0 and "输出格式" in out
    code, _, err = run("check")
    assert code == 2 and "缺少参数" in err
    code, _, err = run("check", "x", "--level", "village")
    assert code == 2 and "无效的选项" in err
    code, _, err = run("frobnicate")
    assert code == 2 and "未知命令" in err
    code, out, _ = run()
    assert code == 0 and "gongkai convert" in out


def test_top_level_cli_routes_check(clean):
    out, err = io.StringIO(), io.StringIO()
    assert top_cli.run(["check", str(clean)], out, err) == 0
    assert "未发现问题" in out.getvalue()


# --- convert ------------------------------------------------------------------------


@pytest.mark.parametrize("to", ["json", "html", "docx", "xlsx", "text"])
def test_convert_to_every_format(tmp_path, clean, to):
    target = tmp_path / f"out.{to}"
    code, out, err = run("convert", str(clean), "--to", to, "-o", str(target))
    assert code == 0, err
    assert err == f"已写入 {target}\n"
    data = target.read_bytes()
    if to == "json":
        doc = json.loads(data)
        assert doc["findings"] == [] and jsonio.load(doc).cells == seed_like_report().cells
    elif to == "xlsx":
        assert read_xlsx(data).cells == seed_like_report().cells
    else:
        from gongkai.annual.readers import read_bytes

        assert read_bytes(data, name=target.name).cells == seed_like_report().cells
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_convert_json_carries_the_findings(tmp_path, broken):
    code, out, _ = run("convert", str(broken), "--to", "json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)["findings"]] == [
        "t3_result_total",
        "t3_column_total",
    ]


def test_convert_text_formats_to_stdout(clean):
    code, out, _ = run("convert", str(clean), "--to", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_convert_binary_needs_output_on_a_terminal(clean):
    out, err = TTY(), io.StringIO()
    assert cli.run(["convert", str(clean), "--to", "docx"], out, err) == 2
    assert "请用 -o 指定输出文件" in err.getvalue()
    code, _, err2 = run("convert", str(clean), "--to", "xlsx")  # StringIO has no buffer
    assert code == 2 and "-o" in err2


def test_convert_binary_to_a_pipe(clean):
    class Pipe(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    raw = io.BytesIO()
    out = Pipe(raw, encoding="utf-8")
    assert cli.run(["convert", str(clean), "--to", "docx"], out, io.StringIO()) == 0
    assert raw.getvalue().startswith(b"PK")


def test_convert_unreadable_and_unwritable(tmp_path, clean):
    code, _, err = run("convert", str(tmp_path / "none.pdf"), "--to", "json")
    assert code == 2 and "无法读取" in err and "Traceback" not in err
    code, _, err = run("convert", str(clean), "--to", "json", "-o", str(tmp_path / "no" / "x.json"))
    assert code == 2 and "无法写入" in err
    code, _, err = run("convert", str(clean), "--to", "pdf")
    assert code == 2 and "无效的选项" in err


def test_the_annual_core_never_imports_django():
    import subprocess
    import sys

    code = (
        "import sys, io\n"
        "from gongkai.annual import cli, rules, jsonio, sample\n"
        "from gongkai.annual.writers import write\n"
        "r = sample.seed_like_report()\n"
        "[write(r, to) for to in ('json', 'html', 'docx', 'xlsx', 'text')]\n"
        "cli.run(['check', '--help'], io.StringIO(), io.StringIO())\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_a_closed_pipe_stops_quietly(clean, broken):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    assert cli.run(["check", str(clean), str(broken)], ClosedPipe(), err) == cli.EXIT_BROKEN_PIPE
    assert err.getvalue() == ""
