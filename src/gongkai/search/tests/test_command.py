from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from gongkai.disclosure.factories import ItemFactory, PublishedItemFactory
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import search


@pytest.mark.django_db
def test_search_rebuild_indexes_only_published_items(org):
    published = PublishedItemFactory(organization=org, title="重建索引测试宅基地")
    ItemFactory(organization=org, title="草稿宅基地")
    assert search("宅基地").total == 0  # created without the publish service: not indexed
    out = StringIO()
    call_command("search_rebuild", "--dry-run", stdout=out)
    assert "将索引 1 条" in out.getvalue()
    assert search("宅基地").total == 0
    call_command("search_rebuild", stdout=out)
    assert "已重建检索索引：1 条" in out.getvalue()
    assert [h.item for h in search("宅基地").hits] == [published]
    call_command("search_rebuild", stdout=out)  # idempotent
    assert SearchDocument.objects.count() == 1
    assert search("宅基地").total == 1


@pytest.mark.django_db
def test_migration_0004_refills_an_old_bigram_index(org):
    """An install indexed before 0004 (bigrams only) gets 4-grams from the data migration."""
    from django.db import connection

    from gongkai.search.indexing import index_item, unindex_item

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite only; PostgreSQL keeps its tsvector")
    migration = importlib.import_module("gongkai.search.migrations.0004_fulltext_4grams")
    item = PublishedItemFactory(organization=org, title="关于2024年惠农补贴资金发放的公示")
    index_item(item)
    doc = SearchDocument.objects.get(item=item)
    with connection.cursor() as cur:  # put the table back in its pre-0004 state
        cur.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        cur.execute(
            "INSERT INTO search_fts(rowid, title, number, body) VALUES (%s, %s, %s, %s)",
            [doc.pk, *(migration._bigrams_only(t) for t in
                       (doc.title_norm, doc.number_norm, doc.body_norm))],
        )  # fmt: skip
    assert search("惠农补贴").total == 0  # 4-gram phrase: not in a bigram-only index
    assert search("补贴").total == 1

    migration._refill(migration._current)(None, SimpleNamespace(connection=connection))
    assert search("惠农补贴").total == 1
    assert search("2024年 补贴资金").total == 1
    unindex_item(item)  # forgets exactly the tokens the migration wrote
    assert search("惠农补贴").total == 0 and search("补贴").total == 0
    with connection.cursor() as cur:
        cur.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 0)")
