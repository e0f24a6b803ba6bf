"""``search()``: the one entry point the portal (and anything else) queries."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from gongkai.organizations.models import Organization

from .backends import ORDERS, Filters, backend
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
    order: str = "relevance",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> SearchResults:
    """Public items of active bodies containing every term of ``query``.

    Public is what the index's source says (disclosure: published 主动公开);
    ``category`` is one of the source's categories, expanded to its
    sub-categories by the source; ``date_from``/``date_to`` bound the day of
    publication (local time, both inclusive).  ``order="relevance"`` (title
    before 文号 before body, newest first on ties; see docs/search.md for the
    order of very broad queries) or ``"time"`` (newest first).  Each hit
    carries its title, 文号 and a body snippet HTML-escaped with the matches
    in ``<mark>``.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown search order {order!r}; choose from {ORDERS}")
    q = parse_query(query)
    page = min(max(1, int(page or 1)), MAX_PAGE)
    results = SearchResults(query=q, page=page, page_size=page_size)
    if q.is_empty:
        results.message = "请输入要检索的字词。"
        return results
    if date_from is not None and date_to is not None and date_from > date_to:
        results.message = "起始日期不能晚于截止日期。"
        return results
    source = indexed_source()
    filters = Filters(
        organization_ids=(org.pk,) if org is not None else None,
        category_ids=(
            tuple(sorted(source.expand_category(category))) if category is not None else None
        ),
        year=year,
        kind=kind or None,
        published_from=_day_start(date_from),
        published_before=(
            _day_start(date_to + dt.timedelta(days=1))
            if date_to and date_to < dt.date.max
            else None
        ),
    )
    total, ids, approximate = backend().query(
        q, filters, limit=page_size, offset=(page - 1) * page_size, order=order
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


def _day_start(day: dt.date | None) -> dt.datetime | None:
    """Midnight at the start of ``day`` in the site's time zone (aware)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
