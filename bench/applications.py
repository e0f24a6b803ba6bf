"""Applications: the reply clock and table-3 bookkeeping at volume.

1. ``compute_deadline`` for a typical history (补正, consultation, extension),
   next to a bare ``add_workdays(received_on, 20)`` baseline — deadlines per second.
2. ``table3_cells`` (gongkai.core.counting) over 50,000 applications of 20 bodies in a scratch SQLite
   database (WAL, as embedded), next to a baseline ``COUNT(*)`` of the same
   rows, and the number of queries it issued (constant whatever the volume).

``python -m bench applications``.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import tempfile
import time
from datetime import date, timedelta

ROWS = 50_000
BODIES = 20
REPEAT = 5


def _best(func, repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def _clock(out) -> None:
    from gongkai.applications.clock import Event, compute_deadline
    from gongkai.workdays import add_workdays

    received = [date(2024, 1, 2) + timedelta(days=i % 700) for i in range(2_000)]

    def history(r):
        return [
            Event("correction_requested", r + timedelta(days=1), until=r + timedelta(days=20)),
            Event("correction_received", r + timedelta(days=8)),
            Event("third_party_consulted", r + timedelta(days=10)),
            Event("consultation_answered", r + timedelta(days=18)),
            Event("extension", r + timedelta(days=20), days=20, approved=True),
        ]

    histories = [(r, history(r)) for r in received]

    def by_hand(r):
        # The same calendar work as the history, without the event model:
        # a workday sum per event that moves the clock (补正 restarts it on the
        # reply, consultation pauses it, the extension adds 20 workdays).
        restart = add_workdays(r + timedelta(days=8), 0)
        add_workdays(r + timedelta(days=1), 0)
        add_workdays(r + timedelta(days=10), 0)
        resumed = add_workdays(r + timedelta(days=18), 0)
        due = add_workdays(restart, 20)
        due = add_workdays(resumed, 20)
        return add_workdays(due, 20)

    full = _best(lambda: [compute_deadline(r, h) for r, h in histories])
    base = _best(lambda: [by_hand(r) for r in received])
    n = len(received)
    out.write(f"compute_deadline (5 events): {n / full:,.0f} deadlines/s\n")
    out.write(
        f"  baseline: the same 5 events as 7 bare add_workdays calls: {n / base:,.0f} /s"
        f" -> {base / full:.2f}x of the baseline's speed\n"
    )


def _table3(out) -> None:
    # The scratch folder is the one ``python -m bench`` made for this benchmark
    # (removed after it); run alone, a temporary one removed at exit.
    if "GONGKAI_DATA_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="gongkai-bench-")
        atexit.register(shutil.rmtree, scratch, True)
        os.environ["GONGKAI_DATA_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.annual.format import T3_APPLICANT_COLUMNS, T3_RESULT_ROWS
    from gongkai.applications.models import Application
    from gongkai.organizations.models import Organization
    from gongkai.reports.compute import table3_cells

    call_command("migrate", verbosity=0)
    orgs = [
        Organization.objects.create(name=f"基准机关{i}", slug=f"bench-{i}", level="town")
        for i in range(BODIES)
    ]
    rnd = random.Random(2024)
    rows = []
    for i in range(ROWS):
        received = date(2022, 1, 1) + timedelta(days=rnd.randint(0, 1460))
        reply = received + timedelta(days=rnd.randint(0, 60)) if rnd.random() < 0.9 else None
        rows.append(
            Application(
                organization=orgs[i % BODIES],
                tracking_code=f"B{i:011d}",
                channel="in_person",
                applicant_type=rnd.choice(T3_APPLICANT_COLUMNS),
                applicant_name="基准",
                phone="1",
                description="基准",
                submitted_on=received,
                received_on=received,
                reply_on=reply,
                outcome=rnd.choice(T3_RESULT_ROWS) if reply else "",
                status="closed" if reply else "open",
            )
        )
    Application.objects.bulk_create(rows, batch_size=2_000)
    ids = [o.pk for o in orgs]
    with CaptureQueriesContext(connection) as queries:
        table3_cells(organization_ids=ids, year=2024)
    full = _best(lambda: table3_cells(organization_ids=ids, year=2024))
    base = _best(lambda: Application.objects.filter(organization_id__in=ids).count())
    one = _best(lambda: table3_cells(organization_ids=ids[:1], year=2024))
    out.write(
        f"table3_cells, {ROWS:,} applications / {BODIES} bodies: {full * 1000:.1f} ms "
        f"({len(queries)} queries); one body: {one * 1000:.1f} ms\n"
    )
    out.write(f"  baseline COUNT(*) of the same rows: {base * 1000:.1f} ms\n")


def run(out) -> None:
    _clock(out)
    _table3(out)
