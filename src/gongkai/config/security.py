"""Content-Security-Policy for every HTML page, embedded and production alike.

The templates carry no inline ``<script>``, no ``on*=`` handler, no
``javascript:`` URL and no ``style=`` attribute (a test scans them), so the
policy needs neither ``'unsafe-inline'`` nor nonces: scripts and styles come
only from our own static files.  Should an attacker get markup into a page
(a stored body that slipped past nh3, a future template bug), the browser
refuses to run it.

- ``img-src 'self' data:`` — QR codes and the 图解 charts are inline ``<svg>``
  (not images), but ``data:`` keeps small inline icons possible; images from
  other hosts (e.g. in an item body copied from an old site) are not loaded,
  which also means no third party learns who reads the portal.
- ``frame-ancestors 'none'`` — the same promise as ``X_FRAME_OPTIONS = "DENY"``
  (browsers that know CSP obey ``frame-ancestors`` instead of the older header,
  so ``'self'`` would quietly loosen it; no page of ours frames another).
- ``connect-src`` falls back to ``'self'``: the service-hall screen's ``fetch``
  of its own JSON endpoint.

Only ``text/html`` responses (and 304s, whose headers update a cached page) get the header: JSON and file downloads do not
render markup, and a strict policy on a PDF shown inline can stop the browser's
PDF viewer.  A response that already carries a policy keeps it.
"""

from __future__ import annotations

from django.conf import settings

POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
HEADER = "Content-Security-Policy"


def policy_header(policy: dict[str, tuple[str, ...]] = POLICY) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


POLICY_HEADER = policy_header()


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A 304 (conditional GET of a cached public page) has no Content-Type; its
        # headers replace the stored page's, so it carries the policy too.
        html = response.get("Content-Type", "").startswith("text/html")
        if HEADER in response or not (html or response.status_code == 304):
            return response
        if settings.DEBUG and response.status_code in (404, 500):
            # Django's technical 404/500 pages (DEBUG only) style themselves inline.
            return response
        response[HEADER] = POLICY_HEADER
        return response
