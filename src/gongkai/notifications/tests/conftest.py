"""Real components for the notification tests: an SMTP server (aiosmtpd) and a
fake Alibaba Cloud SMS gateway (http.server) that checks the request signature
and can be told to time out, fail or refuse."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from gongkai.notifications.sms import aliyun_signature

KEY_ID = "test-key-id"
KEY_SECRET = "test-key-secret"
SIGN_NAME = "测试市人民政府"
TEMPLATE_CODE = "SMS_000001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for _, m in self.messages]

    def bodies(self) -> list[str]:
        out = []
        for _, m in self.messages:
            part = next(p for p in m.walk() if p.get_content_type() == "text/plain")
            out.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
        return out


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port; Django's SMTP backend pointed at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "gongkai@example.gov.cn"
    try:
        yield inbox
    finally:
        controller.stop()


class Gateway:
    """State of the fake gateway: what it received and how it answers next."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []  # requests with a valid signature
        self.bad_signatures = 0
        self.mode = "ok"  # ok | timeout | error500 | reject
        # ok mode: set ``gate`` to hold each answer until the test sets it;
        # ``arrived`` is set when a request is waiting at the gate.
        self.gate: threading.Event | None = None
        self.arrived = threading.Event()
        self.lock = threading.Lock()

    def texts(self) -> list[str]:
        return [json.loads(r["TemplateParam"])["content"] for r in self.received]


def _handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def _answer(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server hook name
            query = urllib.parse.urlsplit(self.path).query
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            signature = params.pop("Signature", "")
            if (
                signature != aliyun_signature(params, KEY_SECRET)
                or params.get("AccessKeyId") != KEY_ID
            ):
                with gateway.lock:
                    gateway.bad_signatures += 1
                self._answer(400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"})
                return
            if gateway.mode == "timeout":
                time.sleep(1.5)
                return
            if gateway.mode == "error500":
                self._answer(500, {"Code": "isp.SYSTEM_ERROR", "Message": "down"})
                return
            if gateway.mode == "reject":
                self._answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
                return
            if gateway.gate is not None:
                gateway.arrived.set()
                gateway.gate.wait(10)
            with gateway.lock:
                gateway.received.append(params)
                n = len(gateway.received)
            self._answer(200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{n}"})

    return Handler


@pytest.fixture
def sms_gateway(settings):
    """The fake gateway on a free local port; the aliyun backend pointed at it."""
    gateway = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GONGKAI_SMS_BACKEND = "aliyun"
    settings.GONGKAI_SMS_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.GONGKAI_SMS_ACCESS_KEY_ID = KEY_ID
    settings.GONGKAI_SMS_ACCESS_KEY_SECRET = KEY_SECRET
    settings.GONGKAI_SMS_SIGN_NAME = SIGN_NAME
    settings.GONGKAI_SMS_TEMPLATE_CODE = TEMPLATE_CODE
    settings.GONGKAI_SMS_REGION = "cn-hangzhou"
    settings.GONGKAI_SMS_TIMEOUT = 0.5
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
