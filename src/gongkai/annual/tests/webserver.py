"""A local HTTP server on 127.0.0.1 that plays a few government websites for the web tests.

Routes are registered as ``path -> Route``; the server counts requests per path,
answers conditional requests (ETag / Last-Modified -> 304), and records the
highest number of requests in flight at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # redirect target
    delay: float = 0.0  # seconds before answering (a slow server)
    etag: bool = True
    fail_first: int = 0  # answer 503 this many times first
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - the http.server API
                site._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.user_agents.add(handler.headers.get("User-Agent", ""))
            count = self.hits[path]
        route = self.routes.get(path)
        if route is not None and route.delay:
            time.sleep(route.delay)
        # Out of flight before answering: the client may send its next request the
        # moment it has read this answer, before this thread would get to count down.
        with self._lock:
            self.in_flight -= 1
        if route is None:
            self._send(handler, 404, b"<html><body>404 Not Found</body></html>", "text/html")
            return
        if count <= route.fail_first:
            self._send(handler, 503, b"busy", "text/plain")
            return
        if route.location:
            handler.send_response(route.status)
            handler.send_header("Location", route.location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
        if route.etag and handler.headers.get("If-None-Match") == etag:
            with self._lock:
                self.not_modified[path] = self.not_modified.get(path, 0) + 1
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        extra = dict(route.headers)
        if route.etag:
            extra["ETag"] = etag
        self._send(handler, route.status, route.body, route.content_type, extra)

    @staticmethod
    def _send(handler, status, body, ctype, extra=None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass
