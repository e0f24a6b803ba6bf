"""URL layout: the public portal owns ``/``; the back office lives under
``/backoffice/``, one prefix and one namespace per app."""

from django.contrib import admin
from django.urls import include, path

from gongkai.organizations.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("backoffice/", include("gongkai.organizations.urls")),
    path("backoffice/audit/", include("gongkai.audit.urls")),
    path("backoffice/disclosure/", include("gongkai.disclosure.urls")),
    path("backoffice/applications/", include("gongkai.applications.urls")),
    path("backoffice/appeals/", include("gongkai.appeals.urls")),
    path("backoffice/reports/", include("gongkai.reports.urls")),
    path("backoffice/search/", include("gongkai.search.urls")),
    # Public 图解 pages and report downloads; before the portal, whose
    # /<org-slug>/ patterns would otherwise take "reports".
    path("reports/", include("gongkai.reports.public_urls")),
    path("", include("gongkai.portal.urls")),
]
