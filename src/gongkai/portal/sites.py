"""One platform, many sites (issue #13): a body's public pages at the root of
its own host name as well as under the shared portal's ``/<slug>/``.

:class:`SiteHostMiddleware` comes first in ``MIDDLEWARE``.  It reads the
``Host`` header and

- on one of the operator's hosts (``ALLOWED_HOSTS``) changes nothing;
- on a body's host (``Organization.site_host``) serves that body: the request
  is resolved with :func:`site_urlconf`, in which every body-scoped portal
  pattern (``<slug:slug>/…``, of any app, present or future) is also mounted
  at the host's root with the slug taken from the host.  ``reverse()`` during
  such a request gives the host's own paths (``/items/5/``) for this body and
  the portal's (``/<slug>/…``) for others, so every link on the page is right
  without a template knowing about hosts.  The shared paths (``/static/``,
  ``/search/`` — with the body preset as its filter —, ``/status/``, ``/api/``,
  ``/care/``, ``/reports/…``, ``/healthz``) work as on the portal.  The back
  office (``/backoffice/``, ``/admin/``) is not served there: it redirects to
  the platform's host (404 if the operator configured none);
- on any other host answers 400 before anything reads the host (Django's
  ``DisallowedHost``, logged as such).  Django's own check in
  ``request.get_host()`` passes only for the operator's hosts and the body host
  accepted here (``gongkai.core.hosts.SiteHosts``).
"""

from __future__ import annotations

import functools
import types
from contextvars import ContextVar
from importlib import import_module

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.http.request import split_domain_port, validate_host
from django.urls import URLPattern, URLResolver, include, path, register_converter, reverse
from django.urls.converters import StringConverter
from django.urls.resolvers import RoutePattern

from gongkai.core.hosts import current_site_host
from gongkai.organizations import sitehosts

current_site_slug: ContextVar[str] = ContextVar("gongkai_site_slug", default="")

BODY_ROUTE = "<slug:slug>"
SITE_ROUTE = "<site:slug>"
OTHER_ROUTE = "<otherslug:slug>"
BACK_OFFICE = ("/backoffice", "/admin")


class SiteSlugConverter:
    """The body of the host, in a route that takes no characters of the path.

    ``to_url`` gives "" for the host's own body and refuses any other, so
    ``reverse()`` falls through to the portal's ``/<slug>/`` pattern."""

    regex = ""

    def to_python(self, value: str) -> str:
        slug = current_site_slug.get()
        if not slug:
            raise ValueError("not on a body host")
        return slug

    def to_url(self, value: str) -> str:
        if value and value == current_site_slug.get():
            return ""
        raise ValueError("another body")


class OtherSlugConverter(StringConverter):
    """A portal ``<slug>`` on a body host: ``reverse()`` leaves this body to the
    host-root pattern (``to_url`` refuses it) and keeps ``/<slug>/`` for others."""

    regex = "[-a-zA-Z0-9_]+"  # as Django's "slug" converter

    def to_url(self, value: str) -> str:
        if value == current_site_slug.get():
            raise ValueError("this body's pages are at the host's root")
        return value


register_converter(SiteSlugConverter, "site")
register_converter(OtherSlugConverter, "otherslug")


def _site_route(route: str, prefix: str) -> str | None:
    if route.startswith(f"{BODY_ROUTE}/"):
        return prefix + route[len(BODY_ROUTE) :]
    return None


def _site_variant(entry, prefix: str = SITE_ROUTE):
    """The same pattern at the host's root (``prefix`` SITE_ROUTE) or with the
    other-body converter (OTHER_ROUTE); None if it is not body-scoped."""
    if not isinstance(entry.pattern, RoutePattern):
        return None
    route = _site_route(str(entry.pattern._route), prefix)  # noqa: SLF001 - the route as written
    if route is None:
        return None
    if prefix == SITE_ROUTE:
        route = SITE_ROUTE + route[len(SITE_ROUTE) + 1 :]  # drop the slash after the slug
    pattern = RoutePattern(route, name=entry.pattern.name, is_endpoint=entry.pattern._is_endpoint)  # noqa: SLF001
    if isinstance(entry, URLPattern):
        return URLPattern(pattern, entry.callback, entry.default_args, entry.name)
    return URLResolver(
        pattern, entry.urlconf_name, entry.default_kwargs, entry.app_name, entry.namespace
    )


def _mounted_at_root(entry) -> bool:
    return (
        isinstance(entry, URLResolver)
        and isinstance(entry.pattern, RoutePattern)
        and str(entry.pattern._route) == ""  # noqa: SLF001
    )


def _site_include(entry: URLResolver):
    """An include mounted at "" with its body-scoped patterns also at the host's
    root (first), the same namespace, and the others' ``/<slug>/`` kept."""
    own = list(entry.url_patterns)
    at_root = [v for v in (_site_variant(e) for e in own) if v is not None]
    others = [_site_variant(e, OTHER_ROUTE) or e for e in own]
    return path("", include(([*at_root, *others], entry.app_name), namespace=entry.namespace))


@functools.cache
def site_urlconf() -> types.ModuleType:
    """The URLconf of every body host, built once from ``ROOT_URLCONF``: every
    include mounted at the root (the portal and any app's public ``/<slug>/…``
    pages) moves ahead of the fixed prefixes, so ``/reports/`` is the body's
    reports, not the platform's index."""
    root = import_module(settings.ROOT_URLCONF)
    first = [_site_include(e) for e in root.urlpatterns if _mounted_at_root(e)]
    rest = [e for e in root.urlpatterns if not _mounted_at_root(e)]
    module = types.ModuleType("gongkai.portal.site_urlconf")
    module.urlpatterns = [*first, *rest]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        if hasattr(root, name):
            setattr(module, name, getattr(root, name))
    return module


def _operator_hosts() -> list[str]:
    hosts = sitehosts.operator_hosts()
    if settings.DEBUG and not hosts:  # as Django's get_host()
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def _platform_origin(request) -> str:
    host = sitehosts.platform_host()
    return f"{request.scheme}://{host}" if host else ""


class SiteHostMiddleware:
    """First in ``MIDDLEWARE``: the host decides platform, body site, or 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request._get_raw_host()  # noqa: SLF001 - get_host() without its check
        domain, _port = split_domain_port(raw)
        operator = _operator_hosts()
        explicit = [h for h in operator if h != "*"]
        if domain and validate_host(domain, explicit):
            return self.get_response(request)
        slug = sitehosts.site_hosts().by_host.get(domain) if domain else None
        if slug is None:
            if domain and "*" in operator:  # an operator's "*": Django accepts any host
                return self.get_response(request)
            raise DisallowedHost(f"Invalid HTTP_HOST header: {raw!r} (no platform or body host).")
        host_token = current_site_host.set(domain)
        slug_token = current_site_slug.set(slug)
        try:
            return self._body_site(request, slug)
        finally:
            current_site_slug.reset(slug_token)
            current_site_host.reset(host_token)

    def _body_site(self, request, slug: str):
        request.site_slug = slug
        request.urlconf = site_urlconf()
        if any(
            request.path_info == p or request.path_info.startswith(p + "/") for p in BACK_OFFICE
        ):
            origin = _platform_origin(request)
            if not origin:
                raise Http404("后台不在机关的独立域名上提供。")
            return HttpResponseRedirect(origin + request.get_full_path())
        if request.path_info == "/search/" and "org" not in request.GET:
            query = request.GET.copy()
            query["org"] = slug  # the body's own search; "全部机关" sends org=""
            request.GET = query
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """On a body host, a portal page of the ``/<slug>/`` form moves to its
        own address: this body's at the host's root, another body's on its
        host or the platform's."""
        slug = getattr(request, "site_slug", "")
        match = request.resolver_match
        if not slug or match is None or not match.route.startswith(OTHER_ROUTE):
            return None
        other = view_kwargs.get("slug", "")
        if other == slug:
            return HttpResponsePermanentRedirect(
                _with_query(request, sitehosts.site_path(slug, request.path))
            )
        target = sitehosts.body_url(other, request.path)
        if target is None:
            origin = _platform_origin(request)
            if not origin:
                raise Http404
            target = origin + request.path
        return HttpResponseRedirect(_with_query(request, target))


def _with_query(request, url: str) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


# --- absolute public addresses ---------------------------------------------------


def portal_path(name: str, *args) -> str:
    """A portal page's path on the shared portal, whatever host serves the request."""
    return reverse(name, args=args, urlconf=settings.ROOT_URLCONF)


def public_url(request, slug: str, portal_path_: str) -> str:
    """The canonical absolute address of a body's page: on the body's own host
    if it has one, else on the shared portal."""
    own = sitehosts.body_url(slug, portal_path_)
    if own:
        return own
    if getattr(request, "site_slug", ""):  # on another body's host: the platform's
        origin = _platform_origin(request)
        if origin:
            return origin + portal_path_
    return request.build_absolute_uri(portal_path_)


def canonical(request) -> dict[str, str]:
    """Context processor: ``canonical_url`` of a body's public page (the body's
    own host when it has one), for ``<link rel="canonical">``."""
    match = getattr(request, "resolver_match", None)
    if match is None or "slug" not in match.kwargs:
        return {}
    slug = match.kwargs["slug"]
    if match.route.startswith(SITE_ROUTE):
        shared = f"/{slug}{request.path}"
    elif match.route.startswith((BODY_ROUTE, OTHER_ROUTE)):
        shared = request.path
    else:
        return {}
    return {"canonical_url": _with_query(request, public_url(request, slug, shared))}
