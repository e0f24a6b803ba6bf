"""Text messages through a provider: the interface and its three adapters.

``GONGKAI_SMS_BACKEND`` picks one:

- ``console`` (default, the embedded mode): the message goes to the
  ``gongkai.notifications`` log (a local install has no gateway contract);
- ``file``: one JSON line per message appended to ``GONGKAI_SMS_FILE``
  (default ``<GONGKAI_DATA_DIR>/sms.jsonl``), for a desk that forwards them;
- ``aliyun``: Alibaba Cloud SMS (dysmsapi ``SendSms``, API version
  2017-05-25) over HTTPS, signed with the RPC signature method (HMAC-SHA1 of
  the canonicalised query, signature version 1.0).  Chinese SMS gateways only
  send texts from a template the carrier approved beforehand: the body
  registers one template whose only variable is ``${content}`` and we send
  the rendered text in it (``GONGKAI_SMS_TEMPLATE_CODE``, ``GONGKAI_SMS_SIGN_NAME``).

A failure the next attempt may cure (timeout, connection refused, HTTP 5xx, a
throttling code) raises :class:`SmsError`; the send job then retries.
"""

from __future__ import annotations

import abc
import base64
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("gongkai.notifications")

ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
ALIYUN_VERSION = "2017-05-25"


class SmsError(Exception):
    """The gateway did not take the message; ``str()`` is kept in the log.
    ``retryable``: a later attempt may succeed (else the message fails at once)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class SmsResult:
    provider_id: str = ""


class SmsBackend(abc.ABC):
    """The provider interface: console, file and aliyun implement it."""

    name = ""

    @abc.abstractmethod
    def send(self, *, phone: str, text: str) -> SmsResult:
        """Send one text; raise SmsError (retryable or not) on failure."""


class ConsoleBackend(SmsBackend):
    name = "console"

    def send(self, *, phone: str, text: str) -> SmsResult:
        logger.info("短信（控制台）→ %s：%s", phone, text)
        return SmsResult()


class FileBackend(SmsBackend):
    name = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, *, phone: str, text: str) -> SmsResult:
        line = json.dumps(
            {"phone": phone, "text": text, "at": datetime.now(UTC).isoformat()},
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
        except OSError as exc:
            raise SmsError(f"无法写入短信文件 {self.path}：{exc}") from exc
        return SmsResult()


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the Alibaba Cloud RPC signature requires (space → %20,
    ``*`` → %2A, ``~`` kept)."""
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The ``Signature`` of an Alibaba Cloud RPC request (signature version 1.0)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Codes after which the same request may succeed later (the gateway's throttles).
ALIYUN_RETRYABLE = {"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "Throttling.User"}


class AliyunBackend(SmsBackend):
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        template_code: str,
        endpoint: str = ALIYUN_ENDPOINT,
        region: str = "cn-hangzhou",
        timeout: float = 10.0,
    ) -> None:
        missing = [
            name
            for name, value in (
                ("GONGKAI_SMS_ACCESS_KEY_ID", access_key_id),
                ("GONGKAI_SMS_ACCESS_KEY_SECRET", access_key_secret),
                ("GONGKAI_SMS_SIGN_NAME", sign_name),
                ("GONGKAI_SMS_TEMPLATE_CODE", template_code),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(
                "GONGKAI_SMS_BACKEND=aliyun 需要设置 " + "、".join(missing) + "。"
            )
        self.access_key_id = access_key_id
        self.secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.endpoint = endpoint
        self.region = region
        self.timeout = timeout

    def params(self, *, phone: str, text: str, now: datetime | None = None) -> dict[str, str]:
        moment = now or datetime.now(UTC)
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": secrets.token_hex(16),
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
            "Timestamp": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": ALIYUN_VERSION,
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send(self, *, phone: str, text: str) -> SmsResult:
        query = "&".join(
            f"{percent_encode(k)}={percent_encode(v)}"
            for k, v in self.params(phone=phone, text=text).items()
        )
        url = self.endpoint + ("&" if "?" in self.endpoint else "?") + query
        request = urllib.request.Request(url, method="GET")  # noqa: S310 - endpoint from settings
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            if exc.code >= 500:
                raise SmsError(f"短信网关返回 HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise SmsError(f"短信网关 {self.timeout:g} 秒内无响应（超时）") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise SmsError(f"短信网关 {self.timeout:g} 秒内无响应（超时）") from exc
            raise SmsError(f"无法连接短信网关：{exc.reason}") from exc
        except OSError as exc:
            raise SmsError(f"无法连接短信网关：{exc}") from exc
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise SmsError("短信网关的回答不是 JSON") from exc
        code = str(answer.get("Code", ""))
        if code == "OK":
            return SmsResult(provider_id=str(answer.get("BizId", "")))
        raise SmsError(
            f"短信网关拒绝发送：{code} {answer.get('Message', '')}".strip(),
            retryable=code in ALIYUN_RETRYABLE,
        )


def backend() -> SmsBackend:
    """The configured backend (settings are read each time, so tests can switch)."""
    name = getattr(settings, "GONGKAI_SMS_BACKEND", "console")
    if name == "console":
        return ConsoleBackend()
    if name == "file":
        return FileBackend(settings.GONGKAI_SMS_FILE)
    if name == "aliyun":
        return AliyunBackend(
            access_key_id=settings.GONGKAI_SMS_ACCESS_KEY_ID,
            access_key_secret=settings.GONGKAI_SMS_ACCESS_KEY_SECRET,
            sign_name=settings.GONGKAI_SMS_SIGN_NAME,
            template_code=settings.GONGKAI_SMS_TEMPLATE_CODE,
            endpoint=settings.GONGKAI_SMS_ENDPOINT,
            region=settings.GONGKAI_SMS_REGION,
            timeout=settings.GONGKAI_SMS_TIMEOUT,
        )
    raise ImproperlyConfigured(f"GONGKAI_SMS_BACKEND 应为 console、file 或 aliyun，现为“{name}”。")
