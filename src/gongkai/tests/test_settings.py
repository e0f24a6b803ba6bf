"""Settings come from the environment; production refuses unsafe defaults."""

import json
import subprocess
import sys

from .helpers import command_env

GOOD_KEY = "k" * 30 + "-production-secret-key-for-tests"


def run_python(env, code):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gongkai.config.settings'); django.setup();"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env["GONGKAI_ENV"] = "production"
    env.pop("SECRET_KEY", None)
    result = run_python(env, SETUP)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_short_secret_key(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.update(GONGKAI_ENV="production", SECRET_KEY="short")
    result = run_python(env, SETUP)
    assert result.returncode != 0
    assert "SECRET_KEY 太短" in result.stderr


def test_production_with_key_is_locked_down(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.update(GONGKAI_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="gk.example.gov.cn")
    code = SETUP + (
        "from django.conf import settings as s; import json;"
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.STORAGES['staticfiles']['BACKEND']]))"
    )
    result = run_python(env, code)
    assert result.returncode == 0, result.stderr
    debug, hosts, session_secure, csrf_secure, storage = json.loads(result.stdout)
    assert debug is False
    assert hosts == ["gk.example.gov.cn"]
    assert session_secure and csrf_secure
    assert "whitenoise" in storage


def test_embedded_sqlite_uses_wal_and_data_dir(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    code = SETUP + (
        "from django.conf import settings as s; from django.db import connection; import json;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0];"
        "c.execute('PRAGMA foreign_keys'); fk = c.fetchone()[0];"
        "print(json.dumps([mode, fk, str(s.DATA_DIR), str(s.DATABASES['default']['NAME']),"
        " str(s.MEDIA_ROOT), str(s.STATIC_ROOT), s.DEBUG, s.SECRET_KEY]))"
    )
    result = run_python(env, code)
    assert result.returncode == 0, result.stderr
    mode, fk, data_dir, db_name, media, static, debug, key = json.loads(result.stdout)
    data = str((tmp_path / "data").resolve())
    assert mode == "wal"
    assert fk == 1
    assert data_dir == data
    assert db_name == f"{data}/gongkai.sqlite3"
    assert media == f"{data}/uploads"
    assert static == f"{data}/static"
    # Embedded mode never shows tracebacks; DEBUG=1 is opt-in for developers.
    assert debug is False
    assert (tmp_path / "data" / "gongkai.sqlite3").exists()
    # A random key made on first start, kept private in the data folder and reused.
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text() == key and len(key) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    again = run_python(env, code)
    assert json.loads(again.stdout)[-1] == key


def test_database_url_selects_postgresql(tmp_path):
    env = command_env(tmp_path, sqlite=False, database_url="postgres://u:p@db.example:5433/gk")
    code = SETUP + (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])"
    )
    result = run_python(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "5433", "gk"]


def test_production_proxy_and_hsts_from_environment(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.update(
        GONGKAI_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="gk.example.gov.cn",
        GONGKAI_PROXY_SSL_HEADER="1",
        GONGKAI_SSL_REDIRECT="1",
        GONGKAI_HSTS_SECONDS="31536000",
    )
    code = SETUP + (
        "from django.conf import settings as s; import json;"
        "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS]))"
    )
    result = run_python(env, code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["HTTP_X_FORWARDED_PROTO", "https"], True, 31536000]


def test_embedded_secret_key_never_falls_back_to_a_known_value(tmp_path):
    """An empty (damaged) key file is replaced by a fresh random key."""
    from gongkai.config.settings import _INSECURE_KEY, _embedded_secret_key

    (tmp_path / "secret_key").write_text("")
    key = _embedded_secret_key(tmp_path)
    assert key != _INSECURE_KEY and len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert _embedded_secret_key(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp files left
