"""`gongkai backup [--output FILE]`: database + uploads into one tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.platform.backup import BackupError, create_backup, default_backup_path


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个 tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", type=Path, help="备份文件路径（默认 数据目录/backups/）"
        )

    def handle(self, *args, output, **options):
        target = output or default_backup_path()
        if target.exists():
            raise CommandError(f"目标文件已存在，不会覆盖：{target}")
        try:
            manifest = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{target}（数据库 {manifest.engine}，上传文件 {manifest.uploads} 个）"
            )
        )
