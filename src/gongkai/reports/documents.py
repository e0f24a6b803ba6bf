"""A published report's downloads, made once and kept in storage (docs/reports.md).

The ``reports.generate_documents`` job (``tasks.py``, through
``services.report_documents_generate``) writes each download format of a
published report into Django's default storage (the data folder, or the
S3-compatible bucket of ``config/objectstorage.py``) and records it as a
:class:`~gongkai.reports.models.ReportDocument`; the download views send the
kept file and make it on the fly only while there is none.

Content-addressed: a set of files is named and recorded with the *digest* of
what it is made from — the report as gongkai.annual's JSON (body name, year,
every figure, the six sections) plus the writers' version.  A view computes
the digest of the report as it is now and sends a kept file only when its
digest is that one.  A correction that changes a figure or the prose changes
the digest, so a file made before it is never sent, whether or not the job has
run again yet; an upgrade of gongkai makes the files again the same way.

Reads only: this module writes nothing (the service does).
"""

from __future__ import annotations

import hashlib
import json

from gongkai import __version__
from gongkai.annual.jsonio import dump
from gongkai.annual.model import Report
from gongkai.annual.writers import EXTENSIONS

from .models import DOCUMENT_FORMATS, AnnualReport, ReportDocument, Status

__all__ = ["DOCUMENT_FORMATS", "documents_digest", "stored_document", "stored_name"]

# Raise when a writer's output changes for the same report without a new release
# of gongkai (the version is part of the digest too), so the kept files are made again.
LAYOUT = 1


def documents_digest(model: Report) -> str:
    """The content address (SHA-256, hex) of the documents made from ``model``.

    Canonical: keys sorted, since the order of the stored cells depends on the
    database (PostgreSQL's jsonb sorts them, SQLite keeps them as written)."""
    digest = hashlib.sha256(f"gongkai {__version__} documents {LAYOUT}\n".encode())
    canonical = json.dumps(dump(model), ensure_ascii=False, sort_keys=True)
    digest.update(canonical.encode("utf-8"))
    return digest.hexdigest()


def stored_name(report: AnnualReport, digest: str, to: str) -> str:
    """Where the ``to`` document of ``report`` with ``digest`` is kept: the report's id
    and the digest make the name, so another version never overwrites it."""
    return (
        f"{report.organization_id}/annual-reports/{report.year}/documents/"
        f"{report.pk}-{digest[:32]}{EXTENSIONS[to]}"
    )


def stored_document(*, digest: str, to: str) -> ReportDocument | None:
    """The kept ``to`` document of a *published* report whose content has ``digest``
    (:func:`documents_digest` of the report as it is now), or None: not made yet,
    or made before the report last changed."""
    if to not in DOCUMENT_FORMATS:
        return None
    return (
        ReportDocument.objects.filter(digest=digest, format=to, report__status=Status.PUBLISHED)
        .order_by("pk")
        .first()
    )
