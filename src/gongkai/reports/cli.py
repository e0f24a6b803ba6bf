"""``gongkai report export|check|import|regenerate``: one body's report from the command line.

``regenerate --org X --year Y`` (or ``--all``) defers the ``reports.generate_documents``
job for published reports: it makes the kept downloads that are missing or
outdated (reports published before downloads were kept, a file lost from storage).

``run(argv, stdout, stderr) -> int``; exit codes like ``gongkai check``:
0 clean, 1 errors found, 2 body/report/file not found or unreadable.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from gongkai.annual.model import ERROR
from gongkai.annual.writers import BINARY_FORMATS, write
from gongkai.organizations.models import Organization

EXIT_OK, EXIT_FINDINGS, EXIT_NOT_FOUND = 0, 1, 2
SEVERITY = {"error": "错误", "warning": "警告"}


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, stderr: TextIO, **kwargs):
        self._err = stderr
        super().__init__(*args, **kwargs)

    def error(self, message):
        self._err.write(f"参数错误：{message}\n")
        raise _Exit(EXIT_NOT_FOUND)

    def exit(self, status=0, message=None):
        if message:
            self._err.write(message)
        raise _Exit(status)


def _parser(stdout, stderr) -> _Parser:
    p = _Parser(
        prog="gongkai report", description="导出、检查或导入某机关某年度的年度报告。", stderr=stderr
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (("export", "导出"), ("check", "检查"), ("import", "导入往年报告")):
        sp = sub.add_parser(name, help=text, stderr=stderr)
        sp.add_argument("--org", required=True, help="机关名称、简称、网址标识或统一社会信用代码")
        sp.add_argument("--year", type=int, required=name != "import", help="年度")
        if name == "export":
            sp.add_argument("--to", choices=("json", "html", "docx", "xlsx", "text"), required=True)
            sp.add_argument("-o", "--output", help="输出文件（默认：标准输出，二进制格式必须指定）")
        if name == "import":
            sp.add_argument("file", help="往年报告文件（文本、HTML、DOCX、PDF、JSON、XLSX）")
            sp.add_argument("--published", help="原报告的公布日期 YYYY-MM-DD")
            sp.add_argument(
                "--confirm-name",
                action="store_true",
                help="文件中的机关名称与该机关不一致时，确认这是该机关的报告（记入审计记录）",
            )
    sp = sub.add_parser("regenerate", help="重新生成已公布报告的下载文件", stderr=stderr)
    which = sp.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="所有已公布的年度报告")
    which.add_argument("--org", help="机关名称、简称、网址标识或统一社会信用代码")
    sp.add_argument("--year", type=int, help="年度（与 --org 一起使用）")
    return p


def find_organization(text: str) -> Organization | None:
    text = text.strip()
    matches = list(
        Organization.objects.filter(
            Q(slug=text) | Q(name=text) | Q(short_name=text) | Q(credit_code=text.upper())
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def document_for(org: Organization, year: int):
    """(Report, findings): the stored document when there is one, else computed tables."""
    from .models import AnnualReport
    from .selectors import report_compute, report_findings

    today = timezone.localdate()
    obj = AnnualReport.objects.filter(organization=org, year=year).first()
    if obj is not None:
        return report_findings(obj, today=today)
    from gongkai.annual.rules import check

    report = report_compute(organization=org, year=year)
    return report, check(report, level=org.level, may_make_regulations=org.may_make_regulations)


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    try:
        args = _parser(stdout, stderr).parse_args(argv)
    except _Exit as exc:
        return exc.code
    if args.command == "regenerate" and args.all:
        return _regenerate(None, args, stdout, stderr)
    org = find_organization(args.org)
    if org is None:
        stderr.write(f"找不到机关「{args.org}」（或有重名），请用网址标识或统一社会信用代码。\n")
        return EXIT_NOT_FOUND
    if args.command == "import":
        return _import(args, org, stdout, stderr)
    if args.command == "regenerate":
        return _regenerate(org, args, stdout, stderr)
    report, findings = document_for(org, args.year)
    if args.command == "check":
        errors = [f for f in findings if f.severity == ERROR]
        if not findings:
            stdout.write(f"{org.name}{args.year}年度：未发现问题\n")
        else:
            stdout.write(
                f"{org.name}{args.year}年度：{len(errors)}个错误，{len(findings) - len(errors)}个警告\n"
            )
            for f in findings:
                stdout.write(f"  {SEVERITY.get(f.severity, f.severity)} [{f.code}] {f.message}\n")
        return EXIT_FINDINGS if errors else EXIT_OK
    if args.to == "json":
        from gongkai.annual.jsonio import dumps

        data = dumps(report, findings).encode("utf-8")
    else:
        data = write(report, args.to)
    if args.output:
        _write_atomic(Path(args.output), data)
        stdout.write(f"已导出：{args.output}\n")
    elif args.to in BINARY_FORMATS:
        stderr.write(f"{args.to} 是二进制格式，请用 -o 指定输出文件。\n")
        return EXIT_NOT_FOUND
    else:
        stdout.write(data.decode("utf-8"))
    return EXIT_OK


def _import(args, org, stdout, stderr) -> int:
    from datetime import date

    from .services import report_import

    path = Path(args.file)
    if not path.is_file():
        stderr.write(f"找不到文件「{path}」。\n")
        return EXIT_NOT_FOUND
    try:
        published = date.fromisoformat(args.published) if args.published else None
    except ValueError:
        stderr.write(f"日期格式不正确：{args.published}（应为 YYYY-MM-DD）\n")
        return EXIT_NOT_FOUND
    try:
        report = report_import(
            organization=org,
            year=args.year,
            data=path.read_bytes(),
            filename=path.name,
            acting_user=None,
            now=timezone.now(),
            published_on=published,
            name_confirmed=args.confirm_name,
            from_command_line=True,
        )
    except ValidationError as exc:
        stderr.write("".join(exc.messages) + "\n")
        if any(e.code == "name_mismatch" for e in exc.error_list):
            stderr.write("确属该机关的报告时，加 --confirm-name 重新导入。\n")
        return EXIT_NOT_FOUND
    stdout.write(
        f"已导入{org.name}{report.year}年度报告（{len(report.cells)}个单元格），"
        "待审批领导在后台确认后公布。\n"
    )
    return EXIT_OK


def _regenerate(org: Organization | None, args, stdout, stderr) -> int:
    """Defer the documents job for one published report (``org`` and ``--year``) or
    for all of them (``org`` None); each run makes only what is missing or outdated."""
    from gongkai.jobs.runner import INLINE, mode

    from .models import AnnualReport, ReportDocument, Status
    from .services import documents_defer

    reports = AnnualReport.objects.filter(status=Status.PUBLISHED).order_by("pk")
    if org is not None:
        if args.year is None:
            stderr.write("请用 --year 指定年度（或用 --all 处理所有已公布的年度报告）。\n")
            return EXIT_NOT_FOUND
        reports = reports.filter(organization=org, year=args.year)
    found = list(reports.only("pk"))  # read once
    if org is not None and not found:
        stderr.write(f"{org.name}{args.year}年度没有已公布的年度报告。\n")
        return EXIT_NOT_FOUND
    ids = [report.pk for report in found]
    for report in found:
        documents_defer(report)  # outside a transaction: inline, it runs now
    if mode() == INLINE:
        kept = ReportDocument.objects.filter(report_id__in=ids).count()
        stdout.write(f"已为 {len(ids)} 份已公布的年度报告生成下载文件（现存 {kept} 个文件）。\n")
    else:
        stdout.write(f"已为 {len(ids)} 份已公布的年度报告排队生成下载文件，由后台任务进程完成。\n")
    return EXIT_OK


def _write_atomic(path: Path, data: bytes) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
