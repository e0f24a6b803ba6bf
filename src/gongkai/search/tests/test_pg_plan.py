"""PostgreSQL plan choice: the statistics estimate of a broad query's total."""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai.search import backends
from gongkai.search.backends import _estimate, _TsvStats
from gongkai.search.selectors import search
from gongkai.search.text import parse_query

from .test_bench_parity import _all_pages, _oracle, bench_corpus  # noqa: F401 - fixture


def test_the_estimate_is_the_rarest_token_of_the_rarest_term():
    stats = _TsvStats(
        rows=1_000_000.0,
        freq={"救助": 0.135, "2024": 0.17, "024年": 0.15, "宅基": 0.05, "基地": 0.06},
        read_at=0.0,
    )
    assert _estimate(parse_query("救助"), stats) == 135_000
    # Tokens of one term occur together: the minimum, not the product.
    assert _estimate(parse_query("2024年"), stats) == 150_000
    assert _estimate(parse_query("宅基地 救助"), stats) == 50_000
    # A token outside the most common lexemes, or a one-character prefix: not known.
    assert _estimate(parse_query("低保"), stats) is None
    assert _estimate(parse_query("救助 低保"), stats) is None
    assert _estimate(parse_query("救"), stats) is None
    small = _TsvStats(rows=backends.PG_STATS_MIN_ROWS - 1, freq=stats.freq, read_at=0.0)
    assert _estimate(parse_query("救助"), small) is None


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
@pytest.mark.parametrize("starved", [False, True], ids=["walk", "walk-budget-spent"])
def test_a_broad_query_takes_its_total_from_the_statistics(
    bench_corpus,  # noqa: F811
    monkeypatch,
    starved,
):
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchdocument")
    monkeypatch.setattr(backends, "PG_STATS_MIN_ROWS", 1)
    monkeypatch.setattr(backends, "PG_RANK_LIMIT", 5)
    monkeypatch.setattr(backends, "_stats_cache", {})
    if starved:
        # A walk of a few rows only: every page comes from the sorted GIN matches.
        monkeypatch.setattr(backends, "PG_WALK_MIN", 1)
        monkeypatch.setattr(backends, "PG_WALK_FACTOR", 0.01)
    statements: list[str] = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    want = _oracle(bench_corpus, "救助")
    assert len(want) > 4 * 5
    with connection.execute_wrapper(spy):
        first = search("救助")
    assert len(first.hits) == 20
    # Every row is sampled on a table this small: the estimate is the exact
    # count; the sorted fallback reads every match and counts them exactly.
    assert first.approximate is not starved and first.total == len(want)
    assert not any("count(*) FROM search_searchdocument" in s for s in statements)
    assert not any("AS score" in s for s in statements)  # the narrow plan was skipped
    assert any("AS ok" in s for s in statements)  # the walk with a budget
    assert any("ORDER BY published_at DESC, id DESC LIMIT" in s for s in statements) == starved
    when = {item.pk: item.published_at for item in bench_corpus}
    for order in ("relevance", "time"):
        got = _all_pages("救助", order=order)
        assert set(got) == want and len(got) == len(want)
        assert [when[pk] for pk in got] == sorted((when[pk] for pk in got), reverse=True)
