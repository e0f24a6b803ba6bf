"""GONGKAI_S3_* select the S3 backend; a malformed value stops start-up in Chinese."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.config.objectstorage import BACKEND, s3_storage_from_env

from ..helpers import command_env

GOOD = {
    "GONGKAI_S3_BUCKET": "gongkai-files",
    "GONGKAI_S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
    "GONGKAI_S3_ACCESS_KEY": "ak",
    "GONGKAI_S3_SECRET_KEY": "sk",
}


def test_no_bucket_keeps_the_local_folder():
    assert s3_storage_from_env({}, memory_bytes=1) is None
    assert s3_storage_from_env({"GONGKAI_S3_BUCKET": "  "}, memory_bytes=1) is None


def test_full_configuration():
    entry = s3_storage_from_env(
        {**GOOD, "GONGKAI_S3_REGION": "cn-hangzhou", "GONGKAI_S3_ADDRESSING_STYLE": "virtual",
         "GONGKAI_S3_PREFIX": "/city/prod/"},
        memory_bytes=2048,
    )  # fmt: skip
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == BACKEND
    assert options["bucket_name"] == "gongkai-files"
    assert options["endpoint_url"] == "https://oss-cn-hangzhou.aliyuncs.com"
    assert (options["access_key"], options["secret_key"]) == ("ak", "sk")
    assert options["region_name"] == "cn-hangzhou"
    assert options["location"] == "city/prod"
    assert options["client_config"].s3 == {"addressing_style": "virtual"}
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["max_memory_size"] == 2048


def test_defaults():
    options = s3_storage_from_env(GOOD, memory_bytes=1)["OPTIONS"]
    assert options["region_name"] == "us-east-1"
    assert options["location"] == ""
    # With an endpoint (MinIO, OBS …) path style; AWS itself (no endpoint): virtual.
    assert options["client_config"].s3 == {"addressing_style": "path"}
    aws = s3_storage_from_env({"GONGKAI_S3_BUCKET": "gongkai-files"}, memory_bytes=1)
    assert aws["OPTIONS"]["client_config"].s3 == {"addressing_style": "virtual"}
    assert aws["OPTIONS"]["access_key"] is None and aws["OPTIONS"]["endpoint_url"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"GONGKAI_S3_BUCKET": "Gongkai_Files"},
            "GONGKAI_S3_BUCKET 应为长 3 到 63 个字符的存储桶名称",
        ),
        ({"GONGKAI_S3_BUCKET": "ab"}, "GONGKAI_S3_BUCKET 应为"),
        (
            {"GONGKAI_S3_ENDPOINT_URL": "oss-cn-hangzhou.aliyuncs.com"},
            "以 http:// 或 https:// 开头",
        ),
        ({"GONGKAI_S3_ENDPOINT_URL": "ftp://x"}, "GONGKAI_S3_ENDPOINT_URL 应为"),
        ({"GONGKAI_S3_SECRET_KEY": ""}, "缺少环境变量 GONGKAI_S3_SECRET_KEY"),
        ({"GONGKAI_S3_ACCESS_KEY": ""}, "缺少环境变量 GONGKAI_S3_ACCESS_KEY"),
        ({"GONGKAI_S3_REGION": "CN Hangzhou"}, "GONGKAI_S3_REGION 应为区域名称"),
        ({"GONGKAI_S3_ADDRESSING_STYLE": "auto"}, "“path”或“virtual”（阿里云 OSS 只支持 virtual）"),
        ({"GONGKAI_S3_PREFIX": "a/../b"}, "GONGKAI_S3_PREFIX 应为"),
        ({"GONGKAI_S3_PREFIX": "文件"}, "GONGKAI_S3_PREFIX 应为"),
    ],
)
def test_malformed_configuration_is_refused_in_chinese(change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        s3_storage_from_env({**GOOD, **change}, memory_bytes=1)


def test_start_up_stops_on_a_malformed_variable(tmp_path):
    env = {**command_env(tmp_path, sqlite=True), **GOOD, "GONGKAI_S3_ADDRESSING_STYLE": "dns"}
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gongkai.config.settings'); django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "环境变量 GONGKAI_S3_ADDRESSING_STYLE 应为“path”或“virtual”" in result.stderr
