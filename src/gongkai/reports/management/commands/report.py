"""``gongkai report export|check|import`` -- see gongkai/reports/cli.py."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "导出、检查或导入某机关某年度的年度报告，或重新生成已公布报告的下载文件："
        "export / check / import / regenerate（退出码：0 无问题，1 有错误，2 找不到）。"
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("args", nargs="*")
        return parser

    def run_from_argv(self, argv):
        from gongkai.reports.cli import run

        code = run(argv[2:], sys.stdout, sys.stderr)
        if code:
            sys.exit(code)

    def handle(self, *args, **options):
        from gongkai.reports.cli import run

        code = run(list(args), self.stdout, self.stderr)
        if code:
            sys.exit(code)
