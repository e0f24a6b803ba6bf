"""Keep the search index in step with publication.

The disclosure services call :func:`index_item` when an item is published and
:func:`unindex_item` when it is withdrawn, inside their own transaction: the
index changes commit (or roll back) with the item, so a withdrawn item
vanishes from search at once and a failed publication leaves no trace.
"""

from __future__ import annotations

import html

import nh3
from django.db import transaction
from django.utils import timezone

from gongkai.disclosure.models import Item

from .backends import backend
from .models import SearchDocument
from .text import normalize


def item_plain_body(item: Item) -> str:
    """Summary, body (tags stripped when HTML) and attachment text, as plain text."""
    body = item.body or ""
    if item.body_format == Item.BodyFormat.HTML:
        body = html.unescape(nh3.clean(body, tags=set()))
    parts = (item.summary, body, item.subject_words, item.attachment_text)
    return "\n".join(p for p in parts if p)


def _fill(doc: SearchDocument, item: Item) -> None:
    doc.organization_id = item.organization_id
    doc.category_id = item.category_id
    doc.kind = item.kind
    doc.published_at = item.published_at

    doc.year = timezone.localdate(item.published_at).year
    doc.title_norm = normalize(item.title)
    doc.number_norm = normalize(f"{item.document_number} {item.index_number}")
    doc.body_norm = normalize(item_plain_body(item))


@transaction.atomic
def index_item(item: Item) -> None:
    """Add or refresh ``item`` in the index; remove it if it is not (any more) public."""
    # Only published 主动公开 items are ever indexed (条例第十九条 scope of the portal).
    if not item.is_public:
        unindex_item(item)
        return
    engine = backend()
    doc = SearchDocument.objects.select_for_update().filter(item_id=item.pk).first()
    if doc is not None:
        engine.remove(doc)
    else:
        doc = SearchDocument(item_id=item.pk)
    _fill(doc, item)
    doc.save()
    engine.add(doc)


@transaction.atomic
def unindex_item(item: Item) -> None:
    doc = SearchDocument.objects.select_for_update().filter(item_id=item.pk).first()
    if doc is None:
        return
    backend().remove(doc)
    doc.delete()


@transaction.atomic
def rebuild(*, batch_size: int = 500) -> int:
    """Drop the whole index and index every published 主动公开 item again."""
    backend().clear()
    SearchDocument.objects.all().delete()
    count = 0
    qs = Item.objects.filter(status=Item.Status.PUBLISHED, attribute=Item.Attribute.PROACTIVE)
    for item in qs.order_by("pk").iterator(chunk_size=batch_size):
        index_item(item)
        count += 1
    return count
