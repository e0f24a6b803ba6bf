"""S3-compatible object storage for the files the platform keeps, from the environment.

``GONGKAI_S3_BUCKET`` turns it on: ``STORAGES["default"]`` becomes
django-storages' S3 backend, so uploads, letters, imported reports, import
files and (``gongkai backup --to-storage``) backups are shared by every app
server.  The same S3 API is spoken by 阿里云 OSS, 华为 OBS, MinIO and AWS; the
variables (docs/platform.md):

- ``GONGKAI_S3_BUCKET``: the bucket (created beforehand by the operator, private);
- ``GONGKAI_S3_ENDPOINT_URL``: ``https://oss-cn-hangzhou.aliyuncs.com``,
  ``https://obs.cn-north-4.myhuaweicloud.com``, ``http://127.0.0.1:9000`` …;
  empty for AWS itself;
- ``GONGKAI_S3_ACCESS_KEY`` / ``GONGKAI_S3_SECRET_KEY``: both or neither
  (neither: boto3's own chain — ``AWS_*`` variables, an instance role);
- ``GONGKAI_S3_REGION`` (default ``us-east-1``);
- ``GONGKAI_S3_ADDRESSING_STYLE``: ``path`` or ``virtual`` (OSS accepts only
  ``virtual``); default ``path`` with an endpoint, ``virtual`` without;
- ``GONGKAI_S3_PREFIX``: an optional key prefix, so one bucket can hold several
  installations.

Objects are private: no ACL is sent (the bucket's private default applies) and
nothing hands out their URLs; every download goes through
``gongkai.uploads.download_response`` after a permission check.

Plain Python (no Django set-up needed), so the settings module and the tests
call :func:`s3_storage_from_env` with any mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKEND = "storages.backends.s3.S3Storage"
# S3's bucket naming rules (OSS and OBS use the same subset): 3-63 characters,
# lower-case letters, digits, dots and hyphens, starting and ending alphanumeric.
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PREFIX_SEGMENT_RE = re.compile(r"^[A-Za-z0-9._-]+$")
STYLES = ("path", "virtual")


def _bad(name: str, raw: str, wanted: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"环境变量 {name} 应为{wanted}，现为“{raw}”。 {name} is not valid: {raw!r}."
    )


def _prefix(raw: str) -> str:
    prefix = raw.strip().strip("/")
    if not prefix:
        return ""
    segments = prefix.split("/")
    if any(s in ("", ".", "..") or not PREFIX_SEGMENT_RE.match(s) for s in segments):
        raise _bad(
            "GONGKAI_S3_PREFIX",
            raw,
            "由字母、数字、点、下划线和连字符组成、以 / 分隔的路径（例如 gongkai/prod）",
        )
    return prefix


def s3_storage_from_env(environ: Mapping[str, str], *, memory_bytes: int) -> dict | None:
    """The ``STORAGES["default"]`` entry for the S3 backend, or None without a bucket.

    Raises ImproperlyConfigured (Chinese, then English) on a malformed value;
    ``memory_bytes`` is how much of a read object is kept in memory before it
    spills to a temporary file.
    """

    def get(name: str) -> str:
        return str(environ.get(name, "")).strip()

    bucket = get("GONGKAI_S3_BUCKET")
    if not bucket:
        return None
    if not BUCKET_RE.match(bucket) or ".." in bucket:
        raise _bad(
            "GONGKAI_S3_BUCKET",
            bucket,
            "长 3 到 63 个字符的存储桶名称（小写字母、数字、点和连字符，以字母或数字开头和结尾）",
        )
    endpoint = get("GONGKAI_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _bad(
                "GONGKAI_S3_ENDPOINT_URL",
                endpoint,
                "以 http:// 或 https:// 开头的对象存储服务地址（例如 https://oss-cn-hangzhou.aliyuncs.com）",
            )
    access_key = get("GONGKAI_S3_ACCESS_KEY")
    secret_key = get("GONGKAI_S3_SECRET_KEY")
    if bool(access_key) != bool(secret_key):
        missing = "GONGKAI_S3_SECRET_KEY" if access_key else "GONGKAI_S3_ACCESS_KEY"
        raise ImproperlyConfigured(
            f"对象存储的访问密钥不完整：缺少环境变量 {missing}"
            "（GONGKAI_S3_ACCESS_KEY 与 GONGKAI_S3_SECRET_KEY 须同时设置或同时不设置）。"
            f" {missing} is missing: set both S3 keys or neither."
        )
    region = get("GONGKAI_S3_REGION") or "us-east-1"
    if not REGION_RE.match(region):
        raise _bad(
            "GONGKAI_S3_REGION", region, "区域名称（小写字母、数字和连字符，例如 cn-hangzhou）"
        )
    style = get("GONGKAI_S3_ADDRESSING_STYLE").lower() or ("path" if endpoint else "virtual")
    if style not in STYLES:
        raise _bad(
            "GONGKAI_S3_ADDRESSING_STYLE",
            get("GONGKAI_S3_ADDRESSING_STYLE"),
            "“path”或“virtual”（阿里云 OSS 只支持 virtual）",
        )
    prefix = _prefix(environ.get("GONGKAI_S3_PREFIX", ""))

    from botocore.config import Config

    client_config = Config(
        s3={"addressing_style": style},
        signature_version="s3v4",
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        # Recent boto3 adds CRC checksums to every upload by default; OSS, OBS
        # and older MinIO releases refuse or ignore them: send them only when
        # the operation requires one.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return {
        "BACKEND": BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region,
            "location": prefix,
            "client_config": client_config,
            # Private objects: no ACL header (the bucket's private default), and
            # should anything ever ask for a URL, a signed one that expires.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Like FileSystemStorage: never replace an object by saving over it.
            "file_overwrite": False,
            "max_memory_size": memory_bytes,
        },
    }
