"""PostgreSQL plan choice: the statistics estimate of a broad query's total."""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai.search import backends
from gongkai.search.backends import _estimate, _estimate_year, _TsvStats
from gongkai.search.selectors import search
from gongkai.search.text import parse_query

from .test_bench_parity import _all_pages, _oracle, bench_corpus  # noqa: F401 - fixture


def test_the_estimate_is_the_rarest_token_of_the_rarest_term_per_year():
    stats = _TsvStats(
        rows=1_000_000.0,
        freq={
            "2025~救助": 0.0225, "2024~救助": 0.0225, "2024~2024": 0.17, "2024~024年": 0.15,
            "2025~宅基": 0.008, "2025~基地": 0.009,
        },
        read_at=0.0,
    )  # fmt: skip
    assert _estimate_year(parse_query("救助"), stats, 2025) == 22_500
    # 2023 is not known: left to the caller's count of the index.
    assert _estimate(parse_query("救助"), stats, [2025, 2024, 2023]) == (45_000, [2023])
    # Tokens of one term occur together: the minimum, not the product.
    assert _estimate_year(parse_query("2024年"), stats, 2024) == 150_000
    assert _estimate(parse_query("2024年"), stats, [2025, 2024]) == (150_000, [2025])
    assert _estimate_year(parse_query("宅基地 救助"), stats, 2025) == 8_000
    # A token outside the most common lexemes of the year, or a one-character
    # prefix: not known (a year not known adds nothing; no year known: None).
    assert _estimate_year(parse_query("2024年"), stats, 2025) is None
    assert _estimate(parse_query("低保"), stats, [2025, 2024]) == (None, [2025, 2024])
    assert _estimate(parse_query("救助 低保"), stats, [2025]) == (None, [2025])
    assert _estimate(parse_query("救"), stats, [2025]) == (None, [2025])
    small = _TsvStats(rows=backends.PG_STATS_MIN_ROWS - 1, freq=stats.freq, read_at=0.0)
    assert _estimate(parse_query("救助"), small, [2025]) == (None, [2025])
    # With the rows per year known, separate terms are independent within the
    # year: 8,000 of 2025's 200,000 rows hold 宅基地 and 22,500 救助.
    stats.year_rows = {2025: 200_000.0, 2024: 150_000.0}
    assert _estimate_year(parse_query("宅基地 救助"), stats, 2025) == 900
    assert _estimate_year(parse_query("救助"), stats, 2025) == 22_500
    assert _estimate_year(parse_query("2024年 救助"), stats, 2024) == 22_500


def pg_plan(test):
    """A test of the PostgreSQL plans, on the database (skipped on SQLite)."""
    only_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
    return pytest.mark.django_db(only_pg(test))


def _spy(statements):
    def spy(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    return spy


@pytest.fixture
def with_stats(monkeypatch):
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchdocument")
    monkeypatch.setattr(backends, "PG_STATS_MIN_ROWS", 1)
    monkeypatch.setattr(backends, "PG_RANK_LIMIT", 5)
    monkeypatch.setattr(backends, "_stats_cache", {})


@pytest.fixture(params=[False, True], ids=["walk", "walk-budget-spent"])
def starved(request, monkeypatch):
    """Both ways a dense year is read: walked, or — with a walk of a few rows
    only — every year's page from its sorted GIN matches."""
    if request.param:
        monkeypatch.setattr(backends, "PG_WALK_MIN", 1)
        monkeypatch.setattr(backends, "PG_WALK_FACTOR", 0.01)
    return request.param


@pg_plan
def test_a_broad_query_takes_its_total_from_the_statistics(
    bench_corpus,  # noqa: F811
    with_stats,
    starved,
):
    statements: list = []
    want = _oracle(bench_corpus, "救助")
    assert len(want) > 4 * 5
    with connection.execute_wrapper(_spy(statements)):
        first = search("救助")
    assert len(first.hits) == 20
    # Every row is sampled on a table this small: the estimate is the exact count.
    assert first.approximate and first.total == len(want)
    sqls = [sql for sql, _ in statements]
    assert not any("count(*) FROM search_searchdocument" in s for s in sqls)
    assert not any("AS score" in s for s in sqls)  # no GIN lookup at all: every year is known
    assert any("AS ok" in s for s in sqls)  # the walk with a budget
    sorted_year = "ORDER BY d.published_at DESC, d.id DESC LIMIT %s"
    assert any(s.endswith(sorted_year) for s in sqls) == starved
    when = {item.pk: item.published_at for item in bench_corpus}
    for order in ("relevance", "time"):
        got = _all_pages("救助", order=order)
        assert set(got) == want and len(got) == len(want)
        assert [when[pk] for pk in got] == sorted((when[pk] for pk in got), reverse=True)


@pg_plan
def test_old_matches_are_not_found_by_walking_every_newer_row(
    bench_corpus,  # noqa: F811
    with_stats,
    starved,
):
    """2021年 is held by 2021's items only: the newer years answer "none" from
    their own lexemes, and only 2021 is walked (the issue's 2024年 at 1M)."""
    want = _oracle(bench_corpus, "2021年")
    years = {item.pk: item.published_at.year for item in bench_corpus}
    assert len(want) > 4 * 5 and {years[pk] for pk in want} == {2021}
    assert max(years.values()) > 2022
    statements: list = []
    with connection.execute_wrapper(_spy(statements)):
        first = search("2021年")
    assert len(first.hits) == 20 and first.approximate and first.total == len(want)
    walked = [params for sql, params in statements if "AS ok" in sql]
    assert walked and all(2021 in params for params in walked)
    assert not any(y in params for params in walked for y in range(2022, 2026))
    newer = [params for sql, params in statements if "AS score" in sql]
    assert len(newer) == max(years.values()) - 2021  # one GIN lookup per newer year
    when = {item.pk: item.published_at for item in bench_corpus}
    got = _all_pages("2021年")
    assert set(got) == want and len(got) == len(want)
    assert [when[pk] for pk in got] == sorted((when[pk] for pk in got), reverse=True)


@pg_plan
def test_years_the_statistics_do_not_know_are_counted_not_left_out(
    bench_corpus,  # noqa: F811
    with_stats,
):
    """A term below the statistics' cut in some years (乡村振兴 known in 2024
    and 2025 only, at 1M items) must not lose those years' matches from the
    total: the page count, and so the last pages, depend on it."""
    with connection.cursor() as cur:
        stats = backends._tsv_stats(cur)
    old_years = {item.published_at.year for item in bench_corpus} - {2024, 2025}
    for lexeme in [k for k in stats.freq if int(k.split("~")[0]) in old_years]:
        del stats.freq[lexeme]  # as if rarer than the 10,000 most common lexemes
    want = _oracle(bench_corpus, "救助")
    statements: list = []
    with connection.execute_wrapper(_spy(statements)):
        first = search("救助")
    # 救助 is a two-character term: the GIN count of the unknown years is exact.
    assert first.approximate and first.total == len(want)
    counted = [params for sql, params in statements if sql.startswith("SELECT count(*)")]
    assert len(counted) == 1 and all(f"{y}~救助" in counted[0][0] for y in old_years)
    assert set(_all_pages("救助")) == want
