"""Backup and restore of the database and the uploads in one tar.gz archive.

Archive layout::

    manifest.json          {"format": "gongkai-backup", "version": 1, "engine": ..., ...}
    db/gongkai.sqlite3     SQLite: a consistent copy made with the online backup API
    db/gongkai.pgdump      PostgreSQL: pg_dump --format=custom
    uploads/...            MEDIA_ROOT

Restore checks the archive completely before touching anything, and refuses
(in Chinese) an archive that is not a gongkai backup, is damaged, or comes
from the other database engine.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = "gongkai-backup"
VERSION = 1
SQLITE_MEMBER = "db/gongkai.sqlite3"
PG_MEMBER = "db/gongkai.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is Chinese."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    uploads: int
    migrations: int


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持备份 {vendor} 数据库，只支持 SQLite 和 PostgreSQL。")
    return vendor


def _pg_env_and_url(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    """Connection options for pg_dump/pg_restore; the password goes via PGPASSWORD."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"找不到 {argv[0]} 命令，请先安装 PostgreSQL 客户端工具。")
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[:500]}")


def _count_migrations(alias: str = "default") -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return int(cursor.fetchone()[0])


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"gongkai-{stamp}.tar.gz"


def create_backup(output: Path, *, alias: str = "default") -> Manifest:
    """Write a backup archive to ``output`` (written to a temporary name, then renamed)."""
    engine = _engine(alias)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp:
        tmpdir = Path(tmp)
        if engine == "sqlite":
            db_file = tmpdir / "gongkai.sqlite3"
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                # The online backup API copies a consistent snapshot even while
                # the server keeps writing (WAL).
                connection.connection.backup(target)
            finally:
                target.close()
            member = SQLITE_MEMBER
        else:
            db_file = tmpdir / "gongkai.pgdump"
            env, args = _pg_env_and_url(alias)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(db_file), *args],
                env,
                "导出 PostgreSQL 数据库",
            )
            member = PG_MEMBER
        uploads = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = Manifest(
            engine=engine,
            created_at=timezone.now().isoformat(),
            uploads=len(uploads),
            migrations=_count_migrations(alias),
        )
        manifest_file = tmpdir / "manifest.json"
        manifest_file.write_text(
            json.dumps({"format": FORMAT, "version": VERSION, **manifest.__dict__}, indent=2),
            encoding="utf-8",
        )
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_file, arcname="manifest.json")
            archive.add(db_file, arcname=member)
            for path in uploads:
                archive.add(path, arcname=f"uploads/{path.relative_to(media).as_posix()}")
        partial.replace(output)
    return manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def read_manifest(archive_path: Path) -> tuple[Manifest, list[str]]:
    """Validate the archive and return its manifest and member names."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"找不到备份文件：{archive_path}")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = archive.getmembers()
            names = [m.name for m in members]
            for m in members:
                if not _safe_member(m.name) or not (m.isfile() or m.isdir()):
                    raise BackupError(f"备份文件包含不安全的条目（{m.name}），已拒绝恢复。")
                top = PurePosixPath(m.name).parts[0]
                if top not in ("manifest.json", "db", "uploads"):
                    raise BackupError(f"备份文件包含未知条目（{m.name}），不是 gongkai 备份。")
            if "manifest.json" not in names:
                raise BackupError("备份文件缺少 manifest.json，不是 gongkai 备份文件。")
            raw = archive.extractfile("manifest.json").read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"备份文件已损坏或不是 tar.gz 格式：{exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError("备份文件的 manifest.json 无法解析，文件可能已损坏。") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("这不是 gongkai 备份文件（manifest 格式不符）。")
    if data.get("version") != VERSION:
        raise BackupError(f"不支持的备份版本：{data.get('version')}（本程序支持版本 {VERSION}）。")
    try:
        manifest = Manifest(
            engine=str(data["engine"]),
            created_at=str(data["created_at"]),
            uploads=int(data["uploads"]),
            migrations=int(data["migrations"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError("备份文件的 manifest.json 缺少必要字段。") from exc
    expected = SQLITE_MEMBER if manifest.engine == "sqlite" else PG_MEMBER
    if expected not in names:
        raise BackupError("备份文件中缺少数据库文件，无法恢复。")
    return manifest, names


def restore_backup(archive_path: Path, *, alias: str = "default") -> Manifest:
    """Replace the database and the uploads with the archive's content."""
    manifest, _ = read_manifest(archive_path)
    engine = _engine(alias)
    engine_label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest.engine != engine:
        raise BackupError(
            f"备份来自 {engine_label.get(manifest.engine, manifest.engine)} 数据库，"
            f"当前使用 {engine_label[engine]}，不能直接恢复。"
        )
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-", dir=media.parent) as tmp:
        tmpdir = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(tmpdir, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"解压备份文件失败：{exc}") from exc
        if engine == "sqlite":
            _check_sqlite(tmpdir / SQLITE_MEMBER)
            _restore_sqlite(tmpdir / SQLITE_MEMBER, alias)
        else:
            _restore_postgresql(tmpdir / PG_MEMBER, alias)
        _swap_uploads(tmpdir / "uploads", media, tmpdir)
    return manifest


def _check_sqlite(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone()[0]
            source.execute("SELECT COUNT(*) FROM django_migrations").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件已损坏：{exc}") from exc
    if ok != "ok":
        raise BackupError(f"备份中的数据库文件未通过完整性检查：{ok}")


def _restore_sqlite(path: Path, alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # The backup API replaces every page of the live database in one step.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(path: Path, alias: str) -> None:
    connection = connections[alias]
    connection.close()
    env, args = _pg_env_and_url(alias)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ],
        env,
        "恢复 PostgreSQL 数据库",
    )


def _swap_uploads(new: Path, media: Path, tmpdir: Path) -> None:
    """Put the archive's uploads in place of MEDIA_ROOT (rename, then clean up)."""
    if not new.exists():
        new.mkdir()
    old = tmpdir / "uploads-before-restore"
    if media.exists():
        media.replace(old)
    new.replace(media)
