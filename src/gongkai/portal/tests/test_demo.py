"""The demo needs no portal step: every item it publishes reaches the search index
through the disclosure services (``item_approve``, ``item_record_history``), which
the portal's lists, counts and search read."""

from __future__ import annotations

import pytest

from gongkai.demo import DEMO_APPS, load_demo
from gongkai.disclosure.models import Item
from gongkai.search.indexing import rebuild
from gongkai.search.models import SearchDocument

FIELDS = ("item_id", "organization_id", "category_id", "kind", "published_at", "year",
          "title_norm", "number_norm", "body_norm")  # fmt: skip


def _index():
    return set(SearchDocument.objects.values_list(*FIELDS))


@pytest.mark.django_db
@pytest.mark.usefixtures("local_files")
def test_demo_leaves_the_index_as_a_full_rebuild_would():
    import importlib.util

    assert importlib.util.find_spec("gongkai.portal.demo") is None
    assert "portal" in DEMO_APPS  # harmless: the loader skips apps without a demo module
    load_demo()
    public = Item.objects.filter(status=Item.Status.PUBLISHED, attribute=Item.Attribute.PROACTIVE)
    # The demo publishes history through item_record_history as well as approvals.
    assert public.filter(published_at__year__lt=public.latest("published_at").published_at.year)
    after_demo = _index()
    assert {row[0] for row in after_demo} == set(public.values_list("pk", flat=True))
    assert rebuild() == len(after_demo)
    assert _index() == after_demo
