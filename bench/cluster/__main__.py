"""The 集约化 cluster on one machine, and its load test (``make cluster``).

    python -m bench.cluster [--fresh] [--keep]

Starts, on loopback only and in a scratch folder removed at the end (kept, with
every log, when something fails or with ``--keep``):

- the PostgreSQL database ``gongkai_cluster`` on the machine's server
  (CLUSTER_PG, default postgres://postgres@127.0.0.1:5432), loaded by
  ``bench.cluster.dataset`` with 1,000 bodies and 1,000,000 published items
  (CLUSTER_BODIES, CLUSTER_ITEMS) — reused by later runs, ``--fresh`` rebuilds;
- its own ``redis-server`` on 127.0.0.1:6390 (no persistence);
- an S3-compatible server (moto's ``moto_server``) on 127.0.0.1:9190 and a bucket;
- two gunicorn app servers (2 sync workers each) on 127.0.0.1:8181 and :8182;
- Debian's nginx on 127.0.0.1:8180 in front of both (configuration written
  into the scratch folder; static files served by nginx from collectstatic);
- a job worker (``gongkai jobs worker``).

Then locust runs headless for CLUSTER_DURATION seconds (default 60) with
CLUSTER_USERS users (default 40, spawned at CLUSTER_SPAWN_RATE per second).
At 25 % of the run the job worker is killed, a job is deferred while it is
down, and the worker is started again 10 s later (the job must then run); at
50 % one app server — gunicorn's master and workers — is killed with SIGKILL
and started again 15 s later.  At the end: requests/s, p50/p95 and errors per
kind of traffic, errors around the kill, and every application the server
acknowledged (receipt page seen) looked up in the database.

The online-application and status look-up rate limits are raised for the run
(GONGKAI_RATE_APPLY / GONGKAI_RATE_STATUS): every locust user comes from
127.0.0.1, which the real limits would block within seconds.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX_PORT, APP_PORTS, REDIS_PORT, S3_PORT = 8180, (8181, 8182), 6390, 9190
BUCKET = "gongkai-cluster"
S3_KEY, S3_SECRET = "cluster", "cluster-secret"  # noqa: S105 - the local S3 server's own
# Far above anything the load test sends from its one address (see the docstring).
RATE_FOR_LOAD_TEST = "1000000/60"
KILL_AT, RESTART_AFTER = 0.5, 15.0
WORKER_STOP_AT, WORKER_RESTART_AFTER = 0.25, 10.0


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


DURATION = _env_int("CLUSTER_DURATION", 60)
USERS = _env_int("CLUSTER_USERS", 40)
SPAWN_RATE = _env_int("CLUSTER_SPAWN_RATE", 10)
BODIES = _env_int("CLUSTER_BODIES", 1000)
ITEMS = _env_int("CLUSTER_ITEMS", 1_000_000)
PG = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DBNAME = os.environ.get("CLUSTER_DB", "gongkai_cluster")


def log(msg: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- installation ----------------------------------------------------------------------


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    log("nginx is missing: installing Debian's package (apt-get install -y nginx)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-q", "nginx"], check=True, env=env)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def ensure_locust() -> None:
    try:
        import locust  # noqa: F401
    except ImportError:
        log("locust is missing: installing the cluster extra")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{REPO}[dev,cluster]"],
            check=True,
        )


# --- processes -------------------------------------------------------------------------


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, what: str, timeout: float = 60) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if port_in_use(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not open 127.0.0.1:{port} within {timeout:.0f} s")


def wait_http(url: str, what: str, timeout: float = 90) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of the live processes in process group ``pgid``."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ... utime (12th), stime (13th).
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


class Proc:
    """A server process in its own process group (so SIGKILL reaches its children)."""

    def __init__(self, name: str, argv: list[str], env: dict, scratch: Path):
        self.name, self.argv, self.env = name, argv, env
        self.logfile = scratch / "logs" / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.logfile.open("ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own argv
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=REPO,
            )

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass

    def kill9(self) -> None:
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if not self.running():
            self.signal_group(signal.SIGKILL)  # stray children of a dead leader
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)
        self.signal_group(signal.SIGKILL)


NGINX_CONF = """\
# The 集约化 cluster's reverse proxy (bench/cluster; docs/platform.md).
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format cluster '$msec $status $request_method "$uri" $upstream_addr '
                       '$upstream_status $request_time';
    access_log {prefix}/access.log cluster;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    server_tokens off;
    keepalive_timeout 30s;

    # No upstream keepalive: gunicorn's sync workers close every connection, and
    # a reused connection the server has just closed would fail a POST that nginx
    # may not retry.
    upstream gongkai {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=10s;
    }}

    server {{
        listen 127.0.0.1:{port};
        server_name _;
        client_max_body_size 25m;   # above GONGKAI_UPLOAD_MAX_BYTES (20 MB)

        # collectstatic's output; names carry a content hash, so cache for long.
        location /static/ {{
            alias {static}/;
            gzip_static on;
            expires 30d;
            access_log off;
        }}

        location / {{
            proxy_pass http://gongkai;
            proxy_set_header Host $host;
            # GONGKAI_PROXY_COUNT=1: the app reads the client address from the
            # last entry, the one this proxy appends.
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # Retry on the other app server only when it is safe: a connection
            # that failed or timed out, or a 502/503 answer.  Without
            # "non_idempotent" nginx never passes a POST on once it has been
            # sent to a server, so an application is never submitted twice; a
            # POST whose connection was refused (never sent) does go on.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 10s;
        }}
    }}
}}
"""


class Cluster:
    def __init__(self, scratch: Path, fresh: bool):
        self.scratch, self.fresh = scratch, fresh
        (scratch / "logs").mkdir()
        (scratch / "data").mkdir()
        self.procs: dict[str, Proc] = {}
        self.run_id = f"run-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        self.database_url = f"{PG}/{DBNAME}"
        self.env = dict(os.environ)
        self.env.update(
            GONGKAI_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            GONGKAI_JOB_QUEUE="postgres",
            GONGKAI_PROXY_COUNT="1",
            GONGKAI_HTTPS="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{NGINX_PORT}",
            GONGKAI_DATA_DIR=str(scratch / "data"),
            GONGKAI_RATE_APPLY=RATE_FOR_LOAD_TEST,
            GONGKAI_RATE_STATUS=RATE_FOR_LOAD_TEST,
            GONGKAI_S3_BUCKET=BUCKET,
            GONGKAI_S3_ENDPOINT_URL=f"http://127.0.0.1:{S3_PORT}",
            GONGKAI_S3_ACCESS_KEY=S3_KEY,
            GONGKAI_S3_SECRET_KEY=S3_SECRET,
            GONGKAI_S3_REGION="us-east-1",
            GONGKAI_S3_ADDRESSING_STYLE="path",
            DJANGO_SETTINGS_MODULE="gongkai.config.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            LOG_LEVEL="WARNING",
        )
        self.events: dict[str, float] = {}
        self.notes: list[str] = []

    # -- start ---------------------------------------------------------------------

    def _proc(self, name: str, argv: list[str], env: dict | None = None) -> Proc:
        proc = Proc(name, argv, env or self.env, self.scratch)
        self.procs[name] = proc
        proc.start()
        return proc

    def check_ports(self) -> None:
        busy = [p for p in (NGINX_PORT, *APP_PORTS, REDIS_PORT, S3_PORT) if port_in_use(p)]
        if busy:
            raise RuntimeError(f"127.0.0.1 ports already in use: {busy}; stop what holds them")

    def gongkai(self, *args: str, timeout: float = 3600) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own command
            [str(BIN / "gongkai"), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def load_dataset(self) -> dict:
        log(f"dataset: {BODIES:,} bodies, {ITEMS:,} items in {DBNAME} (reused when present)")
        args = [sys.executable, "-m", "bench.cluster.dataset", str(BODIES), str(ITEMS)]
        if self.fresh:
            args.append("--fresh")
        env = dict(self.env, GONGKAI_ENV="development")  # the loader needs no production checks
        with (self.scratch / "logs" / "dataset.log").open("w") as err:
            proc = subprocess.run(  # noqa: S603 - our own interpreter and module
                args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True, check=False
            )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            raise RuntimeError("the dataset loader failed (logs/dataset.log)")
        result = json.loads(line[7:])
        built = result["built"]
        how = f"built in {built['total_seconds']:.0f} s" if built else "reused"
        log(
            f"dataset {how}; "
            f"{result['sizes']['bytes_per_item']:.0f} bytes per item (items + search index)"
        )
        return result

    def start_services(self) -> None:
        redis_dir = self.scratch / "redis"
        redis_dir.mkdir()
        self._proc(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
             "--appendonly", "no", "--dir", str(redis_dir), "--protected-mode", "yes"],
        )  # fmt: skip
        self._proc("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)])
        wait_port(REDIS_PORT, "redis-server")
        wait_port(S3_PORT, "moto_server")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        log(f"redis-server :{REDIS_PORT} and S3 server :{S3_PORT} (bucket {BUCKET}) up")

    def prepare_app(self) -> None:
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput", "-v", "0")):
            done = self.gongkai(*args)
            (self.scratch / "logs" / f"{args[0]}.log").write_text(done.stdout + done.stderr)
            if done.returncode:
                raise RuntimeError(f"gongkai {args[0]} failed (logs/{args[0]}.log)")
        # nginx's workers (user nobody) read the static files: the folders above
        # them only traversable, the public static files themselves readable.
        for path in (self.scratch, self.scratch / "data"):
            os.chmod(path, 0o711)  # noqa: S103 - traverse only, no listing
        static = self.scratch / "data" / "static"
        for path in (static, *static.rglob("*")):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)  # noqa: S103 - public static files

    def start_app(self, k: int) -> Proc:
        port = APP_PORTS[k - 1]
        return self._proc(
            f"app{k}",
            [str(BIN / "gunicorn"), "gongkai.config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
             "--graceful-timeout", "10", "--log-level", "warning"],
        )  # fmt: skip

    def start_nginx(self) -> None:
        prefix = self.scratch / "nginx"
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (prefix / sub).mkdir(parents=True)
        conf = prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                prefix=prefix,
                static=self.scratch / "data" / "static",
                port=NGINX_PORT,
                app1=APP_PORTS[0],
                app2=APP_PORTS[1],
            )
        )
        nginx = nginx_binary()
        test = subprocess.run(  # noqa: S603 - Debian's nginx, our configuration
            [nginx, "-t", "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        if test.returncode:
            raise RuntimeError(f"nginx -t refused the configuration: {test.stderr}")
        self._proc(
            "nginx",
            [nginx, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log"),
             "-g", "daemon off;"],
        )  # fmt: skip
        wait_port(NGINX_PORT, "nginx")

    def worker_available(self) -> bool:
        return self.gongkai("jobs", "worker", "--help", timeout=120).returncode == 0

    def start_worker(self) -> Proc:
        return self._proc("worker", [str(BIN / "gongkai"), "jobs", "worker"])

    def start(self) -> dict:
        self.check_ports()
        dataset = self.load_dataset()
        self.start_services()
        self.prepare_app()
        for k in (1, 2):
            self.start_app(k)
        for k, port in enumerate(APP_PORTS, start=1):
            wait_http(f"http://127.0.0.1:{port}/healthz", f"app server {k}")
        self.start_nginx()
        wait_http(f"http://127.0.0.1:{NGINX_PORT}/healthz", "nginx")
        wait_http(f"http://127.0.0.1:{NGINX_PORT}/{'b0001'}/", "the portal through nginx")
        self.has_worker = self.worker_available()
        if self.has_worker:
            self.start_worker()
        else:
            self.notes.append("job worker: `gongkai jobs worker` is not available; not started")
        log(
            f"cluster up: nginx :{NGINX_PORT} -> gunicorn :{APP_PORTS[0]}, :{APP_PORTS[1]}; "
            f"redis :{REDIS_PORT}; S3 :{S3_PORT}; job worker {'up' if self.has_worker else 'absent'}"
        )
        return dataset

    def stop(self) -> None:
        for name in ("nginx", "worker", "app1", "app2", "s3", "redis"):
            if name in self.procs:
                self.procs[name].stop()

    # -- the disruptions during the load test ---------------------------------------

    def disrupt(self, t0: float, stop: threading.Event) -> None:
        def at(offset: float) -> bool:
            return not stop.wait(max(0.0, t0 + offset - time.monotonic()))

        if self.has_worker:
            threading.Thread(target=self._disrupt_worker, args=(at,), daemon=True).start()
        if at(KILL_AT * DURATION):
            self.procs["app1"].kill9()
            self.events["app_killed"] = time.time()
            log("app server 1 killed (SIGKILL to gunicorn's master and workers)")
            if at(KILL_AT * DURATION + RESTART_AFTER):
                self.start_app(1)
                self.events["app_restarted"] = time.time()
                log("app server 1 started again")

    def _disrupt_worker(self, at) -> None:
        if at(WORKER_STOP_AT * DURATION):
            self.procs["worker"].kill9()
            self.events["worker_killed"] = time.time()
            log("job worker killed (SIGKILL)")
            probe = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.cluster.jobprobe", "defer"],
                env=self.env, cwd=REPO, capture_output=True, text=True, check=False,
            )  # fmt: skip
            self.job_id = probe.stdout.strip() if probe.returncode == 0 else ""
            if not self.job_id.isdigit():
                self.notes.append(f"job defer failed: {probe.stdout}{probe.stderr[-500:]}")
            log(f"job deferred while the worker is down: id {self.job_id}")
            if at(WORKER_STOP_AT * DURATION + WORKER_RESTART_AFTER):
                self.start_worker()
                self.events["worker_restarted"] = time.time()
                log("job worker started again")

    def job_state(self) -> str:
        job_id = getattr(self, "job_id", "")
        if not job_id.isdigit():
            return "not deferred"
        stop = time.monotonic() + 60
        state = "unknown"
        while time.monotonic() < stop:
            probe = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.cluster.jobprobe", "state", job_id],
                env=self.env, cwd=REPO, capture_output=True, text=True, check=False,
            )  # fmt: skip
            status, _, attempts = probe.stdout.strip().partition(" ")
            state = f"{status} (procrastinate attempts: {attempts})" if attempts else status
            if not status:
                state = probe.stderr.strip()[-200:]
            if status in ("succeeded", "failed", "cancelled", "aborted", "missing"):
                break
            time.sleep(2)
        return state

    def load_test(self) -> dict:
        out = self.scratch / "locust"
        out.mkdir()
        env = dict(
            self.env,
            CLUSTER_OUT=str(out),
            CLUSTER_RUN_ID=self.run_id,
            CLUSTER_BODIES=str(BODIES),
            CLUSTER_ITEMS=str(ITEMS),
        )
        env.pop("GONGKAI_ENV")
        argv = [
            str(BIN / "locust"), "--headless", "-f", str(Path(__file__).with_name("locustfile.py")),
            "--host", f"http://127.0.0.1:{NGINX_PORT}", "-u", str(USERS), "-r", str(SPAWN_RATE),
            "-t", f"{DURATION}s", "--csv", str(out / "locust"), "--only-summary",
            "--stop-timeout", "10", "--loglevel", "WARNING",
        ]  # fmt: skip
        log(f"locust: {USERS} users, {DURATION} s against http://127.0.0.1:{NGINX_PORT}")
        stop = threading.Event()
        t0 = time.monotonic()
        self.events["start"] = time.time()
        thread = threading.Thread(target=self.disrupt, args=(t0, stop), daemon=True)
        thread.start()
        # App server 2 is never killed: its CPU time per request it served is
        # the capacity figure, whatever else the machine is running.
        app2 = self.procs["app2"].popen.pid
        cpu0 = group_cpu_seconds(app2)
        with (self.scratch / "logs" / "locust.log").open("w") as lg:
            code = subprocess.call(argv, env=env, cwd=REPO, stdout=lg, stderr=subprocess.STDOUT)  # noqa: S603
        self.events["end"] = time.time()
        self.app2_cpu = group_cpu_seconds(app2) - cpu0
        stop.set()
        thread.join(timeout=30)
        if not (out / "locust_stats.csv").exists():
            raise RuntimeError(f"locust exited {code} without statistics (logs/locust.log)")
        return {"exit": code, "dir": out}

    # -- results ----------------------------------------------------------------------

    def applications_check(self, out: Path) -> dict:
        import psycopg

        acked = {}
        path = out / "acknowledged.tsv"
        if path.exists():
            for line in path.read_text().splitlines():
                code, last4, _t = line.split("\t")
                acked[code] = last4
        with psycopg.connect(self.database_url) as con:
            stored = {
                row[0]
                for row in con.execute(
                    "SELECT tracking_code FROM applications_application "
                    "WHERE tracking_code = ANY(%s)",
                    [list(acked)],
                )
            }
            run_rows = con.execute(
                "SELECT count(*), count(DISTINCT description) FROM applications_application "
                "WHERE description LIKE %s",
                [f"%{self.run_id}%"],
            ).fetchone()
            app_rows, app_width = con.execute(
                "SELECT count(*), coalesce(avg(pg_column_size(a.*)), 0) "
                "FROM applications_application a"
            ).fetchone()
            published = con.execute(
                "SELECT count(*) FROM disclosure_item WHERE body LIKE %s AND status = 'published'",
                [f"%{self.run_id}%"],
            ).fetchone()[0]
        lost = sorted(set(acked) - stored)
        return {
            "acknowledged": len(acked),
            "stored_of_acknowledged": len(stored),
            "lost": lost,
            "stored_in_run": run_rows[0],
            "duplicates": run_rows[0] - run_rows[1],
            "published_items": published,
            "application_rows": app_rows,
            "application_row_bytes": float(app_width),
        }

    def failures_around_kill(self, out: Path) -> dict:
        killed = self.events.get("app_killed")
        restarted = self.events.get("app_restarted", killed)
        near, far, near_kinds = 0, 0, {}
        path = out / "failures.tsv"
        if path.exists():
            for line in path.read_text().splitlines():
                t, _method, name, _err = line.split("\t", 3)
                if killed and killed - 2 <= float(t) <= restarted + 5:
                    near += 1
                    kind = name.split(":")[0]
                    near_kinds[kind] = near_kinds.get(kind, 0) + 1
                else:
                    far += 1
        retried, bad_gateway, served_by_app2 = 0, 0, 0
        access = self.scratch / "nginx" / "access.log"
        app2 = f"127.0.0.1:{APP_PORTS[1]}"
        if access.exists():
            for line in access.read_text().splitlines():
                parts = line.split()
                upstream = line.split('"')[-1]
                if len(parts) >= 6 and "," in upstream:
                    retried += 1
                servers = [t.rstrip(",") for t in upstream.split() if ":" in t]
                if servers and servers[-1] == app2:  # the server that answered last
                    served_by_app2 += 1
                if len(parts) >= 2 and parts[1] in ("502", "503", "504"):
                    bad_gateway += 1
        return {
            "near_kill": near,
            "elsewhere": far,
            "near_kill_by_kind": near_kinds,
            "nginx_passed_on": retried,
            "nginx_5xx": bad_gateway,
            "served_by_app2": served_by_app2,
        }

    def redis_memory(self) -> int:
        import redis

        return int(redis.Redis(port=REDIS_PORT).info("memory")["used_memory"])


def read_stats(out: Path) -> tuple[list[dict], dict]:
    with (out / "locust_stats.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_name = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return by_name, total


def kinds_summary(by_name: list[dict], seconds: float) -> list[tuple]:
    """Per kind: requests, requests/s, errors, and p50/p95 (count-weighted from the names)."""
    kinds: dict[str, list[dict]] = {}
    for r in by_name:
        kinds.setdefault(r["Name"].split(":")[0], []).append(r)
    rows = []
    for kind, rs in kinds.items():
        n = sum(int(r["Request Count"]) for r in rs)
        fails = sum(int(r["Failure Count"]) for r in rs)
        rows.append((kind, n, n / seconds, fails, _weighted(rs, "50%"), _weighted(rs, "95%")))
    return rows


def _weighted(rows: list[dict], col: str) -> float:
    """The percentile of a kind from its requests' percentiles: the value at which
    the count-weighted share of names at or below reaches the percentile (an
    approximation; exact per name in the per-request table)."""
    want = float(col.rstrip("%")) / 100
    pairs = sorted((float(r[col] or 0), int(r["Request Count"])) for r in rows if r[col] != "N/A")
    total = sum(c for _v, c in pairs) or 1
    seen = 0
    for value, count in pairs:
        seen += count
        if seen / total >= want:
            return value
    return pairs[-1][0] if pairs else 0.0


def _per(cpu: float, n: int) -> float:
    return 1000 * cpu / n if n else 0.0


def _capacity(cpu: float, n: int) -> str:
    ms = _per(cpu, n)
    return f"≈ {1000 / ms:.0f} requests/s per busy core" if ms else "no requests"


def report(cluster: Cluster, dataset: dict, run: dict) -> tuple[str, bool]:
    out = run["dir"]
    by_name, total = read_stats(out)
    seconds = cluster.events["end"] - cluster.events["start"]
    apps = cluster.applications_check(out)
    kill = cluster.failures_around_kill(out)
    job = cluster.job_state() if cluster.has_worker else "no worker"
    sizes = dataset["sizes"]
    mb = 1024 * 1024
    lines = [
        f"## 集约化 cluster load test ({time.strftime('%Y-%m-%d %H:%M')}, {cluster.run_id})",
        "",
        f"nginx → 2 gunicorn app servers × 2 sync workers, PostgreSQL, Redis, S3 (moto), job "
        f"worker; {sizes['items']:,} items in {BODIES:,} bodies; locust {USERS} users, "
        f"{DURATION} s; app server 1 killed (SIGKILL) at {KILL_AT:.0%} and restarted "
        f"{RESTART_AFTER:.0f} s later; job worker killed at {WORKER_STOP_AT:.0%}, restarted "
        f"{WORKER_RESTART_AFTER:.0f} s later.",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, n, rps, fails, p50, p95 in kinds_summary(by_name, seconds):
        lines.append(f"| {kind} | {n:,} | {rps:.1f} | {p50:.0f} | {p95:.0f} | {fails:,} |")
    lines.append(
        f"| **all** | {int(total['Request Count']):,} | {float(total['Requests/s']):.1f} | "
        f"{float(total['50%']):.0f} | {float(total['95%']):.0f} | {int(total['Failure Count']):,} |"
    )
    lines += ["", "| request | requests | p50 ms | p95 ms | errors |", "|---|---:|---:|---:|---:|"]
    for r in sorted(by_name, key=lambda r: r["Name"]):
        lines.append(
            f"| {r['Name']} | {int(r['Request Count']):,} | {r['50%']} | {r['95%']} | "
            f"{int(r['Failure Count']):,} |"
        )
    lost = apps["lost"]
    lines += [
        "",
        "| check | result |",
        "|---|---|",
        f"| applications acknowledged (receipt seen) | {apps['acknowledged']:,} |",
        f"| … of which stored in the database | {apps['stored_of_acknowledged']:,} |",
        f"| acknowledged but lost | {len(lost)}{' ' + ', '.join(lost[:10]) if lost else ''} |",
        f"| applications stored by this run (incl. in flight at the kill) | {apps['stored_in_run']:,} |",
        f"| duplicate applications (same form posted twice) | {apps['duplicates']} |",
        f"| items published through the back office | {apps['published_items']} |",
        f"| errors within 2 s before the kill .. 5 s after the restart | {kill['near_kill']} "
        f"{json.dumps(kill['near_kill_by_kind'], ensure_ascii=False) if kill['near_kill'] else ''} |",
        f"| errors at other times | {kill['elsewhere']} |",
        f"| requests nginx passed on to the other server | {kill['nginx_passed_on']} |",
        f"| 5xx answers from nginx | {kill['nginx_5xx']} |",
        f"| job deferred while the worker was down | {job} |",
        f"| app server 2 (never killed): requests served, CPU | {kill['served_by_app2']:,}, "
        f"{cluster.app2_cpu:.1f} s = {_per(cluster.app2_cpu, kill['served_by_app2']):.0f} "
        f"CPU ms per request ({_capacity(cluster.app2_cpu, kill['served_by_app2'])}) |",
        f"| database size | {sizes['database_bytes'] / mb:,.0f} MB |",
        f"| items + search index (tables, TOAST, indexes) | "
        f"{sizes['items_and_index_bytes'] / mb:,.0f} MB, {sizes['bytes_per_item']:,.0f} B/item |",
    ]
    for name, t in sorted(sizes["tables"].items()):
        lines.append(
            f"| {name} | table {t['table'] / mb:,.0f} MB + indexes {t['indexes'] / mb:,.0f} MB "
            f"= {t['total'] / sizes['items']:,.0f} B/item |"
        )
    lines.append(f"| of which the GIN index on tsv | {sizes['gin_bytes'] / mb:,.0f} MB |")
    lines.append(
        f"| applications in the database | {apps['application_rows']:,}, "
        f"{apps['application_row_bytes']:,.0f} B per row on average (heap, without indexes) |"
    )
    lines.append(f"| Redis memory at the end | {cluster.redis_memory() / mb:.1f} MB |")
    lines += [f"| note | {n} |" for n in cluster.notes]
    ok = not lost and job.split()[0] in ("succeeded", "no")
    return "\n".join(lines) + "\n", ok


def main(argv: list[str]) -> int:
    fresh, keep = "--fresh" in argv, "--keep" in argv
    nginx_binary()
    ensure_locust()
    scratch = Path(tempfile.mkdtemp(prefix="gongkai-cluster-"))
    cluster = Cluster(scratch, fresh)
    ok = False
    try:
        dataset = cluster.start()
        run = cluster.load_test()
        table, ok = report(cluster, dataset, run)
        (scratch / "results.md").write_text(table)
        print(table, flush=True)
    except Exception as exc:  # noqa: BLE001 - report, stop the cluster, keep the logs
        log(f"FAILED: {exc}")
    finally:
        cluster.stop()
        if ok and not keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            log(f"scratch folder kept with every log: {scratch}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
