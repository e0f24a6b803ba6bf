"""URL layout: the public portal owns ``/``; the back office lives under
``/backoffice/``, one prefix and one namespace per app."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from gongkai.platform.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The shell keeps the "organizations" namespace (see platform/urls.py).
    path("backoffice/", include("gongkai.platform.urls")),
    path("backoffice/audit/", include("gongkai.platform.audit_urls")),
    path("backoffice/holidays/", include("gongkai.workcal.urls")),
    # The holiday schedules page lived here before it had an app of its own.
    path(
        "backoffice/disclosure/holidays/",
        RedirectView.as_view(pattern_name="workcal:holidays", permanent=True),
    ),
    path("backoffice/disclosure/", include("gongkai.disclosure.urls")),
    path("backoffice/applications/", include("gongkai.applications.urls")),
    path("backoffice/appeals/", include("gongkai.appeals.urls")),
    path("backoffice/reports/", include("gongkai.reports.urls")),
    path("backoffice/external/", include("gongkai.external.urls")),
    path("backoffice/inquiries/", include("gongkai.inquiries.urls")),
    path("backoffice/consultations/", include("gongkai.consultations.urls")),
    path("backoffice/notifications/", include("gongkai.notifications.urls")),
    path("backoffice/urging/", include("gongkai.urging.urls")),
    # Public 图解 pages and report downloads; before the portal, whose
    # /<org-slug>/ patterns would otherwise take "reports".
    path("reports/", include("gongkai.reports.public_urls")),
    # 政民互动 public pages (/<slug>/inquiries/...), before the portal's catch-alls.
    path("", include("gongkai.portal.inquiries")),
    # 意见征集 public pages (/<slug>/consultations/...), likewise before the portal.
    path("", include("gongkai.portal.consultations")),
    path("", include("gongkai.portal.urls")),
]
