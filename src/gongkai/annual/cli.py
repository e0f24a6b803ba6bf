"""``gongkai check`` and ``gongkai convert``: the annual-report core on the command line.

``run(argv, stdout, stderr)`` returns the exit code and never lets a traceback
reach the user: every unreadable file gets one Chinese line.  Exit codes of
``check``: 0 no error-severity finding, 1 at least one error, 2 at least one
file could not be read (or bad arguments).

Reports are read, checked, printed and dropped one at a time, so a folder of
thousands of files runs in constant memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

from gongkai.annual import format as fmt
from gongkai.annual import rules
from gongkai.annual.model import ERROR, Finding, Report
from gongkai.annual.writers import FORMATS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
EXIT_BROKEN_PIPE = 128 + 13  # as if killed by SIGPIPE, the shell's convention
# Files picked up when a directory is walked; a file named explicitly is always read.
REPORT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".docx", ".pdf", ".json", ".xlsx"})
PROGRESS_MIN_FILES = 10
SEVERITY_LABEL = {"error": "错误", "warning": "警告"}


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "用法: ")


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese to the given streams, returning instead of exiting."""

    def __init__(self, *args, stdout: TextIO, stderr: TextIO, **kwargs):
        super().__init__(*args, formatter_class=_Formatter, add_help=False, **kwargs)
        self._out, self._err = stdout, stderr
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def _print_message(self, message, file=None):
        if message:
            (self._err if file is sys.stderr else self._out).write(message)

    def exit(self, status=0, message=None):
        if message:
            self._err.write(message)
        raise _Exit(status)

    def error(self, message):
        message = (
            message.replace("argument ", "参数 ")
            .replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("choose from", "可选")
            .replace("expected one argument", "需要一个值")
        )
        self._err.write(f"{self.prog}: 错误: {message}\n（用 --help 查看用法）\n")
        raise _Exit(EXIT_UNREADABLE)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写成 YYYY-MM-DD") from exc


def _parsers(stdout: TextIO, stderr: TextIO) -> tuple[_Parser, _Parser]:
    levels = "|".join(k for k, _ in fmt.LEVELS)
    check = _Parser(
        prog="gongkai check",
        description="读取政府信息公开工作年度报告（文本、HTML、Word、PDF、JSON、XLSX，按内容识别），"
        "按国家年度报告格式的勾稽关系和各项规则检查，并用中文列出全部问题。"
        "退出码：0 无错误；1 有错误；2 有文件无法读取。",
        stdout=stdout,
        stderr=stderr,
    )
    check.add_argument(
        "paths", nargs="+", metavar="文件或目录", help="要检查的报告；目录会递归查找"
    )
    check.add_argument(
        "--previous", metavar="文件", help="上一年度的报告，用于检查上年结转、现行有效件数和重复率"
    )
    check.add_argument("--json", action="store_true", help="每个文件输出一行 JSON（JSON Lines）")
    check.add_argument(
        "--level",
        choices=[k for k, _ in fmt.LEVELS],
        metavar=levels,
        help="机关层级："
        + "，".join(f"{k}={v}" for k, v in fmt.LEVELS)
        + "（用于检查规章制定权和公布期限）",
    )
    check.add_argument(
        "--may-make-regulations",
        choices=["yes", "no"],
        metavar="yes|no",
        help="本机关是否有规章制定权（给出时优先于 --level 判断规章数字是否应为0）",
    )
    check.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD", help="报告公布日期")
    check.add_argument(
        "--deadline",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="公布期限（默认按条例第四十九条：部门1月31日，县级以上政府3月31日）",
    )
    convert = _Parser(
        prog="gongkai convert",
        description="把年度报告转换为 JSON、HTML、Word（docx）、Excel（xlsx）或文本，按国家格式排版。",
        stdout=stdout,
        stderr=stderr,
    )
    convert.add_argument("path", metavar="文件", help="要转换的报告")
    convert.add_argument(
        "--to", required=True, choices=FORMATS, metavar="|".join(FORMATS), help="输出格式"
    )
    convert.add_argument(
        "-o", "--output", metavar="输出文件", help="输出文件；文本格式缺省时写到标准输出"
    )
    return check, convert


USAGE = """用法:
  gongkai check 文件或目录... [--previous 文件] [--json] [--level 层级]
  gongkai convert 文件 --to json|html|docx|xlsx|text [-o 输出文件]

用 gongkai check --help 或 gongkai convert --help 查看参数。
"""


def run(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not argv or argv[0] in {"-h", "--help", "help"}:
        stdout.write(USAGE)
        return EXIT_OK
    check, convert = _parsers(stdout, stderr)
    try:
        if argv[0] == "check":
            return _check(check.parse_args(argv[1:]), stdout, stderr)
        if argv[0] == "convert":
            return _convert(convert.parse_args(argv[1:]), stdout, stderr)
    except _Exit as exc:
        return exc.code
    except BrokenPipeError:
        # Whoever read our output went away (`gongkai check DIR | head`): stop quietly,
        # and keep the interpreter from complaining when it flushes stdout at exit.
        if stdout is sys.__stdout__:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.__stdout__.fileno())
        return EXIT_BROKEN_PIPE
    stderr.write(f"未知命令「{argv[0]}」。\n{USAGE}")
    return EXIT_UNREADABLE


# --- reading ---------------------------------------------------------------------


def read_report(path: Path) -> Report:
    """Read any supported file; ReadError (one Chinese line) for anything unreadable."""
    from gongkai.annual.readers import read_path

    return read_path(path)


def _one_line(exc: BaseException) -> str:
    from gongkai.annual.readers import ReadError

    if isinstance(exc, ReadError):
        return str(exc)
    text = " ".join(str(exc).split())[:200]
    return f"读取时发生意外错误（{type(exc).__name__}{'：' + text if text else ''}）"


def iter_paths(args: list[str]) -> Iterator[Path]:
    """Named files as given; directories walked recursively, report files in name order."""
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in REPORT_SUFFIXES:
                        yield Path(root) / name
        else:
            yield path


# --- check -----------------------------------------------------------------------


class _Progress:
    """A plain progress bar on stderr, only on a terminal and only for many files."""

    def __init__(self, stream: TextIO, total: int):
        isatty = getattr(stream, "isatty", None)
        self.on = bool(isatty and isatty()) and total >= PROGRESS_MIN_FILES
        self.stream, self.total, self.done = stream, total, 0

    def clear(self) -> None:
        if self.on:
            self.stream.write("\r\x1b[K")

    def step(self) -> None:
        self.done += 1
        if not self.on:
            return
        width = 30
        filled = width * self.done // self.total
        self.stream.write(
            f"\r检查中 [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _describe(report: Report) -> str:
    parts = [report.organization or "（未识别机关名称）"]
    parts.append(f"{report.year}年度" if report.year else "（未识别年度）")
    return " ".join(parts)


def _print_findings(path: Path, report: Report, findings: list[Finding], out: TextIO) -> None:
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    if not findings:
        out.write(f"{path}：{_describe(report)}：未发现问题\n")
        return
    out.write(f"{path}：{_describe(report)}：{errors}个错误，{warnings}个警告\n")
    for f in findings:
        where = f"（{f.location}）" if f.location and f.location not in f.message else ""
        out.write(f"  {SEVERITY_LABEL.get(f.severity, f.severity)} [{f.code}] {f.message}{where}\n")


def _check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    previous = None
    if args.previous:
        try:
            previous = read_report(Path(args.previous))
        except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
            stderr.write(f"{args.previous}：上年报告无法读取：{_one_line(exc)}\n")
            return EXIT_UNREADABLE
    paths = list(iter_paths(args.paths))
    if not paths:
        stderr.write("没有找到要检查的报告文件（.txt .html .docx .pdf .json .xlsx）。\n")
        return EXIT_UNREADABLE
    progress = _Progress(stderr, len(paths))
    counts = {"error": 0, "warning": 0, "clean": 0, "unreadable": 0}
    for path in paths:
        try:
            report = read_report(path)
            findings = rules.check(
                report,
                previous=previous,
                level=args.level,
                may_make_regulations=(
                    None
                    if args.may_make_regulations is None
                    else args.may_make_regulations == "yes"
                ),
                deadline=args.deadline,
                published_on=args.published,
            )
        except Exception as exc:  # noqa: BLE001 - each bad file is one line, the run goes on
            counts["unreadable"] += 1
            progress.clear()
            message = _one_line(exc)
            if args.json:
                stdout.write(
                    json.dumps({"file": str(path), "error": message}, ensure_ascii=False) + "\n"
                )
            else:
                stderr.write(f"{path}：无法读取：{message}\n")
            progress.step()
            continue
        severities = {f.severity for f in findings}
        counts["error" if ERROR in severities else "warning" if severities else "clean"] += 1
        progress.clear()
        if args.json:
            doc = {
                "file": str(path),
                "organization": report.organization,
                "year": report.year,
                "format": report.format,
                "source_format": report.source_format,
                "findings": [f.to_dict() for f in findings],
            }
            stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            _print_findings(path, report, findings, stdout)
        stdout.flush()
        progress.step()
    if len(paths) > 1 and not args.json:
        stdout.write(
            f"共{len(paths)}个文件：{counts['error']}个有错误，{counts['warning']}个只有警告，"
            f"{counts['clean']}个未发现问题，{counts['unreadable']}个无法读取。\n"
        )
    if counts["unreadable"]:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if counts["error"] else EXIT_OK


# --- convert ---------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, then rename."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _convert(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from gongkai.annual.writers import BINARY_FORMATS, write

    try:
        report = read_report(Path(args.path))
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        stderr.write(f"{args.path}：无法读取：{_one_line(exc)}\n")
        return EXIT_UNREADABLE
    if args.to == "json":
        from gongkai.annual.writers.json import write_json

        data = write_json(report, rules.check(report)).encode("utf-8")
    else:
        data = write(report, args.to)
    if args.output:
        try:
            _write_atomic(Path(args.output), data)
        except OSError as exc:
            stderr.write(f"{args.output}：无法写入（{exc.strerror or type(exc).__name__}）\n")
            return EXIT_UNREADABLE
        stderr.write(f"已写入 {args.output}\n")
        return EXIT_OK
    if args.to in BINARY_FORMATS:
        buffer = getattr(stdout, "buffer", None)
        isatty = getattr(stdout, "isatty", None)
        if buffer is None or (isatty and isatty()):
            stderr.write(f"{args.to} 是二进制格式：请用 -o 指定输出文件（或重定向到文件）。\n")
            return EXIT_UNREADABLE
        stdout.flush()
        buffer.write(data)
        buffer.flush()
        return EXIT_OK
    stdout.write(data.decode("utf-8"))
    return EXIT_OK


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
