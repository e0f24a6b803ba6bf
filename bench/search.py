"""Search latency and portal throughput (SQLite, this machine).

For 100,000 and 1,000,000 generated items (``--quick`` or GONGKAI_BENCH_QUICK=1:
100,000 only) in the bench's own temporary SQLite database:

- ``gongkai.search.selectors.search()`` through Django (count + first page +
  highlighted snippets), p50/p95 over a fixed query mix;
- the bare FTS5 query (the same MATCH expression — bigram phrases for 2–3
  characters, 4-gram phrases from 4 — with count(*) and bm25 over *all*
  matches + LIMIT 20, sqlite3 module, no Django: what ranking every match
  costs, which ``search()`` avoids above RANK_LIMIT);
- baseline: the same query as ``LIKE '%term%'`` over the normalised columns.

Then, on the 100,000-item database, requests/s of an item page, the catalogue
page and a static file, served by gunicorn (2 sync workers) on 127.0.0.1 and
driven by a small bounded loop (4 client threads, fixed duration).

Rows are written with ``executemany`` straight into the Django tables (created
by ``migrate``), in a worker subprocess so the bench never touches the
developer's database.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

SIZES = (100_000, 1_000_000)
QUERIES = [
    "低保", "救助", "宅基地", "残疾人", "惠农补贴", "乡村振兴", "森林防火",
    "甘政发〔2024〕3号", "2024年", "第3批", "一图读懂", "低保 2024",
]  # fmt: skip
REPEAT = 5
LOAD_SECONDS = 5.0
LOAD_THREADS = 4
ORG_ID = 1


def _quick() -> bool:
    return "--quick" in sys.argv or os.environ.get("GONGKAI_BENCH_QUICK") == "1"


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


# --- the worker: build the database and time the queries (own process) ----------------


def _generate(n: int, seed: int = 7):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from gongkai.search.tests.corpus import (
        BODY_SENTENCES,
        OFFICES,
        QUARTERS,
        TITLE_PATTERNS,
        TOPICS,
        TOWNS,
        VILLAGES,
    )

    rng = random.Random(seed)
    for i in range(n):
        short, name, _ = TOPICS[rng.randrange(len(TOPICS))]
        year = 2020 + rng.randrange(6)
        f = {
            "year": year,
            "village": VILLAGES[rng.randrange(len(VILLAGES))],
            "town": TOWNS[i % 2],
            "name": name if rng.random() < 0.7 else short,
            "batch": rng.randint(1, 6),
            "quarter": QUARTERS[rng.randrange(4)],
            "office": OFFICES[rng.randrange(4)],
            "n": rng.randint(3, 400),
            "m": rng.randint(5, 900),
            "amount": rng.randint(1000, 900000),
            "days": 7,
            "phone": f"0931-{rng.randint(1000000, 9999999)}",
            "std": 680,
        }
        title = TITLE_PATTERNS[rng.randrange(len(TITLE_PATTERNS))].format(**f)
        body = "".join(s.format(**f) for s in rng.sample(BODY_SENTENCES, k=3))
        number = f"甘政发〔{year}〕{rng.randint(1, 300)}号" if rng.random() < 0.3 else ""
        if i % 50_000 == 17:
            title, body = "《农村宅基地管理办法》政策解读", "一图读懂宅基地审批流程。"
        yield i + 1, year, title, body, number


def _build(db: Path, n: int) -> float:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from gongkai.disclosure.models import Category, Item
    from gongkai.organizations.models import Organization
    from gongkai.search.text import index_string, normalize

    org = Organization.objects.create(name="基准测试镇人民政府", slug="bench", level="town")
    user = get_user_model().objects.create(username="bench")
    cats = [
        Category.objects.create(organization=org, name=f"类目{k}", code=f"C{k:02d}", order=k)
        for k in range(20)
    ]
    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    columns = ["id"] + [f.column for f in fields]
    now = "2025-01-01 00:00:00"
    special = {
        "organization": org.pk,
        "created_by": user.pk,
        "status": "published",
        "attribute": "proactive",
        "created_at": now,
        "updated_at": now,
    }

    def default(f):
        if f.name in special:
            return special[f.name]
        if f.has_default():
            return f.get_default()
        return None if f.null else ""

    base = {f.name: default(f) for f in fields}
    from django.db import connection

    connection.close()
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    item_sql = (
        f"INSERT INTO disclosure_item ({', '.join(columns)}) "  # noqa: S608 - model columns
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    doc_sql = (
        "INSERT INTO search_searchdocument (id, item_id, organization_id, category_id, kind, "
        "year, published_at, title_norm, number_norm, body_norm) VALUES (?,?,?,?,?,?,?,?,?,?)"
    )
    fts_sql = "INSERT INTO search_fts (rowid, title, number, body) VALUES (?,?,?,?)"
    batch_items, batch_docs, batch_fts = [], [], []

    def flush():
        con.executemany(item_sql, batch_items)
        con.executemany(doc_sql, batch_docs)
        con.executemany(fts_sql, batch_fts)
        con.commit()
        batch_items.clear(), batch_docs.clear(), batch_fts.clear()

    for pk, year, title, body, number in _generate(n):
        published = f"{year}-{1 + pk % 12:02d}-{1 + pk % 28:02d} 08:00:00"
        cat = cats[pk % len(cats)].pk
        row = dict(base, title=title, body=body, document_number=number, category=cat,
                   formed_on=published[:10], published_at=published,
                   index_number=f"bench-{year}-{pk:07d}", kind="notice")  # fmt: skip
        batch_items.append([pk] + [row[f.name] for f in fields])
        tn, nn, bn = normalize(title), normalize(f"{number} bench-{year}-{pk:07d}"), normalize(body)
        batch_docs.append((pk, pk, org.pk, cat, "notice", year, published, tn, nn, bn))
        batch_fts.append((pk, index_string(tn), index_string(nn), index_string(bn)))
        if len(batch_items) >= 20_000:
            flush()
    flush()
    con.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    con.commit()
    con.close()
    return time.perf_counter() - t0


def _time_queries(db: Path) -> dict:
    import django

    django.setup()
    from gongkai.search.selectors import search
    from gongkai.search.text import parse_query

    result: dict = {"django": [], "fts": [], "like": [], "per_query": {}}
    con = sqlite3.connect(db)
    for q in QUERIES:
        search(q)  # warm
        d, f, like = [], [], []
        parsed = parse_query(q)
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            res = search(q)
            d.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            con.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (parsed.fts5(),)
            ).fetchone()
            con.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
                "ORDER BY bm25(search_fts, 10.0, 5.0, 1.0) LIMIT 20",
                (parsed.fts5(),),
            ).fetchall()
            f.append(time.perf_counter() - t0)
        cond = " AND ".join(
            "(title_norm LIKE ? OR number_norm LIKE ? OR body_norm LIKE ?)" for _ in parsed.terms
        )
        args = [f"%{t}%" for t in parsed.terms for _ in range(3)]
        for _ in range(2):
            t0 = time.perf_counter()
            con.execute(
                f"SELECT count(*) FROM search_searchdocument WHERE {cond}",  # noqa: S608
                args,
            ).fetchone()
            con.execute(
                f"SELECT id FROM search_searchdocument WHERE {cond} "  # noqa: S608
                "ORDER BY published_at DESC LIMIT 20",
                args,
            ).fetchall()
            like.append(time.perf_counter() - t0)
        result["django"] += d
        result["fts"] += f
        result["like"] += like
        result["per_query"][q] = {
            "hits": res.total,
            "django_p50_ms": statistics.median(d) * 1000,
            "fts_p50_ms": statistics.median(f) * 1000,
            "like_ms": min(like) * 1000,
        }
    return result


def worker(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    db, n = Path(argv[0]), int(argv[1])
    build = _build(db, n)
    timings = _time_queries(db)
    timings["build_seconds"] = build
    timings["db_bytes"] = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    print("RESULT " + json.dumps(timings, ensure_ascii=False))
    return 0


# --- the parent: run workers, then gunicorn ---------------------------------------------


def _env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        GONGKAI_DATA_DIR=str(data_dir),
        DATABASE_URL="",
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        DEBUG="0",
        PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
        ),
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(url: str) -> tuple[float, int]:
    """Requests/s against ``url`` with LOAD_THREADS threads for LOAD_SECONDS (bounded)."""
    done = [0] * LOAD_THREADS
    errors = [0] * LOAD_THREADS
    stop = time.perf_counter() + LOAD_SECONDS

    def loop(k):
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - 127.0.0.1
                    r.read()
                done[k] += 1
            except OSError:
                errors[k] += 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(LOAD_THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - t0), sum(errors)


def _gunicorn(data_dir: Path, out) -> None:
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
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("static file /static/portal/css/portal.css", "/static/portal/css/portal.css"),
            ("item page /bench/items/12345/", "/bench/items/12345/"),
            ("catalogue page /bench/catalogue/", "/bench/catalogue/"),
            ("search page /search/?q=宅基地", "/search/?q=%E5%AE%85%E5%9F%BA%E5%9C%B0"),
        ]
        out.write(f"gunicorn 2 workers, {LOAD_THREADS} client threads, {LOAD_SECONDS:.0f} s each\n")
        for label, path in pages:
            rps, errors = _load(base + path)
            out.write(f"  {label:45s} {rps:8.1f} req/s  errors {errors}\n")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(out) -> None:
    sizes = SIZES[:1] if _quick() else SIZES
    root = Path(tempfile.mkdtemp(prefix="gongkai-bench-search-"))
    try:
        for n in sizes:
            data_dir = root / f"n{n}"
            data_dir.mkdir()
            db = data_dir / "gongkai.sqlite3"
            proc = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.search", "--worker", str(db), str(n)],
                env=_env(data_dir),
                capture_output=True,
                text=True,
                check=False,
            )
            line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                out.write(f"{n:,} items: worker failed\n{proc.stderr[-2000:]}\n")
                continue
            r = json.loads(line[7:])
            out.write(
                f"{n:,} items: built in {r['build_seconds']:.0f} s, "
                f"database {r['db_bytes'] / 1e9:.2f} GB; {len(QUERIES)} queries x {REPEAT}\n"
            )
            for key, label in (
                ("django", "search() via Django (count+page+snippets)"),
                ("fts", "bare FTS5 (count + bm25 top 20)"),
                ("like", "baseline LIKE '%q%' scan (count + top 20)"),
            ):
                v = r[key]
                out.write(
                    f"  {label:45s} p50 {_pct(v, 50) * 1000:8.1f} ms"
                    f"   p95 {_pct(v, 95) * 1000:8.1f} ms\n"
                )
            for q, pq in r["per_query"].items():
                out.write(
                    f"    {q:16s} hits {pq['hits']:>8,}  django {pq['django_p50_ms']:7.1f} ms"
                    f"  fts {pq['fts_p50_ms']:7.1f} ms  like {pq['like_ms']:8.1f} ms\n"
                )
            out.flush()
            if n == sizes[0]:
                _gunicorn(data_dir, out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.exit(worker(sys.argv[2:]))
    run(sys.stdout)
