"""Client addresses, and throttling of failed log-ins in the Django cache.

Counters live in the ``default`` cache, so they hold across gunicorn workers
as soon as that cache is shared (Redis/Memcached); with the per-process
LocMem cache of the embedded mode each process counts on its own.

Log-in throttling (settings, from the environment)::

    GONGKAI_LOGIN_FAILURES_PER_USER = 5     # failures per user name ...
    GONGKAI_LOGIN_FAILURES_PER_IP = 20      # ... and per client address ...
    GONGKAI_LOGIN_LOCKOUT_SECONDS = 900     # ... within 15 minutes lock it for 15 minutes

A failure is counted in a key that lives ``LOCKOUT_SECONDS`` from the first
failure (``cache.add`` then the atomic ``cache.incr``).  The attempt that
reaches the limit sets a lock key with ``cache.add`` — only one process can
win that, so each lock is audited exactly once — and drops the counter, so a
fresh allowance starts when the lock runs out.  While a lock holds, attempts
are refused before any password is checked.  A successful log-in clears the
user name's counter (not the address's: one office behind one NAT address
shares it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

USER = "user"
ADDRESS = "address"


def client_address(request) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or — behind
    ``GONGKAI_PROXY_COUNT`` trusted reverse proxies — the address the outermost
    trusted proxy saw, i.e. the ``GONGKAI_PROXY_COUNT``-th entry from the right
    of ``X-Forwarded-For``.  Entries further left are whatever the client
    wrote and are never used; with ``GONGKAI_PROXY_COUNT=0`` the header is
    ignored altogether.  Anything that is not an IP address falls back to the
    direct peer.  ``None`` when there is no usable address at all."""
    proxies = int(getattr(settings, "GONGKAI_PROXY_COUNT", 0))
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if proxies > 0:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= proxies:
            forwarded = _ip(chain[-proxies])
            if forwarded is not None:
                return forwarded
    return remote


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


# --- Log-in throttling -------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    scope: str  # USER or ADDRESS
    until: float  # epoch seconds

    def retry_after(self, now: float) -> int:
        return max(1, int(self.until - now + 0.999))

    def message(self, now: float) -> str:
        when = timezone.localtime(dt.datetime.fromtimestamp(self.until, tz=dt.UTC))
        minutes = max(1, (self.retry_after(now) + 59) // 60)
        who = "该用户名" if self.scope == USER else "您所在网络地址"
        return (
            f"{who}登录失败次数过多，已暂时锁定。请于 {when:%H:%M} 后"
            f"（约 {minutes} 分钟后）再试；如忘记密码，请联系本机关的平台管理员重置。"
        )


@dataclass(frozen=True)
class NewLock:
    """A lock that this failure started (audit it)."""

    scope: str
    until: float
    failures: int


def _limits() -> dict[str, int]:
    return {
        USER: int(settings.GONGKAI_LOGIN_FAILURES_PER_USER),
        ADDRESS: int(settings.GONGKAI_LOGIN_FAILURES_PER_IP),
    }


def _seconds() -> int:
    return int(settings.GONGKAI_LOGIN_LOCKOUT_SECONDS)


def normalize_username(username: str) -> str:
    # Case and surrounding space must not buy an attacker a fresh allowance.
    return username.strip().casefold()


def _subjects(username: str | None, address: str | None) -> list[tuple[str, str]]:
    subjects = []
    if username:
        digest = hashlib.sha256(normalize_username(username).encode("utf-8")).hexdigest()[:40]
        subjects.append((USER, digest))  # hashed: any characters, fixed key length
    if address:
        subjects.append((ADDRESS, address))
    return subjects


def _key(kind: str, scope: str, subject: str) -> str:
    return f"gongkai:login:{kind}:{scope}:{subject}"


def login_lock(*, username: str | None, address: str | None, now: float) -> Lock | None:
    """The lock that refuses this attempt, if any (the one that ends last)."""
    keys = {_key("lock", scope, subject): scope for scope, subject in _subjects(username, address)}
    found = cache.get_many(list(keys))
    locks = [
        Lock(scope=keys[key], until=float(until))
        for key, until in found.items()
        if float(until) > now
    ]
    return max(locks, key=lambda lock: lock.until, default=None)


def login_failed(*, username: str | None, address: str | None, now: float) -> list[NewLock]:
    """Count one failed attempt; returns the locks it started (at most one per scope)."""
    seconds = _seconds()
    limits = _limits()
    started = []
    for scope, subject in _subjects(username, address):
        counter = _key("failures", scope, subject)
        cache.add(counter, 0, timeout=seconds)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired or evicted between add and incr
            cache.set(counter, 1, timeout=seconds)
            failures = 1
        if failures >= limits[scope]:
            until = now + seconds
            if cache.add(_key("lock", scope, subject), until, timeout=seconds):
                cache.delete(counter)
                started.append(NewLock(scope=scope, until=until, failures=failures))
    return started


def login_succeeded(*, username: str) -> None:
    for scope, subject in _subjects(username, None):
        cache.delete(_key("failures", scope, subject))
