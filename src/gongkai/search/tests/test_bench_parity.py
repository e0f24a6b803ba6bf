"""The bench's query mix returns exactly the substring matches, on both engines.

Run on SQLite and on PostgreSQL (DATABASE_URL): each engine must return, over
all pages, exactly the items whose normalised title, 文号/索引号 or body
contains every term — so the two engines return the same set — both on the
ranked path and, with the limits lowered, on the broad path (tiered on
SQLite; newest first from the published_at index with an estimated total on
PostgreSQL), in both orders (relevance and time), and with a date range.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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


def _all_pages(query: str, **kwargs) -> list[int]:
    got: list[int] = []
    page = 1
    while True:
        res = search(query, page=page, page_size=50, **kwargs)
        if not res.hits:
            return got
        got += [h.item.pk for h in res.hits]
        page += 1


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["relevance", "time"])
@pytest.mark.parametrize("broad", [False, True], ids=["ranked", "broad"])
def test_bench_queries_return_exactly_the_substring_matches(
    bench_corpus, monkeypatch, broad, order
):
    if broad:
        monkeypatch.setattr(backends, "RANK_LIMIT", 10)
        monkeypatch.setattr(backends, "PG_RANK_LIMIT", 10)
    when = {item.pk: (item.published_at, item.pk) for item in bench_corpus}
    problems = []
    for query in BENCH_QUERIES:
        want = _oracle(bench_corpus, query)
        got = _all_pages(query, order=order)
        if len(got) != len(set(got)) or set(got) != want:
            problems.append(
                f"{query}: {len(want)} wanted, {len(got)} got; missing "
                f"{sorted(want - set(got))[:5]}, extra {sorted(set(got) - want)[:5]}"
            )
        if order == "time" and [when[pk][0] for pk in got] != sorted(
            (when[pk][0] for pk in got), reverse=True
        ):
            problems.append(f"{query}: not newest first")
        first = search(query, order=order)
        if (first.total >= len(want)) is not True or (
            not first.approximate and first.total != len(want)
        ):
            problems.append(f"{query}: total {first.total} for {len(want)} matches")
    assert not problems, "\n".join(problems)
    assert sum(bool(_oracle(bench_corpus, q)) for q in BENCH_QUERIES) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["relevance", "time"])
@pytest.mark.parametrize("broad", [False, True], ids=["ranked", "broad"])
def test_a_date_range_keeps_exactly_the_matches_published_in_it(
    bench_corpus, monkeypatch, broad, order
):
    if broad:
        monkeypatch.setattr(backends, "RANK_LIMIT", 5)
        monkeypatch.setattr(backends, "PG_RANK_LIMIT", 5)
    # Local days (Asia/Shanghai) of publication; both ends are days items were
    # published on, so the inclusive bounds are exercised.
    local = {item.pk: timezone.localdate(item.published_at) for item in bench_corpus}
    days = sorted(local.values())
    start, end = days[len(days) // 3], days[2 * len(days) // 3]
    problems = []
    for query in ("救助", "2024年", "低保", "宅基地"):
        want = {pk for pk in _oracle(bench_corpus, query) if start <= local[pk] <= end}
        got = _all_pages(query, order=order, date_from=start, date_to=end)
        if set(got) != want or len(got) != len(want):
            problems.append(f"{query}: {len(want)} wanted, {len(got)} got")
        only_from = set(_all_pages(query, order=order, date_from=end))
        if only_from != {pk for pk in _oracle(bench_corpus, query) if local[pk] >= end}:
            problems.append(f"{query}: date_from alone")
    assert not problems, "\n".join(problems)
    assert any(_oracle(bench_corpus, q) for q in ("救助", "低保"))
    empty = search("救助", date_from=end, date_to=start)
    assert empty.message == "起始日期不能晚于截止日期。" and not empty.hits
    with pytest.raises(ValueError):
        search("救助", order="random")
