"""`gongkai restore FILE | --from-storage NAME`: replace the database and stored files."""

import sys
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.platform.backup import (
    BackupError,
    fetched_from_storage,
    read_manifest,
    restore_backup,
    storage_label,
)


class Command(BaseCommand):
    help = "从备份文件恢复数据库与上传文件（会覆盖当前全部数据）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?", help="gongkai backup 生成的 tar.gz 文件")
        parser.add_argument(
            "--from-storage",
            metavar="NAME",
            help="从文件存储的 backups/ 下取备份（gongkai backup --to-storage 存入的名称）",
        )
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据")

    def handle(self, *args, file, from_storage, yes, **options):
        if bool(file) == bool(from_storage):
            raise CommandError(
                "请给出一个备份文件路径，或用 --from-storage 指定存储中的备份（二选一）。"
            )
        try:
            source = fetched_from_storage(from_storage) if from_storage else nullcontext(file)
            with source as path:
                self._restore(path, yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("恢复完成。如服务正在运行，请重新启动。"))

    def _restore(self, path: Path, yes: bool) -> None:
        manifest, _ = read_manifest(path)
        self.stdout.write(
            f"备份时间：{manifest.created_at}，数据库：{manifest.engine}，"
            f"上传文件：{manifest.uploads} 个；恢复到：{storage_label()}。"
        )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("恢复会覆盖当前全部数据。请加 --yes 参数确认。")
            answer = input("恢复会覆盖当前全部数据，确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消恢复。")
        restore_backup(path)
