"""Backup and restore of the object storage: S3 to S3, S3 to a folder, a folder to
S3, archives kept in the bucket, and refusals that leave the bucket untouched."""

import io
import json
import re
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from gongkai.platform.backup import BackupError, create_backup, read_manifest, restore_backup

from ..helpers import command_env, gongkai
from .conftest import bucket_keys

FILES = {
    "7/items/2024/0123456789abcdef0123456789abcdef.pdf": b"%PDF-1.4 first",
    "letters/7/2024/fedcba9876543210fedcba9876543210.docx": b"PK\x03\x04 letter",
}
SEED = (
    "from gongkai.organizations.models import Organization as O;"
    "from django.core.files.storage import default_storage as d;"
    "from django.core.files.base import ContentFile as C;"
    "O.objects.create(name='甘河滩镇人民政府', slug='ganhetan', level='town');"
    + "".join(f"d.save({name!r}, C({data!r}));" for name, data in FILES.items())
)
STATE = (
    "from gongkai.organizations.models import Organization as O;"
    "from gongkai.platform.backup import stored_names, storage_label;"
    "from django.core.files.storage import default_storage as d;"
    "import json;"
    "print(json.dumps({'orgs': sorted(O.objects.values_list('name', flat=True)),"
    " 'storage': storage_label(),"
    " 'files': {n: d.open(n, 'rb').read().decode('latin-1') for n in stored_names()}}))"
)


def _env(tmp_path, name, s3=None):
    env = command_env(tmp_path / name, sqlite=True)
    for key in [k for k in env if k.startswith("GONGKAI_S3_")]:
        del env[key]
    env.update(s3 or {})
    return env


def _state(env):
    return json.loads(gongkai(env, "shell", "-c", STATE).stdout.strip().splitlines()[-1])


def _expected(prefix=""):
    return {prefix + k: v for k, v in FILES.items()}


def test_s3_backup_restores_into_an_empty_bucket_and_into_a_folder(
    tmp_path, make_bucket, s3_env, s3_client
):
    source, target = make_bucket(), make_bucket()
    env_a = _env(tmp_path, "a", s3_env(source, GONGKAI_S3_PREFIX="city"))
    gongkai(env_a, "migrate")
    gongkai(env_a, "shell", "-c", SEED)
    assert bucket_keys(s3_client, source) == _expected("city/")
    archive = tmp_path / "s3.tar.gz"
    out = gongkai(env_a, "backup", "--output", str(archive)).stdout
    assert "上传文件 2 个" in out
    manifest, names = read_manifest(archive)
    assert manifest.uploads == 2 and manifest.storage == f"s3://{source}/city"
    assert sorted(n for n in names if n.startswith("uploads/")) == sorted(
        f"uploads/{n}" for n in FILES
    )

    # Into an empty bucket of another installation (no prefix there).
    env_b = _env(tmp_path, "b", s3_env(target))
    out = gongkai(env_b, "restore", str(archive), "--yes").stdout
    assert "恢复完成" in out and f"恢复到：s3://{target}" in out
    assert bucket_keys(s3_client, target) == _expected()
    state = _state(env_b)
    assert state["orgs"] == ["甘河滩镇人民政府"]
    assert set(state["files"]) == set(FILES)

    # Into the local folder of an embedded installation.
    env_c = _env(tmp_path, "c")
    gongkai(env_c, "restore", str(archive), "--yes")
    media = tmp_path / "c" / "data" / "uploads"
    assert {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    } == FILES
    assert _state(env_c)["orgs"] == ["甘河滩镇人民政府"]


def test_folder_backup_restores_into_s3_and_backups_kept_in_the_bucket(
    tmp_path, make_bucket, s3_env, s3_client
):
    env_fs = _env(tmp_path, "fs")
    gongkai(env_fs, "migrate")
    gongkai(env_fs, "shell", "-c", SEED)
    archive = tmp_path / "fs.tar.gz"
    gongkai(env_fs, "backup", "--output", str(archive))
    assert read_manifest(archive)[0].storage == "filesystem"

    bucket = make_bucket()
    env_s3 = _env(tmp_path, "s3", s3_env(bucket))
    gongkai(env_s3, "restore", str(archive), "--yes")
    assert bucket_keys(s3_client, bucket) == _expected()

    # A stateless app server: the archive itself goes into the bucket.
    out = gongkai(env_s3, "backup", "--to-storage").stdout
    stored = re.search(r"(backups/gongkai-[0-9-]+\.tar\.gz)", out).group(1)
    assert stored in bucket_keys(s3_client, bucket)
    assert not list((tmp_path / "s3" / "data").glob("backups/*"))
    # Changes after the backup: a file removed, another added, the org renamed.
    first, second = FILES
    gongkai(
        env_s3,
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as d;"
        "from django.core.files.base import ContentFile as C;"
        "from gongkai.organizations.models import Organization as O;"
        f"d.delete({first!r}); d.save('7/items/2025/later.pdf', C(b'%PDF later'));"
        "O.objects.update(name='改过的名字')",
    )
    missing = gongkai(
        env_s3, "restore", "--from-storage", "backups/none.tar.gz", "--yes", check=False
    )
    assert missing.returncode != 0 and "存储中找不到备份文件" in missing.stderr
    assert stored in missing.stderr  # names the backups that exist
    gongkai(env_s3, "restore", "--from-storage", stored.removeprefix("backups/"), "--yes")
    keys = bucket_keys(s3_client, bucket)
    assert {k: v for k, v in keys.items() if not k.startswith("backups/")} == _expected()
    assert stored in keys  # a restore never removes the kept archives
    assert _state(env_s3)["orgs"] == ["甘河滩镇人民政府"]


# Committed data (no open test transaction): SQLite's online backup of the
# in-memory test database waits forever on a transaction of its own connection.
@pytest.mark.django_db(transaction=True)
def test_backup_lists_objects_through_the_storage_api(s3_storage, tmp_path, org):
    for name, data in FILES.items():
        default_storage.save(name, ContentFile(data))
    default_storage.save("backups/gongkai-old.tar.gz", ContentFile(b"old archive"))
    archive = tmp_path / "b.tar.gz"
    manifest = create_backup(archive)
    assert manifest.uploads == 2 and manifest.storage == f"s3://{s3_storage}/site"
    with tarfile.open(archive, "r:gz") as tar:
        contents = {
            m.name.removeprefix("uploads/"): tar.extractfile(m).read()
            for m in tar.getmembers()
            if m.name.startswith("uploads/")
        }
    assert contents == FILES  # the kept archive is not backed up again


def _rewrite(archive, tmp_path, *, drop_upload=False, db=None, name="bad.tar.gz"):
    """A copy of ``archive`` with one upload missing or the database replaced."""
    out = tmp_path / name
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        dropped = False
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if drop_upload and member.name.startswith("uploads/") and not dropped:
                dropped = True
                continue
            if db is not None and member.name.startswith("db/"):
                data = db
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.django_db(transaction=True)
def test_damaged_archive_leaves_the_bucket_untouched(s3_storage, s3_client, tmp_path, org):
    for name, data in FILES.items():
        default_storage.save(name, ContentFile(data))
    good = tmp_path / "good.tar.gz"
    create_backup(good)
    default_storage.save("7/items/2025/after.pdf", ContentFile(b"%PDF after"))
    before = bucket_keys(s3_client, s3_storage)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    damaged = [
        (truncated, "已损坏"),
        (_rewrite(good, tmp_path, drop_upload=True, name="short.tar.gz"), "与清单记录的 2 个不符"),
    ]
    if connection.vendor == "sqlite":
        damaged.append((_rewrite(good, tmp_path, db=b"garbage", name="db.tar.gz"), "已损坏"))
    for path, message in damaged:
        with pytest.raises(BackupError, match=message):
            restore_backup(path)
        assert bucket_keys(s3_client, s3_storage) == before
    org.refresh_from_db()  # the database is untouched too
