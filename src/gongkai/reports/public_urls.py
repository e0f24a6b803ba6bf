"""Public report pages, for the site to mount at ``/reports/``:

    path("reports/", include("gongkai.reports.public_urls")),

giving /reports/<org-slug>/, /reports/<org-slug>/<year>/,
/reports/<org-slug>/<year>/report.<html|docx|xlsx|json> and
/reports/<org-slug>/<year>/graphic/ (namespace "reports_public").
"""

from django.urls import path

from .views import public

app_name = "reports_public"

urlpatterns = [
    path("<slug:slug>/", public.public_index, name="index"),
    path("<slug:slug>/<int:year>/", public.public_report, name="report"),
    path("<slug:slug>/<int:year>/report.<str:to>", public.public_download, name="download"),
    path("<slug:slug>/<int:year>/graphic/", public.public_graphic, name="graphic"),
]
