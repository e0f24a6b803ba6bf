"""The cluster's dataset: 1,000 bodies, 1,000,000 published items and their search rows.

Run by ``bench.cluster`` in its own process with DATABASE_URL pointing at the
cluster database (``python -m bench.cluster.dataset [--fresh] <bodies> <items>``).
The items come from the search bench's generator (``bench_items``) through its
row builder (``bench.search._rows``), spread round-robin over the bodies; both
tables are filled with COPY in one pass over two connections (the items'
transaction commits first, so the search rows' deferred foreign keys hold).
A finished dataset is recorded in ``cluster_meta`` and reused by later runs.

The back-office accounts (a clerk, a reviewer and an approver for each of the
first ``STAFF_BODIES`` bodies) are loaded with real password hashes, so the
load test logs in through the real log-in form.
"""

from __future__ import annotations

import json
import os
import sys
import time

from bench.search import DOC_COLUMNS, PG_DATASET_VERSION, _rows, _tsvector_text

# Bump when the dataset's shape changes: the next run rebuilds it.
CLUSTER_DATASET_VERSION = f"1-{PG_DATASET_VERSION}"
CATEGORIES_PER_BODY = 20
STAFF_BODIES = 5
STAFF_PASSWORD = "Cluster-load-2026"  # noqa: S105 - local accounts of a throw-away load test
STAFF_ROLES = ("clerk", "reviewer", "approver")
SLUG = "b{:04d}"


def _url() -> str:
    return os.environ["DATABASE_URL"]


def ready(bodies: int, items: int) -> bool:
    """Is the dataset of this shape already loaded (and finished)?"""
    import psycopg

    try:
        with psycopg.connect(_url(), connect_timeout=5) as con:
            row = con.execute("SELECT version, bodies, items FROM cluster_meta").fetchone()
            return tuple(row) == (CLUSTER_DATASET_VERSION, bodies, items)
    except psycopg.Error:
        return False


def recreate_database() -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    dbname = conninfo_to_dict(_url())["dbname"]
    with psycopg.connect(_url(), dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dbname}"')


def _bodies_and_staff(bodies: int):
    """Bodies, their catalogue categories, the loader user and the staff accounts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from gongkai.disclosure.models import Category
    from gongkai.organizations.models import Membership, Organization

    User = get_user_model()
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"集约化测试第{k}镇人民政府",
                slug=SLUG.format(k),
                level="town",
                may_make_regulations=False,
                office_name="党政办公室",
                office_phone="0931-0000000",
            )
            for k in range(1, bodies + 1)
        )
        cats = Category.objects.bulk_create(
            Category(organization=o, name=f"类目{c}", code=f"C{c:02d}", order=c)
            for o in orgs
            for c in range(CATEGORIES_PER_BODY)
        )
        loader = User.objects.create(username="cluster-loader", is_active=False)
        password = make_password(STAFF_PASSWORD)  # one hash: the same password for every account
        for k, org in enumerate(orgs[:STAFF_BODIES], start=1):
            for role in STAFF_ROLES:
                user = User.objects.create(username=f"{role}{k}", password=password)
                Membership.objects.create(user=user, organization=org, role=role)
    by_org: dict[int, list[int]] = {}
    for c in cats:
        by_org.setdefault(c.organization_id, []).append(c.pk)
    return [o.pk for o in orgs], by_org, loader.pk


def _item_fields(loader_id: int, org_id: int):
    """The item columns and row defaults, as bench.search._schema() builds them."""
    from gongkai.disclosure.models import Item

    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    now = "2025-01-01 00:00:00+08"
    special = {
        "organization": org_id,
        "created_by": loader_id,
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

    return fields, {f.name: default(f) for f in fields}


def build(bodies: int, items: int) -> dict:
    import django
    import psycopg
    from django.core.management import call_command

    t0 = time.perf_counter()
    recreate_database()
    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    from gongkai.search.text import pg_lexemes

    org_ids, cats_by_org, loader_id = _bodies_and_staff(bodies)
    connection.close()
    fields, base = _item_fields(loader_id, org_ids[0])
    names = [f.name for f in fields]
    org_pos, cat_pos = 1 + names.index("organization"), 1 + names.index("category")
    columns = ["id"] + [f.column for f in fields]
    t_schema = time.perf_counter() - t0

    with psycopg.connect(_url()) as ci, psycopg.connect(_url()) as cd:
        cd.execute("DROP INDEX search_doc_tsv")
        item_sql = f"COPY disclosure_item ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        doc_sql = f"COPY search_searchdocument ({DOC_COLUMNS}, tsv) FROM STDIN"  # noqa: S608
        with ci.cursor().copy(item_sql) as icopy, cd.cursor().copy(doc_sql) as dcopy:
            for k, (item, doc) in enumerate(_rows(items, org_ids[0], [0], fields, base)):
                pk = item[0]
                org = org_ids[(pk - 1) % len(org_ids)]
                cats = cats_by_org[org]
                cat = cats[(pk // len(org_ids)) % len(cats)]
                item[org_pos], item[cat_pos] = org, cat
                icopy.write_row(item)
                _id, _item, _org, _cat, *rest = doc
                dcopy.write_row(
                    (_id, _item, org, cat, *rest, _tsvector_text(pg_lexemes(*rest[3:6], rest[1])))
                )
                if k and k % 100_000 == 0:
                    print(f"  {k:,} items written", file=sys.stderr, flush=True)
        ci.commit()  # the items first: the search rows' deferred foreign keys need them
        cd.commit()
    t_copy = time.perf_counter() - t0 - t_schema

    with psycopg.connect(_url(), autocommit=True) as con:
        con.execute("SET maintenance_work_mem = '512MB'")
        con.execute("CREATE INDEX search_doc_tsv ON search_searchdocument USING gin (tsv)")
        for table in ("disclosure_item", "search_searchdocument"):
            con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [items + 1])
        con.execute("VACUUM ANALYZE")
        con.execute("CREATE TABLE cluster_meta (version text, bodies integer, items integer)")
        con.execute(
            "INSERT INTO cluster_meta VALUES (%s, %s, %s)",
            [CLUSTER_DATASET_VERSION, bodies, items],
        )
    return {
        "schema_seconds": t_schema,
        "copy_seconds": t_copy,
        "total_seconds": time.perf_counter() - t0,
    }


SIZE_SQL = """
SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
FROM pg_class c WHERE c.relname = ANY(%s) ORDER BY c.relname
"""
SIZED_TABLES = ["disclosure_item", "search_searchdocument"]


def sizes() -> dict:
    """Bytes of the items and the search index (heap + TOAST, indexes) and per item."""
    import psycopg

    with psycopg.connect(_url()) as con:
        n = con.execute("SELECT count(*) FROM disclosure_item").fetchone()[0]
        tables = {
            name: {"table": t, "indexes": i, "total": tot}
            for name, t, i, tot in con.execute(SIZE_SQL, [SIZED_TABLES]).fetchall()
        }
        gin = con.execute("SELECT pg_relation_size('search_doc_tsv')").fetchone()[0]
        db = con.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    total = sum(t["total"] for t in tables.values())
    return {
        "items": n,
        "tables": tables,
        "gin_bytes": gin,
        "database_bytes": db,
        "items_and_index_bytes": total,
        "bytes_per_item": total / n if n else 0,
    }


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    fresh = "--fresh" in argv
    bodies, items = (int(a) for a in argv if not a.startswith("--"))
    built = None
    if fresh or not ready(bodies, items):
        built = build(bodies, items)
    print("RESULT " + json.dumps({"built": built, "sizes": sizes()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
