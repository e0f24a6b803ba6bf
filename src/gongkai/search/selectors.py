"""``search()``: the one entry point the portal (and anything else) queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from gongkai.disclosure.models import Category, Item
from gongkai.disclosure.selectors import category_ids_below
from gongkai.organizations.models import Organization

from .backends import Filters, backend
from .indexing import item_plain_body
from .text import Query, highlight, parse_query, snippet

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are not useful to a reader and only cost the database


@dataclass
class SearchHit:
    item: Item
    title_html: SafeString
    number_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResults:
    query: Query
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    message: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size)) if self.total else 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < min(self.pages, MAX_PAGE)


def search(
    query: str,
    *,
    org: Organization | None = None,
    category: Category | None = None,
    year: int | None = None,
    kind: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    """Published 主动公开 items of active bodies containing every term of ``query``.

    Ranked by relevance (title before 文号 before body), newest first on ties;
    each hit carries its title, 文号 and a body snippet HTML-escaped with the
    matches in ``<mark>``.
    """
    q = parse_query(query)
    page = min(max(1, int(page or 1)), MAX_PAGE)
    results = SearchResults(query=q, page=page, page_size=page_size)
    if q.is_empty:
        results.message = "请输入要检索的字词。"
        return results
    filters = Filters(
        organization_ids=(org.pk,) if org is not None else None,
        category_ids=tuple(sorted(category_ids_below(category))) if category is not None else None,
        year=year,
        kind=kind or None,
    )
    total, ids = backend().query(q, filters, limit=page_size, offset=(page - 1) * page_size)
    results.total = total
    # Re-checked here: a hit is shown only while its item is public (defence in depth).
    items = (
        Item.objects.filter(
            status=Item.Status.PUBLISHED,
            attribute=Item.Attribute.PROACTIVE,
            organization__is_active=True,
        )
        .select_related("organization", "category")
        .in_bulk(ids)
    )
    for pk in ids:
        item = items.get(pk)
        if item is None:
            continue
        number = item.document_number or ""
        results.hits.append(
            SearchHit(
                item=item,
                title_html=mark_safe(highlight(item.title, q.terms)),  # noqa: S308 - escaped
                number_html=mark_safe(highlight(number, q.terms)),  # noqa: S308 - escaped
                snippet_html=mark_safe(snippet(item_plain_body(item), q.terms)),  # noqa: S308
            )
        )
    return results
