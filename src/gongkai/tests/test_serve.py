import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.organizations.models import Organization

from .helpers import command_env


@pytest.mark.django_db
def test_init_only_is_idempotent():
    out = StringIO()
    call_command("serve", "--init-only", stdout=out)
    assert "首次启动" in out.getvalue()
    count = Organization.objects.count()
    assert count >= 4  # our four; app demo loaders may add more
    assert Organization.objects.filter(slug="ganhetan").exists()
    out = StringIO()
    call_command("serve", "--init-only", stdout=out)
    assert "演示数据已存在，跳过载入" in out.getvalue()
    assert "ganhetan_clerk" in out.getvalue()
    assert Organization.objects.count() == count


@pytest.mark.django_db
def test_init_does_not_load_demo_over_real_data(org):
    out = StringIO()
    call_command("serve", "--init-only", stdout=out)
    assert "已有机关数据" in out.getvalue()
    assert not Organization.objects.filter(slug="ganhetan").exists()


@pytest.mark.django_db
def test_init_in_production_skips_demo(settings, tmp_path):
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path / "static"
    out = StringIO()
    call_command("serve", "--init-only", stdout=out)
    assert "不载入演示数据" in out.getvalue()
    assert not Organization.objects.exists()
    assert (tmp_path / "static" / "gongkai" / "css" / "base.css").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_init_end_to_end(tmp_path):
    """A fresh data directory: `gongkai serve --init` migrates, loads the demo and serves."""
    port = _free_port()
    env = command_env(tmp_path, sqlite=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--init", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180  # migrate + every app's demo, on a loaded CI box
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310 - local URL
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/backoffice/login/", timeout=5) as r:  # noqa: S310
            assert "工作人员登录" in r.read().decode()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "ganhetan_clerk" in output and "gongkai-demo" in output
    assert (tmp_path / "data" / "gongkai.sqlite3").exists()
    assert os.environ.get("GONGKAI_DATA_DIR") != str(tmp_path / "data")
