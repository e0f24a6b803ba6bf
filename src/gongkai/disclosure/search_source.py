"""Disclosure items as the search index sees them (registered in ``apps.py``).

The search app imports nothing of disclosure: it is handed plain records
through :class:`ItemSource` (see ``gongkai.search.sources``).  Only published
主动公开 items are ever indexed (条例第十九条 scope of the portal).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import nh3
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.organizations.models import Organization
from gongkai.search.sources import SearchRecord

from .list_selectors import register_states
from .models import Category, Item
from .selectors import category_ids_below

_PUBLIC_SQL = "{alias}.status = %s AND {alias}.attribute = %s"


def item_plain_body(item: Item) -> str:
    """Summary, body (tags stripped when HTML) and attachment text, as plain text."""
    body = item.body or ""
    if item.body_format == Item.BodyFormat.HTML:
        body = html.unescape(nh3.clean(body, tags=set()))
    parts = (item.summary, body, item.subject_words, item.attachment_text)
    return "\n".join(p for p in parts if p)


# What a search hit needs of its item: record() and the results template.
HIT_FIELDS = (
    "organization_id", "category_id", "kind", "published_at", "status", "attribute", "title",
    "document_number", "index_number", "body", "body_format", "summary", "subject_words",
    "attachment_text",
)  # fmt: skip


class ItemSource:
    label = "disclosure.item"
    model = Item

    def public_sql(self, alias: str) -> tuple[str, list]:
        return _PUBLIC_SQL.format(alias=alias), [Item.Status.PUBLISHED, Item.Attribute.PROACTIVE]

    def is_public(self, obj: Item) -> bool:
        return obj.is_public

    def record(self, obj: Item) -> SearchRecord:
        return SearchRecord(
            organization_id=obj.organization_id,
            category_id=obj.category_id,
            kind=obj.kind,
            published_at=obj.published_at,
            title=obj.title,
            number=obj.document_number or "",
            reference=obj.index_number,
            body=item_plain_body(obj),
        )

    def public(self) -> QuerySet[Item]:
        return Item.objects.filter(status=Item.Status.PUBLISHED, attribute=Item.Attribute.PROACTIVE)

    def load(self, ids: Iterable[int]) -> dict[int, Item]:
        """The page's items, with only the fields a search hit shows or
        :meth:`record` reads, the organization each belongs to, and
        ``register_state`` (已废止/已失效/已修订, or "").  Three plain
        queries: a whole item row, a join to its organization and the
        register annotation cost more Python than the search's own SQL
        (docs/search.md)."""
        items = (
            self.public().filter(organization__is_active=True).only(*HIT_FIELDS).in_bulk(list(ids))
        )
        orgs = Organization.objects.in_bulk({item.organization_id for item in items.values()})
        states = register_states(items, timezone.localdate())
        for pk, item in items.items():
            item.organization = orgs[item.organization_id]
            item.register_state = states.get(pk, "")
        return items

    def expand_category(self, category: Category) -> set[int]:
        return category_ids_below(category)
