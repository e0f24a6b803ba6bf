from __future__ import annotations

from io import StringIO

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
