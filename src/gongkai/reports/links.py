"""The one canonical public address of a published report.

The portal (namespace ``portal``) shows reports inside the body's site at
/<org-slug>/reports/<year>/; when it is installed, that page is THE public page
and /reports/<org-slug>/<year>/ redirects to it.  Without the portal, this app's
own page (``reports_public:report``) is the public page.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def portal_url(name: str, *args) -> str | None:
    try:
        return reverse(f"portal:{name}", args=args)
    except NoReverseMatch:
        return None


def public_report_url(slug: str, year: int) -> str:
    return portal_url("report", slug, year) or reverse("reports_public:report", args=[slug, year])


def public_index_url(slug: str) -> str:
    return portal_url("reports", slug) or reverse("reports_public:index", args=[slug])
