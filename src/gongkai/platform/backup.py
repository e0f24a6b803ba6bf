"""Backup and restore of the database and the stored files in one tar.gz archive.

Archive layout::

    manifest.json          {"format": "gongkai-backup", "version": 1, "engine": ...,
                            "uploads": <number of stored files>, "storage": ...}
    db/gongkai.sqlite3     SQLite: a consistent copy made with the online backup API
    db/gongkai.pgdump      PostgreSQL: pg_dump --format=custom
    uploads/<name>         every file of Django's default storage, by its storage name

The files are listed and read through the storage API, so the same archive
comes from, and goes back into, the local folder (MEDIA_ROOT) or S3-compatible
object storage (GONGKAI_S3_BUCKET): a backup of one can be restored into the
other.  Archives kept in the storage itself (``backups/``, written by
``gongkai backup --to-storage``) are never part of a backup.

Restore checks the archive completely before touching anything, and refuses
(in Chinese) an archive that is not a gongkai backup, is damaged, holds a
different number of files than its manifest says, or comes from the other
database engine.  Then it writes the archive's files (the database still
untouched if that fails), replaces the database, and last removes the files
the archive does not have.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

FORMAT = "gongkai-backup"
VERSION = 1
SQLITE_MEMBER = "db/gongkai.sqlite3"
PG_MEMBER = "db/gongkai.pgdump"
UPLOADS = "uploads/"
# Archives stored by ``gongkai backup --to-storage``: in the default storage,
# never inside a backup themselves, never removed by a restore.
STORAGE_BACKUPS = "backups/"
# What talking to a storage can raise: the local disk, or S3 through boto3.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is Chinese."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    uploads: int
    migrations: int
    storage: str = ""


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
    return Path(settings.DATA_DIR) / "backups" / _archive_name()


def _archive_name() -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"gongkai-{stamp}.tar.gz"


def storage_label(storage: Storage | None = None) -> str:
    """``s3://bucket/prefix`` or ``filesystem``: where the files are (for the manifest)."""
    storage = storage or default_storage
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        location = str(getattr(storage, "location", "") or "").strip("/")
        return f"s3://{bucket}/{location}".rstrip("/")
    return "filesystem"


def stored_names(storage: Storage | None = None) -> list[str]:
    """Every file of ``storage`` (default: the default storage), sorted,
    except the archives under ``backups/``.

    S3-compatible storage is listed in pages of 1,000 keys; any other storage
    through ``listdir``, folder by folder.
    """
    storage = storage or default_storage
    try:
        if getattr(storage, "bucket_name", None):
            names = _s3_names(storage)
        else:
            names = _walk(storage, "")
    except STORAGE_ERRORS as exc:
        raise BackupError(f"无法列出存储中的文件（{storage_label(storage)}）：{exc}") from exc
    return sorted(n for n in names if not n.startswith(STORAGE_BACKUPS))


def _s3_names(storage) -> list[str]:
    location = str(storage.location or "").strip("/")
    prefix = f"{location}/" if location else ""
    return [
        obj.key[len(prefix) :]
        for obj in storage.bucket.objects.filter(Prefix=prefix)
        if not obj.key.endswith("/")  # folder markers some consoles create
    ]


def _walk(storage: Storage, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []  # nothing stored yet (MEDIA_ROOT not created)
    names = [f"{folder}{f}" for f in files]
    for sub in folders:
        names += _walk(storage, f"{folder}{sub}/")
    return names


def create_backup(output: Path, *, alias: str = "default") -> Manifest:
    """Write a backup archive to ``output`` (written to a temporary name, then renamed)."""
    engine = _engine(alias)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
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
        migrations = _count_migrations(alias)
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(db_file, arcname=member)
                count = _add_stored_files(archive, default_storage)
                manifest = Manifest(
                    engine=engine,
                    created_at=timezone.now().isoformat(),
                    uploads=count,
                    migrations=migrations,
                    storage=storage_label(),
                )
                raw = json.dumps(
                    {"format": FORMAT, "version": VERSION, **manifest.__dict__},
                    ensure_ascii=False,
                    indent=2,
                ).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size = len(raw)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(raw))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(output)
    return manifest


def _add_stored_files(archive: tarfile.TarFile, storage: Storage) -> int:
    """Stream every stored file into ``archive`` under ``uploads/``; return how many."""
    count = 0
    for name in stored_names(storage):
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # removed since it was listed (an attachment deleted meanwhile)
        except STORAGE_ERRORS as exc:
            raise BackupError(f"无法读取存储中的文件 {name}：{exc}") from exc
        try:
            with handle:
                info = tarfile.TarInfo(UPLOADS + name)
                info.size = int(handle.size)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, handle)
        except STORAGE_ERRORS as exc:
            raise BackupError(f"无法读取存储中的文件 {name}：{exc}") from exc
        count += 1
    return count


def create_backup_in_storage(*, alias: str = "default") -> tuple[str, Manifest]:
    """Write a backup archive into the default storage under ``backups/`` (so an app
    server keeps no local state); return its storage name and manifest."""
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp:
        local = Path(tmp) / _archive_name()
        manifest = create_backup(local, alias=alias)
        try:
            with local.open("rb") as fh:
                name = default_storage.save(STORAGE_BACKUPS + local.name, File(fh, local.name))
        except STORAGE_ERRORS as exc:
            raise BackupError(f"无法把备份文件写入存储（{storage_label()}）：{exc}") from exc
    return name, manifest


def stored_backups() -> list[str]:
    """The archive names kept under ``backups/`` in the default storage, oldest first."""
    try:
        _, files = default_storage.listdir(STORAGE_BACKUPS)
    except FileNotFoundError:
        return []
    except STORAGE_ERRORS as exc:
        raise BackupError(f"无法列出存储中的备份（{storage_label()}）：{exc}") from exc
    return sorted(STORAGE_BACKUPS + f for f in files if f.endswith(".tar.gz"))


@contextmanager
def fetched_from_storage(name: str) -> Iterator[Path]:
    """A stored archive (``backups/…`` or its file name) copied to a local temporary file."""
    name = name.strip()
    if not name.startswith(STORAGE_BACKUPS):
        name = STORAGE_BACKUPS + name
    if not _safe_member(name) or not name.endswith(".tar.gz"):
        raise BackupError(f"备份名称无效：{name}（应为 backups/gongkai-….tar.gz）")
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp:
        local = Path(tmp) / PurePosixPath(name).name
        try:
            with default_storage.open(name, "rb") as source, local.open("wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except FileNotFoundError:
            known = stored_backups()
            listing = "；现有：" + "、".join(known[-5:]) if known else "；存储中还没有备份"
            raise BackupError(f"存储中找不到备份文件 {name}{listing}。") from None
        except STORAGE_ERRORS as exc:
            raise BackupError(f"无法从存储读取备份文件 {name}：{exc}") from exc
        yield local


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
            files = [m.name for m in members if m.isfile() and m.name.startswith(UPLOADS)]
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
            storage=str(data.get("storage", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError("备份文件的 manifest.json 缺少必要字段。") from exc
    expected = SQLITE_MEMBER if manifest.engine == "sqlite" else PG_MEMBER
    if expected not in names:
        raise BackupError("备份文件中缺少数据库文件，无法恢复。")
    if len(files) != manifest.uploads:
        raise BackupError(
            f"备份文件中有 {len(files)} 个上传文件，与清单记录的 {manifest.uploads} 个不符，"
            "文件可能不完整，已拒绝恢复。"
        )
    return manifest, names


def restore_backup(
    archive_path: Path, *, alias: str = "default", storage: Storage | None = None
) -> Manifest:
    """Replace the database and the stored files with the archive's content.

    The files go into ``storage`` (default: the default storage, local or S3),
    whichever kind of storage the backup was made from.
    """
    storage = storage or default_storage
    manifest, _ = read_manifest(archive_path)
    engine = _engine(alias)
    engine_label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest.engine != engine:
        raise BackupError(
            f"备份来自 {engine_label.get(manifest.engine, manifest.engine)} 数据库，"
            f"当前使用 {engine_label[engine]}，不能直接恢复。"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp:
        tmpdir = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(tmpdir, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"解压备份文件失败：{exc}") from exc
        uploads = tmpdir / UPLOADS.rstrip("/")
        files = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []
        if len(files) != manifest.uploads:
            raise BackupError(
                f"解压后有 {len(files)} 个上传文件，与清单记录的 {manifest.uploads} 个不符，已拒绝恢复。"
            )
        if engine == "sqlite":
            _check_sqlite(tmpdir / SQLITE_MEMBER)
        # Listing the storage also proves it answers before anything is changed.
        before = set(stored_names(storage))
        restored = _put_files(files, uploads, storage)
        if engine == "sqlite":
            _restore_sqlite(tmpdir / SQLITE_MEMBER, alias)
        else:
            _restore_postgresql(tmpdir / PG_MEMBER, alias)
        _remove_files(sorted(before - restored), storage)
    return manifest


def _put_files(files: list[Path], root: Path, storage: Storage) -> set[str]:
    """Write the archive's files into ``storage`` under their own names."""
    names: set[str] = set()
    for path in files:
        name = path.relative_to(root).as_posix()
        try:
            storage.delete(name)  # a file of that name is replaced, never renamed around
            with path.open("rb") as fh:
                saved = storage.save(name, File(fh, name))
        except STORAGE_ERRORS as exc:
            raise BackupError(
                f"写入文件 {name} 失败（{storage_label(storage)}）：{exc}。数据库尚未改动。"
            ) from exc
        if saved != name:
            raise BackupError(f"文件 {name} 被存储改名为 {saved}，恢复中止。数据库尚未改动。")
        names.add(name)
    return names


def _remove_files(names: list[str], storage: Storage) -> None:
    """Remove the files stored after the backup was made (the archive does not have them)."""
    for name in names:
        try:
            storage.delete(name)
        except STORAGE_ERRORS as exc:
            raise BackupError(
                f"数据库与备份中的文件已恢复，但删除备份之后新增的文件 {name} 失败：{exc}"
            ) from exc


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
