"""Keep the search index in step with publication.

The owning app's services call :func:`index_item` when an object is published
and :func:`unindex_item` when it is withdrawn, inside their own transaction:
the index changes commit (or roll back) with the object, so a withdrawn item
vanishes from search at once and a failed publication leaves no trace.  What
is public and what is indexed come from the object's registered source
(``sources.py``); this module knows no domain model.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.core.locks import lock_or_busy

from .backends import backend
from .models import SearchDocument, publication_year
from .sources import SearchRecord, indexed_source, source_for, sources
from .text import normalize


def _fill(doc: SearchDocument, record: SearchRecord) -> None:
    doc.organization_id = record.organization_id
    doc.category_id = record.category_id
    doc.kind = record.kind
    doc.published_at = record.published_at

    doc.year = publication_year(record.published_at)
    doc.title_norm = normalize(record.title)
    doc.number_norm = normalize(f"{record.number} {record.reference}")
    doc.body_norm = normalize(record.body)


@transaction.atomic
def index_item(item: Any) -> None:
    """Add or refresh ``item`` in the index; remove it if it is not (any more) public."""
    source = source_for(item)
    if not source.is_public(item):
        unindex_item(item)
        return
    engine = backend()
    doc = SearchDocument.objects.select_for_update().filter(item_id=item.pk).first()
    if doc is not None:
        engine.remove(doc)
    else:
        doc = SearchDocument(item_id=item.pk)
    _fill(doc, source.record(item))
    doc.save()
    engine.add(doc)


@transaction.atomic
def unindex_item(item: Any) -> None:
    doc = SearchDocument.objects.select_for_update().filter(item_id=item.pk).first()
    if doc is None:
        return
    backend().remove(doc)
    doc.delete()


def public_count() -> int:
    """How many objects :func:`rebuild` would index."""
    indexed_source()  # fails loudly when the index has no source
    return sum(source.public().count() for source in sources())


def rebuild(*, batch_size: int = 500) -> int:
    """Drop the whole index and index every public object of every source again.

    One rebuild at a time across every app server and worker (a lock in the
    shared cache, held until the transaction committed); another raises
    :class:`gongkai.core.locks.LockBusy`."""
    with lock_or_busy(
        "search.rebuild", timeout=6 * 3600, busy_message="检索索引正在由另一进程重建，请稍后再试。"
    ):
        return _rebuild(batch_size=batch_size)


@transaction.atomic
def _rebuild(*, batch_size: int) -> int:
    indexed_source()  # fails loudly (before deleting anything) when the index has no source
    backend().clear()
    SearchDocument.objects.all().delete()
    count = 0
    for source in sources():
        for obj in source.public().order_by("pk").iterator(chunk_size=batch_size):
            index_item(obj)
            count += 1
    return count
