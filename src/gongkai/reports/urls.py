"""Back office: /backoffice/reports/ (namespace "reports").

The public pages are in public_urls.py (mounted at /reports/, namespace
"reports_public"); the canonical report page is the portal's (links.py)."""

from django.urls import path, register_converter

from .views import backoffice, supervision


class KeyConverter:
    regex = r"t[234]\.[a-z_]+(?:\.[a-z_]+)?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KeyConverter, "cellkey")

app_name = "reports"

urlpatterns = [
    path("", backoffice.report_list, name="report_list"),
    path("start/", backoffice.report_start, name="report_start"),
    path("import/", backoffice.report_import, name="report_import"),
    path("supervision/", supervision.overview, name="supervision"),
    path("supervision/export.<str:to>", supervision.overview_export, name="supervision_export"),
    path("supervision/aggregate/", supervision.aggregate, name="aggregate"),
    path("supervision/settings/", supervision.supervision_settings, name="supervision_settings"),
    path("assessment/", supervision.assessment_view, name="assessment"),
    path("<int:year>/", backoffice.report_detail, name="report_detail"),
    path("<int:year>/edit/", backoffice.report_edit, name="report_edit"),
    path("<int:year>/regenerate/", backoffice.report_regenerate, name="report_regenerate"),
    path("<int:year>/do/<str:action>/", backoffice.report_action, name="report_action"),
    path(
        "<int:year>/correct/<int:pk>/prose/",
        backoffice.correction_prose,
        name="correction_prose",
    ),
    path("<int:year>/cell/<cellkey:key>/", backoffice.cell_records, name="cell_records"),
    path("<int:year>/download.<str:to>", backoffice.report_download, name="report_download"),
    path("<int:year>/source/", backoffice.source_download, name="source_download"),
    path("<int:year>/correct/", backoffice.correction_open, name="correction_open"),
    path(
        "<int:year>/correct/<int:pk>/close/",
        backoffice.correction_close,
        name="correction_close",
    ),
]
