"""Public page throughput beside a static file, with and without the page cache.

The demo data (``gongkai.demo.load_demo``) in the bench's own scratch SQLite
database, served by gunicorn (2 sync workers) on 127.0.0.1; ``wrk`` (Debian
package ``wrk``: a C load generator that does not limit the static file the way
a Python client does) drives each address for LOAD_SECONDS with CONNECTIONS
connections.  Every figure is printed with its ratio to the static file served
by the same gunicorn in the same run:

- pages rendered on every request (``GONGKAI_PAGE_CACHE=0``: the baseline);
- pages from the page cache (the default; LocMem per worker -- the embedded
  mode -- or Redis when BENCH_REDIS_URL is set).

Goal (issue #14): item page, body home and catalogue >= 0.3x the static file,
search >= 0.15x.  The scratch folder is removed at the end.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

LOAD_SECONDS = 5
CONNECTIONS = 4
THREADS = 2
SLUG = "ganhetan"  # the demo's town (gongkai.demo.MARKER_SLUG)
SEARCH = "低保"
GOALS = {"item page": 0.3, "body home": 0.3, "catalogue": 0.3, "search": 0.15}


def _quick() -> bool:
    return os.environ.get("GONGKAI_BENCH_QUICK") == "1"


def _env(data_dir: Path, **extra) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        GONGKAI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        DEBUG="0",
        PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
        ),
        **extra,
    )
    return env


def _python(code: str, env: dict) -> str:
    proc = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return proc.stdout


SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from gongkai.demo import load_demo
load_demo()
from gongkai.portal import selectors as sel
org = sel.public_organization(%r)
print(json.dumps({"item": sel.public_docs(org).values_list("item_id", flat=True).first()}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, seconds: int) -> tuple[float, int]:
    """(requests/s, non-2xx/3xx or socket errors) of ``wrk`` against ``url``."""
    proc = subprocess.run(  # noqa: S603 - wrk from the distribution, our arguments
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", proc.stdout).group(1))
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", proc.stdout)
    if bad:
        errors += int(bad.group(1))
    socket_errors = re.search(r"Socket errors:([^\n]*)", proc.stdout)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, errors


def _serve(data_dir: Path, pages: list[tuple[str, str]], env_extra: dict) -> dict[str, tuple]:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(  # noqa: S603 - our own executable and arguments
        [
            str(gunicorn),
            "gongkai.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],  # fmt: skip
        env=_env(data_dir, **env_extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        for _label, path in pages:
            for _ in range(4):  # both workers answer it once (and fill their caches)
                with urllib.request.urlopen(base + path, timeout=30) as r:  # noqa: S310
                    if r.status != 200:
                        raise RuntimeError(f"{path}: HTTP {r.status}")
        seconds = 2 if _quick() else LOAD_SECONDS
        static_path = pages[0][1]
        for label, path in pages[1:]:
            # The machine may be shared: each page is measured right after the
            # static file, and its ratio is to that static figure.
            static = _wrk(base + static_path, seconds)
            results[label] = (*_wrk(base + path, seconds), static[0])
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return results


def run(out) -> None:
    if shutil.which("wrk") is None:
        out.write("wrk is not installed (Debian: apt-get install wrk); page throughput skipped\n")
        return
    root = Path(tempfile.mkdtemp(prefix="gongkai-bench-pages-"))
    try:
        data_dir = root / "data"
        data_dir.mkdir()
        setup = json.loads(_python(SETUP % SLUG, _env(data_dir)).strip().splitlines()[-1])
        q = urllib.parse.quote(SEARCH)
        pages = [
            ("static file", "/static/portal/css/portal.css"),
            ("item page", f"/{SLUG}/items/{setup['item']}/"),
            ("body home", f"/{SLUG}/"),
            ("catalogue", f"/{SLUG}/catalogue/"),
            ("search", f"/search/?q={q}"),
        ]
        modes = [("rendered every time", {"GONGKAI_PAGE_CACHE": "0"})]
        redis = os.environ.get("BENCH_REDIS_URL", "").strip()
        modes.append(("page cache (LocMem per worker)", {"GONGKAI_PAGE_CACHE": "1"}))
        if redis:
            modes.append(("page cache (Redis)", {"GONGKAI_PAGE_CACHE": "1", "REDIS_URL": redis}))
        seconds = 2 if _quick() else LOAD_SECONDS
        out.write(
            f"demo data, gunicorn 2 sync workers, wrk {THREADS} threads {CONNECTIONS} "
            f"connections, {seconds} s per address; each page right after the static file "
            f"{pages[0][1]} from the same gunicorn\n"
        )
        for label, extra in modes:
            results = _serve(data_dir, pages, extra)
            out.write(f"{label}:\n")
            for name, path in pages[1:]:
                rps, errors, static = results[name]
                goal = GOALS.get(name)
                verdict = ""
                if goal is not None:
                    verdict = (
                        f"  goal >= {goal:.2f}x: {'met' if rps / static >= goal else 'NOT met'}"
                    )
                out.write(
                    f"  {name:10s} {path:30s} {rps:7.1f} req/s, static file {static:7.1f}"
                    f" req/s: {rps / static:5.2f}x"
                    f"{'  errors ' + str(errors) if errors else ''}{verdict}\n"
                )
            out.flush()
    finally:
        shutil.rmtree(root, ignore_errors=True)
