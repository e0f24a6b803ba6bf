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
REPORT_SUFFIXES = frozenset(
    {".txt", ".text", ".html", ".htm", ".docx", ".pdf", ".json", ".xlsx"}
    | {".jpg", ".jpeg", ".png", ".tif", ".tiff"}  # scans, read with --ocr auto|always
)
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
        description="读取政府信息公开工作年度报告（文本、HTML、Word、PDF、扫描件和图片、JSON、XLSX，"
        "按内容识别；可直接给网址或机关清单），"
        "按国家年度报告格式的勾稽关系和各项规则检查，并用中文列出全部问题。"
        "退出码：0 无错误；1 有错误；2 有文件无法读取。",
        stdout=stdout,
        stderr=stderr,
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="文件、目录或网址",
        help="要检查的报告；目录会递归查找；http:// 或 https:// 开头的是网址",
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
    _batch_options(check)
    convert = _Parser(
        prog="gongkai convert",
        description="把年度报告转换为 JSON、HTML、Word（docx）、Excel（xlsx）或文本，按国家格式排版。",
        stdout=stdout,
        stderr=stderr,
    )
    convert.add_argument("path", metavar="文件或网址", help="要转换的报告")
    convert.add_argument(
        "--ocr", choices=OCR_CHOICES, default="auto", metavar="auto|never|always", help=OCR_HELP
    )
    _web_options(convert)
    convert.add_argument(
        "--to", required=True, choices=FORMATS, metavar="|".join(FORMATS), help="输出格式"
    )
    convert.add_argument(
        "-o", "--output", metavar="输出文件", help="输出文件；文本格式缺省时写到标准输出"
    )
    return check, convert


OCR_CHOICES = ["auto", "never", "always"]
OCR_HELP = "文字识别：auto 只识别扫描件和图片（默认），never 不识别，always 所有 PDF 和图片都识别"


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"「{text}」应为正整数")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"「{text}」应为秒数") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"「{text}」不能是负数")
    return value


def _year(text: str) -> int:
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"年度「{text}」应写成四位数字，如 2024")
    return int(text)


def _web_options(parser: _Parser) -> None:
    parser.add_argument(
        "--cache",
        metavar="目录",
        help="网页缓存目录（默认 ~/.cache/gongkai/web）；再次运行时未变化的网页不再下载",
    )
    parser.add_argument("--no-cache", action="store_true", help="不使用网页缓存")
    parser.add_argument(
        "--delay",
        type=_seconds,
        default=1.0,
        metavar="秒",
        help="对同一网站两次请求之间至少间隔的秒数（默认 1）",
    )
    parser.add_argument(
        "--timeout", type=_seconds, default=20.0, metavar="秒", help="网络超时秒数（默认 20）"
    )
    parser.add_argument(
        "--retries", type=int, default=2, metavar="次", help="超时或服务器出错时重试次数（默认 2）"
    )


def _batch_options(check: _Parser) -> None:
    check.add_argument(
        "--ocr", choices=OCR_CHOICES, default="auto", metavar="auto|never|always", help=OCR_HELP
    )
    check.add_argument(
        "--urls",
        metavar="文件",
        help="机关清单：文本文件（每行一个网址，可在前面写机关名称和层级，用制表符或逗号分隔）"
        "或 XLSX（列：名称、层级、网址）",
    )
    check.add_argument(
        "--follow",
        action="store_true",
        help="网址是机关的「年度报告」栏目页：找到 --year 年度的报告（及其附件）再检查",
    )
    check.add_argument("--year", type=_year, metavar="YYYY", help="要检查的报告年度")
    check.add_argument(
        "--previous-year",
        action="store_true",
        help="同时找到上一年度的报告（需 --follow），检查衔接关系和与上年的重复率",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=1,
        metavar="N",
        help="用 N 个进程并行读取和检查（默认 1）",
    )
    check.add_argument(
        "--summary",
        metavar="文件.xlsx|文件.html",
        help="写出汇总表：每个机关一行（网址、年度、读取状态、格式、错误、警告、公布日期、是否逾期、重复率）",
    )
    _web_options(check)


USAGE = """用法:
  gongkai check 文件、目录或网址... [--previous 文件] [--json] [--level 层级] [--ocr auto|never|always]
  gongkai check --urls 机关清单.xlsx --follow --year 2024 [--previous-year] [-j N] [--summary 汇总.xlsx]
  gongkai convert 文件或网址 --to json|html|docx|xlsx|text [-o 输出文件]

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
            args = check.parse_args(argv[1:])
            if not args.paths and not args.urls:
                check.error("缺少参数：文件、目录或网址（或用 --urls 指定机关清单）")
            if _is_batch(args):
                return _check_batch(args, stdout, stderr)
            return _check(args, stdout, stderr)
        if argv[0] == "convert":
            return _convert(convert.parse_args(argv[1:]), stdout, stderr)
    except _Exit as exc:
        return exc.code
    except _Fail as exc:
        stderr.write(f"{exc}\n")
        return EXIT_UNREADABLE
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


def read_report(path: Path, ocr: str = "auto") -> Report:
    """Read any supported file; ReadError (one Chinese line) for anything unreadable."""
    from gongkai.annual.readers import read_path

    return read_path(path, ocr=ocr)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _fetcher(args: argparse.Namespace):
    from gongkai.annual.web.fetch import Cache, Fetcher

    cache = None
    if not args.no_cache:
        folder = args.cache or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gongkai", "web"
        )
        try:
            cache = Cache(folder)
        except OSError as exc:
            raise _Fail(
                f"缓存目录 {folder} 无法使用（{exc.strerror or type(exc).__name__}）"
            ) from exc
    return Fetcher(
        cache=cache, delay=args.delay, timeout=args.timeout, retries=max(0, args.retries)
    )


class _Fail(Exception):
    """Bad input found after parsing: one line on stderr, exit 2."""


def _read_url(args: argparse.Namespace) -> Report:
    from gongkai.annual.readers import read_bytes
    from gongkai.annual.web.follow import open_report

    doc = open_report(_fetcher(args), args.path)
    return read_bytes(doc.data, name=doc.name, ocr=args.ocr)


def _one_line(exc: BaseException) -> str:
    from gongkai.annual.readers import ReadError
    from gongkai.annual.web.fetch import FetchError

    if isinstance(exc, ReadError | FetchError):
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

    def __init__(self, stream: TextIO, total: int, minimum: int = PROGRESS_MIN_FILES):
        isatty = getattr(stream, "isatty", None)
        self.on = bool(isatty and isatty()) and total >= minimum
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
            report = read_report(path, args.ocr)
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


# --- batch: URLs, --urls, --follow, -j, --summary ------------------------------------


def _is_batch(args: argparse.Namespace) -> bool:
    return bool(
        args.urls
        or args.follow
        or args.summary
        or args.jobs > 1
        or any(is_url(p) for p in args.paths)
    )


def _bodies(args: argparse.Namespace):
    from gongkai.annual.web.batch import Body, BodyListError, load_bodies

    bodies = []
    if args.urls:
        try:
            bodies.extend(load_bodies(Path(args.urls)))
        except BodyListError as exc:
            raise _Fail(str(exc)) from exc
    for arg in args.paths:
        if is_url(arg):
            bodies.append(Body(url=arg, level=args.level))
        else:
            bodies.extend(Body(url=str(p), level=args.level) for p in iter_paths([arg]))
    for body in bodies:
        body.level = body.level or args.level
    return bodies


def _check_batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from gongkai.annual.web.batch import OK, Options, run_batch

    if args.previous_year and not args.follow:
        raise _Fail("--previous-year 需要和 --follow 一起使用（从栏目页找到上一年度的报告）")
    if args.follow and args.year is None:
        raise _Fail("--follow 需要 --year 指定要检查的年度，如 --year 2024")
    if args.previous:
        raise _Fail("批量检查网址时请用 --previous-year，而不是 --previous")
    if args.summary and Path(args.summary).suffix.lower() not in (".xlsx", ".html", ".htm"):
        raise _Fail(f"汇总文件「{args.summary}」应以 .xlsx 或 .html 结尾")
    bodies = _bodies(args)
    if not bodies:
        raise _Fail("没有要检查的机关：请给出网址、文件，或用 --urls 指定机关清单。")
    options = Options(
        year=args.year,
        follow=args.follow,
        previous_year=args.previous_year,
        ocr=args.ocr,
        jobs=args.jobs,
        deadline=args.deadline,
        published_on=args.published,
    )
    progress = _Progress(stderr, len(bodies), minimum=2)

    def on_result(index: int, outcome) -> None:
        progress.clear()
        if args.json:
            stdout.write(json.dumps(_outcome_json(outcome), ensure_ascii=False) + "\n")
        else:
            _print_outcome(outcome, stdout)
        stdout.flush()
        progress.step()

    outcomes = run_batch(bodies, _fetcher(args), options, on_result)
    failed = sum(1 for o in outcomes if o.status != OK)
    with_errors = sum(1 for o in outcomes if o.status == OK and o.errors)
    if not args.json and len(outcomes) > 1:
        only_warnings = sum(1 for o in outcomes if o.status == OK and not o.errors and o.warnings)
        clean = len(outcomes) - failed - with_errors - only_warnings
        stdout.write(
            f"共{len(outcomes)}个机关：{with_errors}个有错误，{only_warnings}个只有警告，"
            f"{clean}个未发现问题，{failed}个未能读取。\n"
        )
    if args.summary:
        from gongkai.annual.web.summary import write_summary_html, write_summary_xlsx

        target = Path(args.summary)
        data = (
            write_summary_xlsx(outcomes)
            if target.suffix.lower() == ".xlsx"
            else write_summary_html(outcomes)
        )
        try:
            _write_atomic(target, data)
        except OSError as exc:
            stderr.write(f"{args.summary}：无法写入（{exc.strerror or type(exc).__name__}）\n")
            return EXIT_UNREADABLE
        stderr.write(f"已写入汇总 {args.summary}\n")
    if failed:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if with_errors else EXIT_OK


def _outcome_json(outcome) -> dict:
    if outcome.status != "ok":
        return {"url": outcome.url, "name": outcome.name, "error": outcome.reason}
    doc = {
        "url": outcome.url,
        "name": outcome.name,
        "report_url": outcome.report_url,
        "organization": outcome.organization,
        "year": outcome.report_year,
        "format": outcome.report_format,
        "source_format": outcome.source_format,
        "published_on": outcome.published_on.isoformat() if outcome.published_on else None,
        "deadline": outcome.deadline.isoformat() if outcome.deadline else None,
        "days_late": outcome.days_late,
        "repetition": None if outcome.repetition is None else round(outcome.repetition, 3),
        "findings": outcome.findings,
    }
    if outcome.confidence:
        doc["confidence"] = outcome.confidence
    return doc


def _print_outcome(outcome, out: TextIO) -> None:
    label = outcome.label
    if outcome.status != "ok":
        out.write(f"{label}：未能读取：{outcome.reason}\n")
        return
    desc = " ".join(
        [
            outcome.organization or "（未识别机关名称）",
            f"{outcome.report_year}年度" if outcome.report_year else "（未识别年度）",
        ]
    )
    if not outcome.findings:
        out.write(f"{label}：{desc}：未发现问题\n")
        return
    out.write(f"{label}：{desc}：{outcome.errors}个错误，{outcome.warnings}个警告\n")
    for f in outcome.findings:
        location = f.get("location")
        where = f"（{location}）" if location and location not in f["message"] else ""
        severity = SEVERITY_LABEL.get(f["severity"], f["severity"])
        out.write(f"  {severity} [{f['code']}] {f['message']}{where}\n")


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
        if is_url(args.path):
            report = _read_url(args)
        else:
            report = read_report(Path(args.path), args.ocr)
    except _Fail:
        raise
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
