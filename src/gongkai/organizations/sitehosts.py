"""Bodies served at their own host names (issue #13: one platform, many sites).

``Organization.site_host`` names the host; this module keeps every process's
map host → body slug (a :class:`gongkai.core.shared.VersionedCopy`, rebuilt
after any body's change commits, seen by every app server through the version
in the shared cache) and builds a body's public addresses on its own host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.http.request import validate_host

from gongkai.core.shared import VersionedCopy, cache_is_shared

from .models import Organization

SITE_HOSTS_VERSION = "organizations.site_hosts"
# Without a shared cache (several processes and no REDIS_URL, which the start
# warns about) a process re-reads the table at least this often.
UNSHARED_MAX_AGE = 5.0


@dataclass(frozen=True)
class SiteHostMap:
    by_host: dict[str, str]  # host -> slug
    by_slug: dict[str, str]  # slug -> host


def _load() -> SiteHostMap:
    rows = Organization.objects.filter(is_active=True).exclude(site_host="")
    pairs = list(rows.values_list("site_host", "slug"))
    return SiteHostMap({h: s for h, s in pairs}, {s: h for h, s in pairs})


def _unshared_bucket():
    return None if cache_is_shared() else int(time.monotonic() // UNSHARED_MAX_AGE)


_process_map: VersionedCopy[SiteHostMap] = VersionedCopy(
    SITE_HOSTS_VERSION, _load, extra=_unshared_bucket
)


def site_hosts() -> SiteHostMap:
    return _process_map.current()


def site_hosts_changed() -> None:
    """A body changed: after the commit every app server reloads its map."""
    _process_map.changed()


def operator_hosts() -> list[str]:
    """The hosts the operator configured (environment variable ``ALLOWED_HOSTS``)."""
    hosts = settings.ALLOWED_HOSTS
    getter = getattr(hosts, "operator_hosts", None)
    return list(getter()) if getter else list(hosts)


def platform_host_matches(host: str) -> bool:
    """Whether ``host`` is one of the platform's own hosts (patterns allowed)."""
    return validate_host(host, [h for h in operator_hosts() if h != "*"])


def platform_host() -> str:
    """The shared portal's host for absolute links: the first plain operator host."""
    for host in operator_hosts():
        if host and host != "*" and not host.startswith("."):
            return host
    return ""


def site_scheme() -> str:
    return "https" if getattr(settings, "GONGKAI_SITE_HOSTS_HTTPS", False) else "http"


def host_of(slug: str) -> str:
    """The body's own host, or "" when it is served only under the portal path."""
    return site_hosts().by_slug.get(slug, "")


def site_path(slug: str, portal_path: str) -> str:
    """``/<slug>/items/5/`` -> ``/items/5/``: the path on the body's own host."""
    prefix = f"/{slug}/"
    if portal_path == f"/{slug}" or portal_path.startswith(prefix):
        return "/" + portal_path[len(prefix) :]
    return portal_path


def body_url(slug: str, portal_path: str) -> str | None:
    """The absolute address on the body's own host of one of its portal paths,
    or None when it has no host (then the shared portal's address is canonical)."""
    host = host_of(slug)
    if not host:
        return None
    return f"{site_scheme()}://{host}{site_path(slug, portal_path)}"
