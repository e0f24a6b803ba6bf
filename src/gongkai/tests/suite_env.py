"""``python -m gongkai.tests.suite_env``: the environment of the PostgreSQL test run.

`make test-pg` runs the Django suite a second time as the 集约化 deployment
runs: on PostgreSQL, and, when they answer, with Redis as the cache and the
session store (``REDIS_URL``, database 15, which the suite empties before
every test) and an S3-compatible server as the file storage (``.ci/run``
starts moto's server and names it in ``GONGKAI_TEST_S3_ENDPOINT``; a bucket of
this run's own is created here).  Prints ``export`` lines for the shell and,
on stderr, what the run uses; a component that does not answer is left out,
so a machine without Redis or an S3 server still runs the PostgreSQL suite.
"""

from __future__ import annotations

import os
import shlex
import sys
import uuid

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
S3_ACCESS_KEY = "gongkai-test"
S3_SECRET_KEY = "gongkai-test-secret"  # noqa: S105 - a local test server's key


def _redis() -> dict[str, str]:
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means "not available"
        print(
            f"== Redis not reachable ({exc.__class__.__name__}): the cache stays in-process",
            file=sys.stderr,
        )
        return {}
    print(f"== Redis: cache and sessions at {REDIS_TEST_URL}", file=sys.stderr)
    return {"REDIS_URL": REDIS_TEST_URL}


def _s3() -> dict[str, str]:
    endpoint = os.environ.get("GONGKAI_TEST_S3_ENDPOINT", "").strip().rstrip("/")
    if not endpoint:
        print(
            "== No S3 server named (GONGKAI_TEST_S3_ENDPOINT): files stay on disk", file=sys.stderr
        )
        return {}
    bucket = f"gongkai-suite-{uuid.uuid4().hex[:12]}"
    try:
        import boto3
        from botocore.config import Config

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"}, connect_timeout=3, retries={"max_attempts": 1}
            ),
        ).create_bucket(Bucket=bucket)
    except Exception as exc:  # any failure means "not available"
        print(
            f"== S3 server at {endpoint} did not answer ({exc.__class__.__name__}): files stay on disk",
            file=sys.stderr,
        )
        return {}
    print(f"== S3: files in bucket {bucket} at {endpoint}", file=sys.stderr)
    return {
        "GONGKAI_S3_BUCKET": bucket,
        "GONGKAI_S3_ENDPOINT_URL": endpoint,
        "GONGKAI_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "GONGKAI_S3_SECRET_KEY": S3_SECRET_KEY,
        "GONGKAI_S3_ADDRESSING_STYLE": "path",
    }


def main() -> int:
    env = {**_redis(), **_s3()}
    for name, value in env.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
