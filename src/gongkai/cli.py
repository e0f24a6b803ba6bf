"""The ``gongkai`` command.

``check`` and ``convert`` belong to the pure annual-report core and run without
Django.  Every other sub-command is a Django management command of one of the
apps (``serve``, ``demo``, ``backup``, ``restore``, ``remind``, ``report`` ...),
so ``gongkai migrate`` or ``gongkai createsuperuser`` work as with manage.py.
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {"check", "convert"}

USAGE = """用法: gongkai <命令> [参数]

年度报告（无需数据库）:
  check FILE...      读取并检查年度报告（文本、HTML、Word、PDF、JSON）
  convert FILE --to json|html|docx|xlsx|text [-o OUT]

平台:
  serve [--init]     启动服务（gunicorn；--init: 迁移数据库，首次启动时载入演示数据；
                     --workers N --threads N）
  migrate            迁移数据库
  createsuperuser    创建超级管理员
  demo               载入演示数据
  backup / restore   备份与恢复（数据库与上传文件）
  remind [--dry-run] 发送依申请公开办理期限提醒（每天由后台任务自动运行）
  jobs worker|status|retry|run  后台任务：运行任务处理进程、查看队列、重试失败任务
  report export|check|import  导出、检查或导入某机关某年度的年度报告

gongkai help <命令> 查看命令的参数。
"""


def run(argv: list[str], stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not argv or argv[0] in {"-h", "--help"}:
        stdout.write(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command in PURE_COMMANDS:
        from gongkai.annual.cli import run as annual_run

        return annual_run([command, *rest], stdout, stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *argv])
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
