"""Benchmark of the annual report computed from the records.

A temporary SQLite database (migrated from scratch, filled with bulk_create):

- one body with 100,000 applications (received 2022-2025, random outcomes and
  applicant types), 2,000 appeals and 10,000 published items with channels;
- a district with 500 bodies under it, each with 200 more applications.

Every figure is measured beside its baseline in the same run:

- ``report_compute`` (all 200 cells, 4 queries) against ONE hand-written SQL
  GROUP BY that produces only table 3 over the same rows (target: within 2x);
- the district aggregate over 501 bodies against the same GROUP BY with the
  501 ids (target: within 2x);
- the generated draft's facts (items by channel and category, fees) are
  timed alongside, for information.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

N_APPLICATIONS = 100_000
N_ITEMS = 10_000
N_APPEALS = 2_000
N_BODIES = 500
PER_BODY = 200
YEAR = 2024
ROUNDS = 5
FACTOR = 2.0


def _setup(tmp: str) -> None:
    os.environ["GONGKAI_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous=OFF")  # a throw-away database: no fsync per batch


def _fill(rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gongkai.annual import format as fmt
    from gongkai.appeals.models import Appeal
    from gongkai.applications.models import Application
    from gongkai.disclosure.models import Item, Publication
    from gongkai.organizations.models import Organization

    user = get_user_model().objects.create(username="bench")
    district = Organization.objects.create(name="基准区人民政府", slug="bench-d", level="county")
    bodies = Organization.objects.bulk_create(
        Organization(
            name=f"基准镇{i}",
            slug=f"bench-{i}",
            level="town",
            parent=district,
            may_make_regulations=False,
        )
        for i in range(N_BODIES)
    )
    body = bodies[0]
    start = date(2022, 1, 1)
    counter = iter(range(10**9))

    def application(org_id: int) -> Application:
        received = start + timedelta(days=rng.randrange(4 * 365))
        reply = received + timedelta(days=rng.randrange(60)) if rng.random() < 0.93 else None
        return Application(
            organization_id=org_id,
            tracking_code=f"B{next(counter):011d}",
            channel="online",
            applicant_type=rng.choice(fmt.T3_APPLICANT_COLUMNS),
            applicant_name="某",
            description="基准",
            submitted_on=received,
            received_on=received,
            reply_on=reply,
            outcome=rng.choice(fmt.T3_RESULT_ROWS) if reply else "",
            status="closed" if reply else "open",
        )

    Application.objects.bulk_create(
        (application(body.pk) for _ in range(N_APPLICATIONS)), batch_size=5000
    )
    Application.objects.bulk_create(
        (application(b.pk) for b in bodies[1:] for _ in range(PER_BODY)), batch_size=5000
    )
    kinds = [k for k, _ in fmt.T4_BLOCKS]
    appeals = []
    for _ in range(N_APPEALS):
        filed = start + timedelta(days=rng.randrange(4 * 365))
        decided = filed + timedelta(days=rng.randrange(200)) if rng.random() < 0.8 else None
        appeals.append(
            Appeal(
                organization_id=body.pk,
                kind=rng.choice(kinds),
                filed_on=filed,
                decided_on=decided,
                result=rng.choice(["upheld", "corrected", "other"]) if decided else "",
                authority="基准",
            )
        )
    Appeal.objects.bulk_create(appeals, batch_size=5000)
    tz = timezone.get_current_timezone()
    items = Item.objects.bulk_create(
        (
            Item(
                organization=body,
                title=f"信息{i}",
                formed_on=date(YEAR, 1 + i % 12, 1),
                status="published",
                created_by=user,
                published_at=datetime(YEAR, 1 + i % 12, 1 + i % 28, 9, tzinfo=tz),
            )
            for i in range(N_ITEMS)
        ),
        batch_size=5000,
    )
    channels = [c for c, _ in Publication.Channel.choices]
    Publication.objects.bulk_create(
        (
            Publication(item=item, channel=rng.choice(channels), published_on=date(YEAR, 6, 1))
            for item in items
        ),
        batch_size=5000,
    )
    return district, body


BASELINE_SQL = """
SELECT applicant_type, outcome,
       SUM(CASE WHEN received_on >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN received_on < %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN reply_on >= %s AND reply_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN reply_on IS NULL OR reply_on > %s THEN 1 ELSE 0 END)
FROM applications_application
WHERE organization_id IN ({ids}) AND received_on <= %s
  AND (reply_on IS NULL OR reply_on >= %s)
GROUP BY applicant_type, outcome
"""


def _baseline(ids: list[int]) -> int:
    from django.db import connection

    jan1, dec31 = date(YEAR, 1, 1), date(YEAR, 12, 31)
    sql = BASELINE_SQL.format(ids=",".join(str(int(i)) for i in ids))
    with connection.cursor() as cur:
        cur.execute(sql, [jan1, jan1, jan1, dec31, dec31, dec31, jan1])
        return len(cur.fetchall())


def _pair(ours, base, rounds: int = ROUNDS) -> tuple[float, float]:
    """Median times of ``ours`` and ``base``, measured alternately (noisy machines)."""
    ours(), base()  # warm the page cache and the query plans
    a, b = [], []
    for _ in range(rounds):
        for fn, times in ((ours, a), (base, b)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(a), statistics.median(b)


def run(out=sys.stdout) -> None:
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        _setup(tmp)
        from gongkai.reports.selectors import aggregate_compute, prose_facts, report_compute

        rng = random.Random(2024)
        t0 = time.perf_counter()
        from django.db import transaction

        with transaction.atomic():
            district, body = _fill(rng)
        out.write(
            f"data: {N_APPLICATIONS:,} applications + {N_ITEMS:,} items + {N_APPEALS:,} appeals"
            f" for one body, {N_BODIES} bodies x {PER_BODY} applications"
            f" (bulk_create into SQLite: {time.perf_counter() - t0:.1f} s)\n"
        )
        ours, base = _pair(
            lambda: report_compute(organization=body, year=YEAR), lambda: _baseline([body.pk])
        )
        facts, _ = _pair(lambda: prose_facts(organization=body, year=YEAR), lambda: None, 3)
        verdict = "OK" if ours <= FACTOR * base else "SLOW"
        out.write(
            f"report_compute, one body: {ours * 1000:.1f} ms (200 cells, 4 queries) vs "
            f"hand-written GROUP BY (table 3 only): {base * 1000:.1f} ms -> "
            f"{ours / base:.2f}x [{verdict}, target <= {FACTOR:.0f}x]\n"
        )
        out.write(f"draft facts (items by channel/category, fees): {facts * 1000:.1f} ms\n")
        ids = sorted(district.descendant_ids(include_self=True))
        ours, base = _pair(
            lambda: aggregate_compute(organization=district, year=YEAR), lambda: _baseline(ids)
        )
        verdict = "OK" if ours <= FACTOR * base else "SLOW"
        out.write(
            f"district aggregate, {len(ids)} bodies: {ours * 1000:.1f} ms vs "
            f"hand-written GROUP BY: {base * 1000:.1f} ms -> {ours / base:.2f}x "
            f"[{verdict}, target <= {FACTOR:.0f}x]\n"
        )


if __name__ == "__main__":
    run()
