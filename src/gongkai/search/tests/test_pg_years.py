"""PostgreSQL: lexemes carry the year of publication (migration 0006)."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from gongkai.disclosure.models import Item
from gongkai.organizations.factories import UserFactory
from gongkai.search.indexing import index_item
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import search
from gongkai.search.text import parse_query, pg_lexemes

years = importlib.import_module("gongkai.search.migrations.0006_pg_tsv_years")


def test_every_lexeme_and_every_query_token_carries_the_year():
    assert set(pg_lexemes("低保", "", "", 2024)) == {"2024~低保", "2024~保"}
    q = parse_query("2024年 保")
    assert q.pg_tsquery(2025) == "('2025~024年' & '2025~2024') & ('2025~保':*)"
    assert q.pg_tsquery_years([2025, 2024]) == (
        "(('2025~024年' & '2025~2024') & ('2025~保':*)) | "
        "(('2024~024年' & '2024~2024') & ('2024~保':*))"
    )


def _tsv(pk: int) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT tsvector_to_array(tsv) FROM search_searchdocument WHERE id = %s", [pk])
        return sorted(cur.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_migration_qualifies_stored_lexemes_and_back(org):
    item = Item.objects.create(
        organization=org, title="2024年低保金发放公示", body="本月低保金已发放。",
        formed_on=dt.date(2024, 12, 30), created_by=UserFactory(), status=Item.Status.PUBLISHED,
        attribute=Item.Attribute.PROACTIVE,
        # 1 January, 02:00 in Beijing: still 31 December in UTC — the year is the
        # platform's (Asia/Shanghai), in the lexemes and in the walk's bounds.
        published_at=dt.datetime(2024, 12, 31, 18, tzinfo=dt.UTC),
    )  # fmt: skip
    index_item(item)
    doc = SearchDocument.objects.get(item=item)
    assert doc.year == 2025
    qualified = _tsv(doc.pk)
    assert qualified == sorted(pg_lexemes(doc.title_norm, doc.number_norm, doc.body_norm, 2025))
    editor = SimpleNamespace(connection=connection)
    with connection.cursor() as cur:
        # The rows above were inserted in this test's transaction: run their
        # deferred foreign-key checks now (the index cannot be built over
        # pending trigger events; a real migration has none).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    years._rewrite(years.NO_YEARS, -1)(None, editor)
    assert _tsv(doc.pk) == sorted(x.split("~", 1)[1] for x in qualified)
    years._rewrite(years.YEARS, 1000)(None, editor)
    assert _tsv(doc.pk) == qualified
    # Twice (or over rows the new code indexed before migrating): unchanged.
    years._rewrite(years.YEARS, 1000)(None, editor)
    assert _tsv(doc.pk) == qualified
    years._rewrite(years.NO_YEARS, -1)(None, editor)
    years._rewrite(years.NO_YEARS, -1)(None, editor)
    assert _tsv(doc.pk) == sorted(x.split("~", 1)[1] for x in qualified)
    years._rewrite(years.YEARS, 1000)(None, editor)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'search_searchdocument'::regclass AND attname = 'tsv'"
        )
        assert cur.fetchone()[0] == 1000
    for query in ("低保", "2024年", "低保金 2024"):
        assert [h.item.pk for h in search(query).hits] == [item.pk], query
    assert [h.item.pk for h in search("低保", year=2025).hits] == [item.pk]
    assert not search("低保", year=2024).hits
