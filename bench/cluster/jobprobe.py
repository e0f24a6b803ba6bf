"""Defer a job into the cluster's queue and read its state (run with the app servers' environment).

    python -m bench.cluster.jobprobe defer     # prints the queue's job id
    python -m bench.cluster.jobprobe state ID  # prints its status and procrastinate's attempts count: succeeded 1 ...

The job is the daily deadline-reminder run (``applications.remind``) for today:
light and idempotent, so deferring it during a load test does no harm.
"""

from __future__ import annotations

import os
import sys

JOB = "applications.remind"


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    if argv[:1] == ["defer"]:
        from gongkai.jobs import defer

        with transaction.atomic():
            job_id = defer(JOB, day=timezone.localdate().isoformat())
        print(job_id if job_id is not None else "none")
        return 0
    if argv[:1] == ["state"] and len(argv) == 2:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", [int(argv[1])]
            )
            row = cur.fetchone()
        print(f"{row[0]} {row[1]}" if row else "missing 0")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
