"""One way to send a report file, for the back office, the public pages and the portal."""

from __future__ import annotations

from django.http import HttpResponse

from gongkai.annual.model import Finding, Report
from gongkai.annual.writers import EXTENSIONS, MEDIA_TYPES, write
from gongkai.annual.writers.json import write_json

DOWNLOAD_FORMATS = ("html", "docx", "xlsx", "json")


def report_file_response(
    model: Report, to: str, *, stem: str, findings: list[Finding] | None = None
) -> HttpResponse:
    """The report as a download (never shown inline: ``attachment`` + nosniff).

    With ``findings`` the JSON carries the checker's findings too."""
    if to == "json" and findings is not None:
        data = write_json(model, findings).encode("utf-8")
    else:
        data = write(model, to)
    response = HttpResponse(data, content_type=MEDIA_TYPES[to])
    response["Content-Disposition"] = f'attachment; filename="{stem}{EXTENSIONS[to]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
