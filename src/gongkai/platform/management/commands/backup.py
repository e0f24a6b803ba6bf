"""`gongkai backup [--output FILE | --to-storage]`: database + stored files into one tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.platform.backup import (
    BackupError,
    create_backup,
    create_backup_in_storage,
    default_backup_path,
    storage_label,
)


class Command(BaseCommand):
    help = "备份数据库与上传文件（本地目录或对象存储中的全部文件）到一个 tar.gz 文件。"

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--output", "-o", type=Path, help="备份文件路径（默认 数据目录/backups/）"
        )
        where.add_argument(
            "--to-storage",
            action="store_true",
            help="把备份文件存入文件存储的 backups/ 下（配置对象存储时即存储桶，应用服务器不留本地文件）",
        )

    def handle(self, *args, output, to_storage, **options):
        try:
            if to_storage:
                name, manifest = create_backup_in_storage()
                target = f"{storage_label()} 中的 {name}"
            else:
                path = output or default_backup_path()
                if path.exists():
                    raise CommandError(f"目标文件已存在，不会覆盖：{path}")
                manifest = create_backup(path)
                target = str(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{target}（数据库 {manifest.engine}，上传文件 {manifest.uploads} 个）"
            )
        )
