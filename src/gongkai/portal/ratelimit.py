"""Fixed-window rate limits per client address, counted in the Django cache.

Settings (from the environment, see config/settings.py and docs/platform.md)::

    GONGKAI_RATE_LIMITS = {"apply": (10, 3600), "status": (30, 600)}  # (requests, seconds)
    GONGKAI_PROXY_COUNT = 0   # trusted reverse proxies in front (reads X-Forwarded-For)

A window is ``floor(now / seconds)``; the counter key carries the window so it
expires by itself.  ``cache.add`` + ``cache.incr`` are atomic in every Django
cache backend that matters (locmem, Redis, Memcached); with several gunicorn
workers use a shared cache (Redis/Memcached), or each worker counts on its own
(the limit is then per worker).  The client address is
``organizations.throttle.client_address``: X-Forwarded-For only behind trusted
proxies, and only the entry the outermost trusted proxy wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from gongkai.organizations import throttle

DEFAULT_LIMITS = {
    "apply": (10, 3600),
    "status": (30, 600),
    "inquiry": (5, 3600),
    "comment": (5, 3600),
    "download": (60, 600),
    # Failed look-ups of one tracking code, from any address: the last four
    # phone digits are 10,000 guesses, so spreading them over many addresses
    # must not help (counted per code by ``hit_key``).
    "status_code": (10, 86400),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "GONGKAI_RATE_LIMITS", {})}


def client_address(request) -> str:
    """The client's address (see ``organizations.throttle.client_address``);
    requests without a usable address share one ``unknown`` bucket."""
    return throttle.client_address(request) or "unknown"


def hit(scope: str, request, *, now: float | None = None) -> Verdict:
    """Count one request of ``scope`` from this client; allowed while within the limit."""
    return hit_key(scope, client_address(request), now=now)


def exceeded(scope: str, ident: str, *, now: float | None = None) -> bool:
    """Whether ``ident`` is already past the limit of ``scope`` (counts nothing)."""
    limit, seconds = limits()[scope]
    now = time.time() if now is None else now
    return (cache.get(_key(scope, ident, int(now // seconds))) or 0) >= limit


def _key(scope: str, ident: str, window: int) -> str:
    return f"gongkai:rl:{scope}:{ident}:{window}"


def hit_key(scope: str, ident: str, *, now: float | None = None) -> Verdict:
    """Count one event of ``scope`` for ``ident`` (an address, a tracking code)."""
    limit, seconds = limits()[scope]
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    retry = int((window + 1) * seconds - now) + 1
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry)
