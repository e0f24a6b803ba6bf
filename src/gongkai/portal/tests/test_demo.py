from __future__ import annotations

import pytest

from gongkai.disclosure.factories import PublishedItemFactory
from gongkai.portal import demo
from gongkai.search.selectors import search


class Ctx:
    def __init__(self):
        self.lines = []

    def log(self, message):
        self.lines.append(message)


@pytest.mark.django_db
def test_demo_load_indexes_items_published_without_the_index(org):
    item = PublishedItemFactory(organization=org, title="历史信息宅基地审批")
    assert search("宅基地").total == 0
    ctx = Ctx()
    demo.load(ctx)
    assert [h.item for h in search("宅基地").hits] == [item]
    assert "1 条" in ctx.lines[0]
