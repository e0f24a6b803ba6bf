"""Polite, robust HTTP fetching with a resumable on-disk cache (standard library only).

- At most ``per_host`` requests in flight per host (default 2) and at least
  ``delay`` seconds between the starts of two requests to the same host.
- robots.txt is read once per host and respected for our user agent.
- Timeouts per socket operation and for the whole response; retries with
  exponential back-off on timeouts, connection errors, 429 and 5xx (a
  ``Retry-After`` of a few seconds is honoured).
- Proxies come from the environment (``http_proxy``, ``https_proxy``,
  ``no_proxy``), as every command-line tool does.
- Redirects are followed (at most 10); the final address is kept.
- A response larger than ``max_bytes`` is refused, by its Content-Length
  when given, else while reading.
- Cache: one file per URL (SHA-256 of the address) with its validators
  (ETag, Last-Modified); a rerun sends them and an unchanged document comes
  back as 304 Not Modified -- nothing is downloaded again.

Every failure is a :class:`FetchError` with one Chinese line that says what
went wrong (404, timeout, refused by robots.txt, too large, ...).
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path

# ASCII only (HTTP headers are Latin-1): says who we are and what we do.
USER_AGENT = "gongkai-annual-check/0.1 (checks published government information disclosure annual reports; polite batch fetcher)"
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A document could not be fetched; ``str(exc)`` is one Chinese line."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.status = status
        self.url = url


@dataclass
class Response:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False  # True: 304 Not Modified, the cached copy was used

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"' ").lower()
        return None

    def last_modified_date(self):
        if not self.last_modified:
            return None
        try:
            return email.utils.parsedate_to_datetime(self.last_modified).date()
        except (TypeError, ValueError):
            return None


class Cache:
    """URL -> (body, validators) on disk; safe against a run killed half-way."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        sub = self.folder / digest[:2]
        return sub / f"{digest}.json", sub / f"{digest}.body"

    def get(self, url: str) -> Response | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if len(body) != meta.get("size"):
            return None  # a body written half-way: refetch
        return Response(
            url=url,
            final_url=meta.get("final_url") or url,
            status=meta.get("status", 200),
            body=body,
            content_type=meta.get("content_type") or "",
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            from_cache=True,
        )

    def put(self, response: Response) -> None:
        if not (response.etag or response.last_modified):
            return  # nothing to revalidate with: the next run fetches it again
        meta_path, body_path = self._paths(response.url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "content_type": response.content_type,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "size": len(response.body),
        }
        _atomic_write(body_path, response.body)
        _atomic_write(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class _HostGate:
    """Per host: a semaphore of ``per_host`` slots and the time of the last start."""

    def __init__(self, per_host: int):
        self.slots = threading.BoundedSemaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0


class Fetcher:
    def __init__(
        self,
        *,
        cache: Cache | None = None,
        per_host: int = 2,
        delay: float = 1.0,
        timeout: float = 20.0,
        total_timeout: float = 120.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_bytes: int = MAX_BYTES,
        user_agent: str = USER_AGENT,
        respect_robots: bool = True,
        block_private: bool = False,
    ):
        self.cache = cache
        self.per_host = max(1, min(per_host, 2))  # never more than 2 at a time per host
        self.delay = max(0.0, delay)
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.respect_robots = respect_robots
        # On a server (the platform's cron job) addresses typed by users must
        # not reach the server's own network: loopback, private, link-local.
        self.block_private = block_private
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        # ProxyHandler() with no argument reads http_proxy/https_proxy/no_proxy.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(),
            urllib.request.HTTPSHandler(context=_ssl_context()),
            _CheckedRedirects(self),
        )

    # -- politeness ---------------------------------------------------------------

    def _gate(self, host: str) -> _HostGate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(self.per_host)
            return gate

    def _wait_turn(self, gate: _HostGate) -> None:
        with gate.lock:
            now = time.monotonic()
            start = max(now, gate.next_start)
            gate.next_start = start + self.delay
        if start > now:
            time.sleep(start - now)

    def allowed(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._robots
            parser = self._robots.get(origin)
        if not known:
            parser = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = parser
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser()
        try:
            response = self._get(f"{origin}/robots.txt", use_cache=False, check_robots=False)
        except FetchError as exc:
            if exc.status in (401, 403):
                parser.disallow_all = True  # the robotparser convention
                return parser
            return None  # no robots.txt (404) or unreachable: nothing forbidden
        text = response.body[:512_000].decode("utf-8", "replace")
        parser.parse(text.splitlines())
        return parser

    def check_address(self, url: str) -> None:
        """http(s) only; with ``block_private``, only hosts on the public internet."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"不是网址：{url}", url=url)
        if self.block_private and not is_public_host(parts.hostname):
            raise FetchError(
                "网址指向本机或内部网络的地址，平台不会抓取（防止借平台访问内部系统）", url=url
            )

    # -- fetching -----------------------------------------------------------------

    def get(self, url: str) -> Response:
        """The document at ``url`` (from the cache when the server says it is unchanged)."""
        return self._get(url, use_cache=True, check_robots=True)

    def _get(self, url: str, *, use_cache: bool, check_robots: bool) -> Response:
        url = to_uri(url)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"不是网址：{url}", url=url)
        self.check_address(url)
        if check_robots and not self.allowed(url):
            raise FetchError("网站的 robots.txt 不允许抓取这个地址", url=url)
        cached = self.cache.get(url) if (use_cache and self.cache) else None
        gate = self._gate(parts.netloc.lower())
        attempt = 0
        while True:
            with gate.slots:
                self._wait_turn(gate)
                try:
                    response = self._once(url, cached)
                except _Retry as retry:
                    if attempt >= self.retries:
                        raise retry.error from None
                    wait = retry.after if retry.after is not None else self.backoff * 2**attempt
                    attempt += 1
                else:
                    break
            time.sleep(wait)  # back off outside the host's slot
        if self.cache and use_cache and not response.from_cache:
            self.cache.put(response)
        return response

    def _once(self, url: str, cached: Response | None) -> Response:
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
        }
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.timeout) as raw:
                length = raw.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(_too_large(self.max_bytes), url=url)
                chunks, size = [], 0
                while True:
                    chunk = raw.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(_too_large(self.max_bytes), url=url)
                    if time.monotonic() - started > self.total_timeout:
                        raise _Retry(FetchError("下载超时（服务器响应太慢）", url=url))
                    chunks.append(chunk)
                return Response(
                    url=url,
                    final_url=raw.geturl(),
                    status=raw.status,
                    body=b"".join(chunks),
                    content_type=raw.headers.get("Content-Type") or "",
                    etag=raw.headers.get("ETag"),
                    last_modified=raw.headers.get("Last-Modified"),
                )
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304 and cached is not None:
                return cached
            error = FetchError(_status_message(exc.code), status=exc.code, url=url)
            if exc.code in _RETRY_STATUSES:
                raise _Retry(error, _retry_after(exc.headers.get("Retry-After"))) from None
            raise error from None
        except TimeoutError as exc:
            raise _Retry(FetchError("连接超时（服务器没有及时响应）", url=url)) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise _Retry(FetchError("连接超时（服务器没有及时响应）", url=url)) from exc
            if isinstance(reason, socket.gaierror):
                raise FetchError("域名无法解析（网址写错了，或网络不通）", url=url) from exc
            if isinstance(reason, ssl.SSLError):
                raise FetchError("HTTPS 证书或加密连接有问题，无法安全连接", url=url) from exc
            raise _Retry(FetchError("无法连接到服务器", url=url)) from exc
        except (OSError, http.client.HTTPException) as exc:  # a dropped or garbled connection
            raise _Retry(FetchError("连接中断（服务器关闭了连接）", url=url)) from exc


def is_public_host(host: str) -> bool:
    """Every address the host resolves to is a global (public internet) address."""
    import ipaddress

    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return True  # unresolvable: the request itself will fail with a clear message
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            return False
    return True


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects only to http(s), and through the same address check as the first request."""

    def __init__(self, fetcher: Fetcher):
        super().__init__()
        self.fetcher = fetcher

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        newurl = to_uri(urllib.parse.urljoin(req.full_url, newurl))
        self.fetcher.check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def to_uri(url: str) -> str:
    """Percent-encode what a site printed unencoded (Chinese file names, spaces)."""
    parts = urllib.parse.urlsplit(url.strip())
    try:
        host = (
            parts.netloc.encode("idna").decode("ascii")
            if not parts.netloc.isascii()
            else parts.netloc
        )
    except UnicodeError:
        host = parts.netloc
    safe = "/%:@!$&'()*+,;=-._~"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            host,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe + "?"),
            "",
        )
    )


class _Retry(Exception):
    def __init__(self, error: FetchError, after: float | None = None):
        self.error = error
        self.after = after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), 30.0)
    return None


def _too_large(limit: int) -> str:
    return f"文件太大：超过上限 {limit / 1024 / 1024:.0f} MB"


def _status_message(code: int) -> str:
    known = {
        400: "请求被服务器拒绝（HTTP 400）",
        401: "需要登录才能访问（HTTP 401）",
        403: "服务器拒绝访问（HTTP 403）",
        404: "网页不存在（HTTP 404）",
        410: "网页已删除（HTTP 410）",
        429: "访问太频繁，服务器要求稍后再试（HTTP 429）",
    }
    if code in known:
        return known[code]
    if code >= 500:
        return f"网站服务器出错（HTTP {code}）"
    return f"服务器返回错误（HTTP {code}）"


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()
