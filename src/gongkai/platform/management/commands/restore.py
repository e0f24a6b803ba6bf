"""`gongkai restore FILE`: replace the database and uploads with a backup."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.platform.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复数据库与上传文件（会覆盖当前全部数据）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="gongkai backup 生成的 tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据")

    def handle(self, *args, file, yes, **options):
        try:
            manifest, _ = read_manifest(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"备份时间：{manifest.created_at}，数据库：{manifest.engine}，上传文件：{manifest.uploads} 个。"
        )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("恢复会覆盖当前全部数据。请加 --yes 参数确认。")
            answer = input("恢复会覆盖当前全部数据，确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消恢复。")
        try:
            restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("恢复完成。如服务正在运行，请重新启动。"))
