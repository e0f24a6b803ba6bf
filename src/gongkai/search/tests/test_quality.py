"""Search quality over a generated corpus (≥200 items, ≥30 queries), on SQLite and PostgreSQL.

Every hand-planted expectation must hold; every generic query must return
exactly what a plain substring check over the normalised fields finds; nothing
withdrawn, unpublished, 依申请公开 or of an inactive body ever appears.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from gongkai.disclosure.factories import CategoryFactory
from gongkai.disclosure.models import Item
from gongkai.disclosure.search_source import item_plain_body
from gongkai.disclosure.services import item_withdraw
from gongkai.organizations.factories import UserFactory
from gongkai.search.indexing import index_item, unindex_item
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import search
from gongkai.search.text import normalize, parse_query

from .corpus import NEVER, ORACLE_QUERIES, PLANTED, PLANTED_QUERIES, generate, published_at

STATUS = {
    "published": Item.Status.PUBLISHED,
    "withdrawn": Item.Status.WITHDRAWN,
    "draft": Item.Status.DRAFT,
    "on_request": Item.Status.RECORDED,
}


def build(orgs: dict, approver=None) -> dict[str, Item]:
    """Create the corpus as items; publish/index exactly as the services do."""
    author = UserFactory()
    categories: dict[tuple[int, str], object] = {}
    created: dict[str, Item] = {}
    specs = PLANTED + generate()
    for n, spec in enumerate(specs):
        org = orgs[spec.org]
        category = None
        if spec.category:
            key = (org.pk, spec.category)
            if key not in categories:
                categories[key] = CategoryFactory(organization=org, name=spec.category)
            category = categories[key]
        on_request = spec.state == "on_request"
        item = Item.objects.create(
            organization=org,
            title=spec.title,
            body=spec.body,
            document_number=spec.document_number,
            kind=spec.kind,
            category=category,
            formed_on=published_at(spec, n).date(),
            created_by=author,
            attribute=Item.Attribute.ON_REQUEST if on_request else Item.Attribute.PROACTIVE,
            attribute_reason="涉及个人信息" if on_request else "",
            attribute_basis="条例第十五条" if on_request else "",
            status=Item.Status.PUBLISHED if spec.state == "withdrawn" else STATUS[spec.state],
            published_at=published_at(spec, n) if spec.state != "draft" else None,
            index_number=f"T-{n:05d}" if spec.state != "draft" else "",
        )
        index_item(item)  # refuses anything not published 主动公开
        if spec.state == "withdrawn":
            if approver is not None and spec.key == "withdrawn":
                item_withdraw(
                    item=item, acting_user=approver, reason="内容有误", now=timezone.now()
                )
            else:
                item.status = Item.Status.WITHDRAWN
                item.save()
                unindex_item(item)
        created[spec.key] = item
    return created


def oracle(items: dict[str, Item], query: str) -> set[int]:
    terms = parse_query(query).terms
    hits = set()
    for item in items.values():
        if item.status != Item.Status.PUBLISHED or item.attribute != Item.Attribute.PROACTIVE:
            continue
        fields = (
            normalize(item.title),
            normalize(f"{item.document_number} {item.index_number}"),
            normalize(item_plain_body(item)),
        )
        if all(any(t in f for f in fields) for t in terms):
            hits.add(item.pk)
    return hits


def found(query: str, **filters) -> list[int]:
    return [h.item.pk for h in search(query, page_size=1000, **filters).hits]


@pytest.fixture
def corpus(org, other_org, approver):
    items = build({"org": org, "other_org": other_org}, approver)
    for item in items.values():
        item.refresh_from_db()
    return items


@pytest.mark.django_db
def test_corpus_queries(corpus):
    assert len(corpus) >= 200
    assert len(PLANTED_QUERIES) + len(ORACLE_QUERIES) >= 30
    never = {corpus[k].pk for k in NEVER}
    problems = []
    for query, keys, exact in PLANTED_QUERIES:
        got = set(found(query))
        want = {corpus[k].pk for k in keys}
        if not want <= got or (exact and got != want):
            problems.append(f"{query}: want {sorted(want)} exact={exact}, got {sorted(got)}")
        if got & never:
            problems.append(f"{query}: returned withdrawn/unpublished {sorted(got & never)}")
    for query in ORACLE_QUERIES:
        got = found(query)
        want = oracle(corpus, query)
        if not want:
            problems.append(f"{query}: the corpus has no hit; the query tests nothing")
        if set(got) != want or len(got) != len(set(got)):
            problems.append(
                f"{query}: missing {sorted(want - set(got))}, extra {sorted(set(got) - want)}"
            )
        if set(got) & never:
            problems.append(f"{query}: returned withdrawn/unpublished {sorted(set(got) & never)}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_filters_paging_and_ranking(corpus, org, other_org):
    all_hits = set(found("补贴"))
    by_org = set(found("补贴", org=org)) | set(found("补贴", org=other_org))
    assert by_org == all_hits
    assert all(Item.objects.get(pk=pk).organization_id == org.pk for pk in found("补贴", org=org))
    for pk in found("低保", year=2025):
        assert Item.objects.get(pk=pk).published_at.year == 2025
    for pk in found("低保", kind="list"):
        assert Item.objects.get(pk=pk).kind == "list"
    category = corpus["hzb15"].category
    assert set(found("宅基地", category=category)) == {
        pk for pk in found("宅基地") if Item.objects.get(pk=pk).category_id == category.pk
    }
    # Paging: pages are disjoint and together give the full ranked list.
    full = found("公示")
    pages = []
    first = search("公示", page_size=7)
    for page in range(1, first.pages + 1):
        pages += [h.item.pk for h in search("公示", page=page, page_size=7).hits]
    assert pages == full and first.total == len(full)
    # A title hit ranks before a body-only hit.
    ranked = found("一图读懂 宅基地")
    assert ranked[0] == corpus["interp"].pk
    title_hit = found("城乡居民最低生活保障")
    assert title_hit[0] == corpus["gzf3"].pk


@pytest.mark.django_db
def test_inactive_body_vanishes(corpus, other_org):
    assert found("柳政发〔2025〕7号")
    other_org.is_active = False
    other_org.save()
    assert found("柳政发〔2025〕7号") == []


@pytest.mark.django_db
def test_highlight_is_escaped(corpus):
    hit = search("低保复核").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>低保复核</mark>" in hit.title_html
    assert "<img" not in hit.snippet_html
    assert "&lt;img" in hit.snippet_html


@pytest.mark.django_db
def test_empty_and_junk_queries(corpus):
    assert search("").message
    assert search("〔〕……！").message  # punctuation only
    assert search("'\" OR 1=1 --").total == 0  # no injection into MATCH/tsquery
    assert search('"低保" NEAR(x) *').total >= 0
    assert search("低保", page=10_000).hits == []


@pytest.mark.django_db(transaction=True)
def test_index_rolls_back_with_the_publication(org):
    item = Item.objects.create(
        organization=org, title="回滚测试低保", body="", formed_on=dt.date(2024, 1, 1),
        created_by=UserFactory(), status=Item.Status.PUBLISHED,
        published_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
    )  # fmt: skip
    with pytest.raises(RuntimeError), transaction.atomic():
        index_item(item)
        assert found("回滚测试")
        raise RuntimeError("publication failed later")
    assert not SearchDocument.objects.filter(item=item).exists()
    assert found("回滚测试") == []
    index_item(item)
    index_item(item)  # re-indexing replaces, never duplicates
    assert found("回滚测试") == [item.pk]
    unindex_item(item)
    unindex_item(item)
    assert found("回滚测试") == []


@pytest.mark.django_db
def test_broad_queries_rank_title_matches_first_then_newest(corpus, monkeypatch):
    """Above RANK_LIMIT matches (SQLite): no bm25; title matches, then the rest, newest first."""
    from django.db import connection

    from gongkai.search import backends

    ranked = found("公示")
    monkeypatch.setattr(backends, "RANK_LIMIT", 3)
    monkeypatch.setattr(backends, "PG_RANK_LIMIT", 3)
    tiered = found("公示")
    assert sorted(tiered) == sorted(ranked) and len(tiered) > 3
    # Paging over the tiers: disjoint pages that together give the full list.
    first = search("公示", page_size=4)
    pages = []
    for page in range(1, first.pages + 1):
        pages += [h.item.pk for h in search("公示", page=page, page_size=4).hits]
    assert pages == tiered and first.total == len(tiered)
    if connection.vendor != "sqlite":
        # PostgreSQL above PG_RANK_LIMIT: newest first, the total an estimate.
        assert first.approximate
        when = dict(Item.objects.filter(pk__in=tiered).values_list("pk", "published_at"))
        assert [when[pk] for pk in tiered] == sorted(when.values(), reverse=True)
        return
    in_title = ["公示" in normalize(Item.objects.get(pk=pk).title) for pk in tiered]
    n_title = sum(in_title)
    assert 0 < n_title < len(tiered)
    assert in_title == [True] * n_title + [False] * (len(tiered) - n_title)
    docs = dict(SearchDocument.objects.values_list("item_id", "pk"))
    for tier in (tiered[:n_title], tiered[n_title:]):
        assert [docs[pk] for pk in tier] == sorted((docs[pk] for pk in tier), reverse=True)
