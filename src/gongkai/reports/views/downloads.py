"""One way to send a report file, for the back office, the public pages and the portal.

A published report's download is sent from storage once the
``reports.generate_documents`` job has made it (``documents.py``): only the file
made from the report's *current* content (its digest), so a file made before a
correction is never sent.  Until the job has run — a report published before
downloads were kept, a job that failed — the file is made here, as it always was,
and the job is deferred so that the next download comes from storage.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse

from gongkai.annual.model import Finding, Report
from gongkai.annual.writers import EXTENSIONS, MEDIA_TYPES, write
from gongkai.annual.writers.json import write_json
from gongkai.uploads import open_stored

from ..documents import DOCUMENT_FORMATS, documents_digest, stored_document
from ..models import AnnualReport
from ..services import documents_defer

DOWNLOAD_FORMATS = DOCUMENT_FORMATS
# A download that finds no kept file defers the job at most once per report
# content in this time, however many downloads arrive before a worker runs it.
DEFER_AGAIN_AFTER = 300  # seconds


def _attachment(response: HttpResponse, to: str, stem: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{stem}{EXTENSIONS[to]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _defer_generation(report: AnnualReport, digest: str) -> None:
    """Defer the job for ``report``, at most once per content in DEFER_AGAIN_AFTER."""
    if cache.add(f"reports:documents:{digest}", 1, timeout=DEFER_AGAIN_AFTER):
        documents_defer(report)


def _stored_response(digest: str, to: str) -> FileResponse | None:
    doc = stored_document(digest=digest, to=to)
    if doc is None:
        return None
    try:
        stream, size = open_stored(doc.path)  # streamed, from the folder or the bucket
    except Http404:
        return None  # the row outlived its file: made here, and again by the job
    response = FileResponse(stream, content_type=MEDIA_TYPES[to])
    response["Content-Length"] = str(size)
    return response


def report_file_response(
    model: Report,
    to: str,
    *,
    stem: str,
    findings: list[Finding] | None = None,
    published: AnnualReport | None = None,
) -> HttpResponse:
    """The report as a download (never shown inline: ``attachment`` + nosniff).

    With ``findings`` the JSON carries the checker's findings too (the back
    office's: made here, never kept).  Otherwise a published report's kept file is
    sent when it matches the report's content now; when there is none the file is
    made here and, for the ``published`` report's row, the job deferred (in the
    embedded mode, outside a transaction, the job runs at once and its file is
    sent)."""
    if to == "json" and findings is not None:
        data = write_json(model, findings).encode("utf-8")
        return _attachment(HttpResponse(data, content_type=MEDIA_TYPES[to]), to, stem)
    if to in DOCUMENT_FORMATS:
        digest = documents_digest(model)
        response = _stored_response(digest, to)
        if response is None and published is not None:
            _defer_generation(published, digest)
            response = _stored_response(digest, to)
        if response is not None:
            return _attachment(response, to, stem)
    return _attachment(HttpResponse(write(model, to), content_type=MEDIA_TYPES[to]), to, stem)
