"""The bench's query mix returns exactly the substring matches, on both engines.

Run on SQLite and on PostgreSQL (DATABASE_URL): each engine must return, over
all pages, exactly the items whose normalised title, 文号/索引号 or body
contains every term — so the two engines return the same set — both on the
ranked path and, with the limits lowered, on the broad path (tiered on
SQLite; newest first from the published_at index with an estimated total on
PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.disclosure.models import Item
from gongkai.organizations.factories import UserFactory
from gongkai.search import backends
from gongkai.search.indexing import index_item
from gongkai.search.selectors import search
from gongkai.search.text import normalize, parse_query

from .corpus import BENCH_QUERIES, bench_items

N = 400


@pytest.fixture
def bench_corpus(org):
    author = UserFactory()
    items = Item.objects.bulk_create(
        Item(
            organization=org, title=title, body=body, document_number=number,
            formed_on=dt.date(year, 1 + pk % 12, 1 + pk % 28), created_by=author,
            status=Item.Status.PUBLISHED, attribute=Item.Attribute.PROACTIVE,
            published_at=dt.datetime(year, 1 + pk % 12, 1 + pk % 28, 8, tzinfo=dt.UTC),
            index_number=f"bench-{year}-{pk:07d}",
        )
        for pk, year, title, body, number in bench_items(N)
    )  # fmt: skip
    for item in items:
        index_item(item)
    return items


def _oracle(items, query: str) -> set[int]:
    terms = parse_query(query).terms
    out = set()
    for item in items:
        fields = (
            normalize(item.title),
            normalize(f"{item.document_number} {item.index_number}"),
            normalize(item.body),
        )
        if all(any(t in f for f in fields) for t in terms):
            out.add(item.pk)
    return out


def _all_pages(query: str) -> list[int]:
    got: list[int] = []
    page = 1
    while True:
        res = search(query, page=page, page_size=50)
        if not res.hits:
            return got
        got += [h.item.pk for h in res.hits]
        page += 1


@pytest.mark.django_db
@pytest.mark.parametrize("broad", [False, True], ids=["ranked", "broad"])
def test_bench_queries_return_exactly_the_substring_matches(bench_corpus, monkeypatch, broad):
    if broad:
        monkeypatch.setattr(backends, "RANK_LIMIT", 10)
        monkeypatch.setattr(backends, "PG_RANK_LIMIT", 10)
    problems = []
    for query in BENCH_QUERIES:
        want = _oracle(bench_corpus, query)
        got = _all_pages(query)
        if len(got) != len(set(got)) or set(got) != want:
            problems.append(
                f"{query}: {len(want)} wanted, {len(got)} got; missing "
                f"{sorted(want - set(got))[:5]}, extra {sorted(set(got) - want)[:5]}"
            )
        first = search(query)
        if (first.total >= len(want)) is not True or (
            not first.approximate and first.total != len(want)
        ):
            problems.append(f"{query}: total {first.total} for {len(want)} matches")
    assert not problems, "\n".join(problems)
    assert sum(bool(_oracle(bench_corpus, q)) for q in BENCH_QUERIES) >= 10
