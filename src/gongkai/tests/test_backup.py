import io
import json
import shutil
import tarfile
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.platform.backup import BackupError, read_manifest, restore_backup

from .helpers import command_env, gongkai

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# Read the state that a restore must bring back: one org name, users, upload files.
STATE = (
    "from gongkai.organizations.models import Organization as O;"
    "from django.contrib.auth.models import User as U;"
    "from django.conf import settings as s;"
    "import json;"
    "print(json.dumps({'org': O.objects.get(slug='ganhetan').name,"
    " 'users': sorted(U.objects.values_list('username', flat=True)),"
    " 'files': sorted(str(p.relative_to(s.MEDIA_ROOT)) for p in s.MEDIA_ROOT.rglob('*') if p.is_file())}))"
)
# Minimal data (not the full demo: other apps' demo loaders would slow this down).
SEED = (
    "from gongkai.organizations.models import Organization as O;"
    "from django.contrib.auth.models import User as U;"
    "O.objects.create(name='甘河滩镇人民政府', slug='ganhetan', level='town');"
    "[U.objects.create(username=n) for n in ('ganhetan_clerk', 'liulin_clerk')]"
)
CHANGE = (
    "from gongkai.organizations.models import Organization as O;"
    "from django.contrib.auth.models import User as U;"
    "O.objects.filter(slug='ganhetan').update(name='改过的名字');"
    "U.objects.filter(username='liulin_clerk').delete();"
    "U.objects.create(username='added_after_backup')"
)


def state(env, before: str = "") -> dict:
    """Run ``before`` (Python statements) then print the state, in one process."""
    code = f"{before};{STATE}" if before else STATE
    return json.loads(gongkai(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def round_trip(tmp_path, env):
    gongkai(env, "migrate")
    uploads = tmp_path / "data" / "uploads" / "2" / "misc"
    uploads.mkdir(parents=True)
    (uploads / "a.pdf").write_bytes(b"%PDF-1.4 original")
    before = state(env, SEED)
    archive = tmp_path / "backup.tar.gz"
    out = gongkai(env, "backup", "--output", str(archive)).stdout
    assert "备份完成" in out and archive.exists()

    (uploads / "a.pdf").unlink()
    (uploads / "b.pdf").write_bytes(b"%PDF-1.4 later")
    changed = state(env, CHANGE)
    assert changed != before

    refused = gongkai(env, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    out = gongkai(env, "restore", str(archive), "--yes").stdout
    assert "恢复完成" in out
    # The restored database answers Django queries with the old content.
    assert state(env) == before
    assert (uploads / "a.pdf").read_bytes() == b"%PDF-1.4 original"
    assert not (uploads / "b.pdf").exists()


def test_round_trip_sqlite(tmp_path):
    round_trip(tmp_path, command_env(tmp_path, sqlite=True))


def _pg_available() -> bool:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        return False
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True


def test_round_trip_postgresql(tmp_path):
    if not _pg_available():
        pytest.skip("PostgreSQL or pg_dump/pg_restore not available")
    import psycopg

    name = f"gongkai_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        round_trip(tmp_path, command_env(tmp_path, sqlite=False, database_url=url))
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _archive(tmp_path, members: dict[str, bytes], name="bad.tar.gz"):
    path = tmp_path / name
    with tarfile.open(path, "w:gz") as tar:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(**overrides) -> bytes:
    data = {
        "format": "gongkai-backup",
        "version": 1,
        "engine": "sqlite",
        "created_at": "2024-01-01T00:00:00+00:00",
        "uploads": 0,
        "migrations": 1,
    }
    data.update(overrides)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"readme.txt": b"x"}, "未知条目"),
        ({"db/gongkai.sqlite3": b"x"}, "缺少 manifest.json"),
        ({"manifest.json": b"{not json"}, "无法解析"),
        ({"manifest.json": _manifest(format="other")}, "不是 gongkai 备份"),
        ({"manifest.json": _manifest(version=99)}, "不支持的备份版本"),
        ({"manifest.json": _manifest()}, "缺少数据库文件"),
        ({"manifest.json": _manifest(), "../evil": b"x"}, "不安全"),
        ({"manifest.json": _manifest(), "/etc/evil": b"x"}, "不安全"),
    ],
)
def test_invalid_archives_refused(tmp_path, members, message):
    with pytest.raises(BackupError, match=message):
        read_manifest(_archive(tmp_path, members))


def test_not_an_archive_refused(tmp_path):
    path = tmp_path / "x.tar.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(BackupError, match="已损坏"):
        read_manifest(path)
    with pytest.raises(BackupError, match="找不到备份文件"):
        read_manifest(tmp_path / "missing.tar.gz")


@pytest.mark.django_db
def test_engine_mismatch_refused(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    member = "db/gongkai.pgdump" if other == "postgresql" else "db/gongkai.sqlite3"
    path = _archive(tmp_path, {"manifest.json": _manifest(engine=other), member: b"x"})
    with pytest.raises(BackupError, match="不能直接恢复"):
        restore_backup(path)


@pytest.mark.django_db
def test_damaged_sqlite_file_refused_before_touching_data(tmp_path, settings, org):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific check")
    settings.MEDIA_ROOT = tmp_path / "uploads"
    path = _archive(tmp_path, {"manifest.json": _manifest(), "db/gongkai.sqlite3": b"garbage"})
    with pytest.raises(BackupError, match="已损坏"):
        restore_backup(path)
    org.refresh_from_db()


def test_restore_command_reports_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "none.tar.gz"), "--yes")
