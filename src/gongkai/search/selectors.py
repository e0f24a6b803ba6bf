"""``search()``: the one entry point the portal (and anything else) queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from gongkai.organizations.models import Organization

from .backends import Filters, backend
from .sources import indexed_source
from .text import Query, highlight, parse_query, snippet

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are not useful to a reader and only cost the database


@dataclass
class SearchHit:
    item: Any  # the source's object (disclosure: an Item)
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
    # True when ``total`` is the index's estimate (PostgreSQL, broad queries).
    approximate: bool = False

    @property
    def total_display(self) -> str:
        """The total as shown: exact, or rounded with 约 when it is an estimate."""
        if not self.approximate:
            return str(self.total)
        if self.total >= 10_000:
            return f"约 {self.total / 10_000:.1f} 万"
        return f"约 {round(self.total, -2):,}"

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
    category: Any = None,
    year: int | None = None,
    kind: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    """Public items of active bodies containing every term of ``query``.

    Public is what the index's source says (disclosure: published 主动公开);
    ``category`` is one of the source's categories, expanded to its
    sub-categories by the source.  Ranked by relevance (title before 文号
    before body), newest first on ties; each hit carries its title, 文号 and a
    body snippet HTML-escaped with the matches in ``<mark>``.
    """
    q = parse_query(query)
    page = min(max(1, int(page or 1)), MAX_PAGE)
    results = SearchResults(query=q, page=page, page_size=page_size)
    if q.is_empty:
        results.message = "请输入要检索的字词。"
        return results
    source = indexed_source()
    filters = Filters(
        organization_ids=(org.pk,) if org is not None else None,
        category_ids=(
            tuple(sorted(source.expand_category(category))) if category is not None else None
        ),
        year=year,
        kind=kind or None,
    )
    total, ids, approximate = backend().query(
        q, filters, limit=page_size, offset=(page - 1) * page_size
    )
    results.total = total
    results.approximate = approximate
    # Re-checked here: a hit is shown only while its item is public (defence in depth).
    items = source.load(ids)
    for pk in ids:
        item = items.get(pk)
        if item is None:
            continue
        record = source.record(item)
        results.hits.append(
            SearchHit(
                item=item,
                title_html=mark_safe(highlight(record.title, q.terms)),  # noqa: S308 - escaped
                number_html=mark_safe(highlight(record.number, q.terms)),  # noqa: S308 - escaped
                snippet_html=mark_safe(snippet(record.body, q.terms)),  # noqa: S308
            )
        )
    return results
