"""A real S3-compatible server for the object-storage tests.

``GONGKAI_TEST_S3_ENDPOINT`` (set by ``.ci/run``, which starts moto's server on
loopback) names a running server; without it a ThreadedMotoServer is started in
this process on a free port, so the tests run on any machine.  Each test gets
buckets of its own (several test runs may share one server), emptied and
removed afterwards.
"""

from __future__ import annotations

import os
import uuid

import boto3
import pytest
from botocore.config import Config

from gongkai.config.objectstorage import s3_storage_from_env

ACCESS_KEY = "gongkai-test"
SECRET_KEY = "gongkai-test-secret"


@pytest.fixture(scope="session")
def s3_endpoint():
    endpoint = os.environ.get("GONGKAI_TEST_S3_ENDPOINT", "").strip()
    if endpoint:
        yield endpoint.rstrip("/")
        return
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )


def bucket_keys(s3_client, bucket: str) -> dict[str, bytes]:
    """Every object of ``bucket``: key -> content."""
    keys = {}
    for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            keys[obj["Key"]] = s3_client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    return keys


@pytest.fixture
def make_bucket(s3_client):
    """``make_bucket()`` -> the name of a new, empty bucket (removed after the test)."""
    made = []

    def make() -> str:
        name = f"gongkai-test-{uuid.uuid4().hex[:12]}"
        s3_client.create_bucket(Bucket=name)
        made.append(name)
        return name

    yield make
    for name in made:
        for key in bucket_keys(s3_client, name):
            s3_client.delete_object(Bucket=name, Key=key)
        s3_client.delete_bucket(Bucket=name)


@pytest.fixture
def s3_env(s3_endpoint):
    """``s3_env(bucket, **more)`` -> the GONGKAI_S3_* variables an operator would set."""

    def env(bucket: str, **more: str) -> dict[str, str]:
        return {
            "GONGKAI_S3_BUCKET": bucket,
            "GONGKAI_S3_ENDPOINT_URL": s3_endpoint,
            "GONGKAI_S3_ACCESS_KEY": ACCESS_KEY,
            "GONGKAI_S3_SECRET_KEY": SECRET_KEY,
            "GONGKAI_S3_ADDRESSING_STYLE": "path",
            **more,
        }

    return env


@pytest.fixture
def bucket(make_bucket):
    return make_bucket()


@pytest.fixture
def s3_storage(settings, bucket, s3_env):
    """The default storage switched to S3 (a fresh bucket, prefix ``site``), as
    GONGKAI_S3_* would configure it; returns the bucket name."""
    entry = s3_storage_from_env(s3_env(bucket, GONGKAI_S3_PREFIX="site"), memory_bytes=1024)
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    return bucket
