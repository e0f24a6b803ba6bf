"""Whole-page cache of the public portal, with exact invalidation.

A public page is rendered once per *version* of what it shows and then served
from Django's default cache (Redis on the 集约化 platform, where every worker
shares it; the per-process LocMem cache in the embedded mode).  Versions are
rows of :class:`gongkai.portal.models.PageVersion`, one per scope:

- ``site``: every page (bodies: names, settings, hosts, the tree of bodies);
- ``all``: pages across bodies (home, search, the API's item lookups);
- ``org:<slug>``: one body's pages.

The signal handlers in ``invalidation`` give a scope a new random token after a
change to what its pages show commits.  The cache key holds the tokens, so a
page cached before the change is never looked up again (it expires by TTL) --
there is nothing to delete and no race between deleting and re-filling.  The
tokens are read from the database (one indexed query per request), not from the
cache: a change made by another process (a scheduled publication, the command
line, another worker with its own LocMem cache) is seen by every process at once.

Inside a transaction that changed a scope (the change is visible to that
connection only), that connection neither reads nor fills the cache for the
scope until the commit.

The key also holds the host (links differ per host), the full path with its
query string, the 关怀模式 cookie, the language and today's date (rules and item
pages show what is in force today).  Nothing is cached for a request carrying a
session or messages cookie (staff signed in to the back office), for anything
but GET/HEAD, or for a response that sets a cookie, touched the session, needed
a CSRF cookie or is not a 200.

Every cacheable answer carries an ETag (the key's digest) and a Last-Modified
(the scopes' last change, not before today's midnight) and answers
If-None-Match / If-Modified-Since with 304 without rendering, plus
``Cache-Control: public, max-age=0, s-maxage=<SHARED_MAX_AGE>``: browsers
revalidate every time (cheap: a 304), so toggling 关怀模式 shows at once; a
shared proxy (nginx) may serve a page for SHARED_MAX_AGE seconds -- its cache
key must include the ``care_mode`` cookie (docs/platform.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, connections, router, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from .models import PageVersion

log = logging.getLogger(__name__)

SITE = "site"
ALL = "all"
BODY_TTL = 24 * 3600  # a body's pages: replaced by version, the TTL only bounds memory
SEARCH_TTL = 120  # search pages: many distinct queries, kept briefly
SHARED_MAX_AGE = 60  # seconds a shared proxy may serve a page without asking
CARE_COOKIE = "care_mode"
KEY_PREFIX = "portal:page:"
# Response headers worth keeping with a cached page.
KEPT_HEADERS = ("Content-Type", "Access-Control-Allow-Origin", "Content-Language")


def body_scope(slug: str) -> str:
    return f"org:{slug}"


def enabled() -> bool:
    return getattr(settings, "PORTAL_PAGE_CACHE", True)


# --- versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    scope: str
    token: str
    changed_at: dt.datetime


def read_versions(scopes: list[str]) -> dict[str, Version]:
    """The scopes' rows (one query); a missing row is created (first visit) and left
    out of the answer, so that request is not cached.

    Plain SQL: this runs on every public request, and building the ORM query cost
    several times the query itself.  Read from the database the router picks for
    the page's own reads (a replica, for anonymous pages, when one is
    configured), so the versions are never newer than the data rendered under them."""
    conn = connections[router.db_for_read(PageVersion)]
    table = conn.ops.quote_name(PageVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(scopes))
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, token, changed_at FROM {table} WHERE scope IN ({marks})",  # noqa: S608 - our table, placeholders
            scopes,
        )
        rows = {scope: Version(scope, token, _aware(at)) for scope, token, at in cursor.fetchall()}
    missing = [s for s in scopes if s not in rows]
    if missing:
        _write(missing, replace=False)
    return rows


def _aware(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite: text in UTC
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _write(scopes, *, replace: bool = True) -> None:
    """New random tokens for ``scopes`` (one statement); ``replace=False`` only
    creates missing rows."""
    now = timezone.now()
    rows = [PageVersion(scope=s, token=uuid.uuid4().hex, changed_at=now) for s in sorted(scopes)]
    if replace:
        PageVersion.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["scope"],
            update_fields=["token", "changed_at"],
        )
    else:
        PageVersion.objects.bulk_create(rows, ignore_conflicts=True)


def _pending() -> set[str]:
    """Scopes changed in this connection's open transaction, not yet committed."""
    pending = getattr(connection, "gongkai_page_scopes", None)
    if pending is None:
        pending = connection.gongkai_page_scopes = set()
    return pending


def _flush() -> None:
    pending = _pending()
    scopes = set(pending)
    pending.clear()
    if scopes:
        _write(scopes)


def bump(*scopes: str) -> None:
    """Give ``scopes`` new tokens once the current transaction commits (at once
    outside one).  Several changes in one transaction make one write."""
    scopes_set = {s for s in scopes if s}
    if not scopes_set:
        return
    if not connection.in_atomic_block:
        _write(scopes_set)
        return
    _pending().update(scopes_set)
    # One callback per transaction.  A rolled-back (savepoint) block drops its
    # callbacks, so look for ours in the live list instead of keeping a flag.
    if not any(entry[1] is _flush for entry in connection.run_on_commit):
        transaction.on_commit(_flush)


def _changed_here(scopes: list[str]) -> bool:
    return connection.in_atomic_block and bool(_pending().intersection(scopes))


# --- the decorator ----------------------------------------------------------------------


def _bypass(request) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _key(request, versions: list[Version]) -> str:
    parts = [
        request.get_host(),
        request.get_full_path(),
        cookies_care(request),
        getattr(request, "LANGUAGE_CODE", ""),
        timezone.localdate().isoformat(),
        *(f"{v.scope}={v.token}" for v in versions),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cookies_care(request) -> str:
    return "care" if request.COOKIES.get(CARE_COOKIE) == "1" else ""


def _last_modified(versions: list[Version]) -> dt.datetime:
    """The scopes' last change, not earlier than today's local midnight (pages
    that show what is in force today change then without an event)."""
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    return max([midnight, *(v.changed_at for v in versions)])


def _not_modified(request, etag: str, last_modified: int) -> bool:
    inm = request.META.get("HTTP_IF_NONE_MATCH")
    if inm is not None:  # RFC 9110 13.1.3: If-Modified-Since is ignored then
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return etag in tags or "*" in tags
    ims = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return ims is not None and last_modified <= ims


def _public_headers(response, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age=0, s-maxage={SHARED_MAX_AGE}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    vary = response.get("Vary", "").lower()
    return "cookie" not in vary and "no-store" not in response.get("Cache-Control", "")


def _session_untouched(request) -> None:
    """The request carries no session cookie (else ``_bypass``): the middleware
    that asks ``request.user`` on every request (the password-change check) loaded
    an empty session, which does not change the page.  Unmark it, or the session
    middleware adds ``Vary: Cookie`` and no shared cache would keep the page."""
    session = getattr(request, "session", None)
    if session is not None and not session.modified:
        session.accessed = False


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage serves rendered pages, never an error
        log.warning("page cache read failed", exc_info=True)
        return None


def cache_set(key, value, ttl) -> None:
    try:
        cache.set(key, value, ttl)
    except Exception:  # noqa: BLE001 - see cache_get
        log.warning("page cache write failed", exc_info=True)


def cached_page(scope: str = "body", *, ttl: int = BODY_TTL):
    """Cache a public GET view.  ``scope``: ``"body"`` (the view's ``slug``
    argument names the body) or ``"all"`` (pages across bodies)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if _bypass(request):
                response = view(request, *args, **kwargs)
                if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                    response["Cache-Control"] = "private, no-cache"
                return response
            own = body_scope(kwargs["slug"]) if scope == "body" else ALL
            scopes = [SITE, own]
            if _changed_here(scopes):
                return view(request, *args, **kwargs)
            try:
                rows = read_versions(scopes)
            except DatabaseError:
                # e.g. a read-only replica: serve uncached rather than fail.
                log.warning("page versions unreadable", exc_info=True)
                return view(request, *args, **kwargs)
            if len(rows) < len(scopes):  # first visit: rows just created
                return view(request, *args, **kwargs)
            versions = [rows[s] for s in scopes]
            key = _key(request, versions)
            etag = quote_etag(key[:32])
            last_modified = int(_last_modified(versions).timestamp())
            if _not_modified(request, etag, last_modified):
                response = HttpResponseNotModified()
                _public_headers(response, etag, last_modified)
                _session_untouched(request)
                return response
            hit = cache_get(KEY_PREFIX + key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
            else:
                response = view(request, *args, **kwargs)
                if not _storable(request, response):
                    return response
                headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
                cache_set(KEY_PREFIX + key, (response.content, headers), ttl)
            _public_headers(response, etag, last_modified)
            _session_untouched(request)
            return response

        return wrapper

    return decorator


def cached_value(name: str, scopes: list[str], compute, *, ttl: int = BODY_TTL):
    """A value computed once per version of ``scopes`` (e.g. a body's catalogue
    counts), shared by every page that needs it."""
    if not enabled() or _changed_here(scopes):
        return compute()
    try:
        rows = read_versions(scopes)
    except DatabaseError:
        return compute()
    if len(rows) < len(scopes):
        return compute()
    tokens = ",".join(f"{s}={rows[s].token}" for s in scopes)
    key = "portal:value:" + hashlib.sha256(f"{name}\n{tokens}".encode()).hexdigest()
    hit = cache_get(key)
    if hit is not None:
        return hit
    value = compute()
    cache_set(key, value, ttl)
    return value
