"""``ALLOWED_HOSTS`` that follows the bodies' own host names (issue #13).

Django checks every ``Host`` header against ``settings.ALLOWED_HOSTS`` in
``request.get_host()``.  The platform's setting is a :class:`SiteHosts`: the
operator's list (environment variable ``ALLOWED_HOSTS``) plus, during one
request, the body host that ``gongkai.portal.sites.SiteHostMiddleware`` (the
first middleware) found in the bodies' table.  Any other host is refused with
400 by that middleware before anything reads the host, and by Django's own
check after it: there is never a ``"*"``.

No database access here: settings import this module before Django is set up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar

# The body host the current request was accepted for ("" outside such a request).
current_site_host: ContextVar[str] = ContextVar("gongkai_site_host", default="")


class SiteHosts(list):
    """The operator's hosts, and the current request's body host if it has one."""

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        host = current_site_host.get()
        if host:
            yield host

    def __contains__(self, value: object) -> bool:
        return any(value == host for host in self)

    def operator_hosts(self) -> list[str]:
        return list(super().__iter__())
