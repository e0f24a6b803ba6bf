"""The seam between the index and the apps it searches (``search/sources.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from gongkai.disclosure.factories import ItemFactory, PublishedItemFactory
from gongkai.disclosure.models import Item
from gongkai.disclosure.search_source import ItemSource
from gongkai.organizations.models import Organization
from gongkai.search import sources
from gongkai.search.indexing import index_item
from gongkai.search.models import SearchDocument

SEARCH = Path(sources.__file__).resolve().parent


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
    return names


def test_the_search_app_imports_no_disclosure_module():
    """Search indexes records handed to it; disclosure imports search, never the reverse."""
    production = [
        p
        for p in SEARCH.rglob("*.py")
        if not {"tests", "migrations"} & set(p.relative_to(SEARCH).parts)
    ]
    assert SEARCH / "selectors.py" in production
    bad = [
        f"{p.relative_to(SEARCH)}: {name}"
        for p in production
        for name in _imports(p)
        if name == "gongkai.disclosure" or name.startswith("gongkai.disclosure.")
    ]
    assert not bad, bad


@pytest.fixture
def registry():
    saved = dict(sources._sources)
    yield sources._sources
    sources._sources.clear()
    sources._sources.update(saved)


def test_disclosure_registers_its_items_once(registry):
    assert isinstance(sources.indexed_source(), ItemSource)
    assert sources.source_for(Item) is sources.indexed_source()
    sources.register(ItemSource())  # AppConfig.ready() may run twice: replaced, not doubled
    assert len(sources.sources()) == 1


def test_a_source_for_another_model_is_refused(registry):
    class OrganizationSource(ItemSource):
        label = "organizations.organization"
        model = Organization

    with pytest.raises(ImproperlyConfigured, match="keyed by disclosure.Item"):
        sources.register(OrganizationSource())
    assert len(sources.sources()) == 1


@pytest.mark.django_db
def test_an_object_without_a_source_is_an_error_not_skipped(registry, org):
    registry.clear()
    with pytest.raises(ImproperlyConfigured, match="no search source"):
        index_item(PublishedItemFactory(organization=org))
    assert not SearchDocument.objects.exists()
    with pytest.raises(ImproperlyConfigured, match="no search source"):
        index_item(org)


@pytest.mark.django_db
def test_item_source_public_rule_is_the_same_in_python_queryset_and_sql(org):
    source = ItemSource()
    on_request = {
        "attribute": Item.Attribute.ON_REQUEST,
        "attribute_reason": "涉及个人信息",
        "attribute_basis": "条例第十五条",
    }
    items = [
        PublishedItemFactory(organization=org),
        PublishedItemFactory(organization=org, status=Item.Status.RECORDED, **on_request),
        PublishedItemFactory(organization=org, **on_request),
        PublishedItemFactory(organization=org, status=Item.Status.WITHDRAWN),
        ItemFactory(organization=org),
        ItemFactory(organization=org, status=Item.Status.IN_APPROVAL),
    ]
    by_python = {i.pk for i in items if source.is_public(i)}
    by_queryset = set(source.public().values_list("pk", flat=True))
    where, params = source.public_sql("i")
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT i.id FROM {Item._meta.db_table} i WHERE {where}",  # noqa: S608
            params,
        )
        by_sql = {row[0] for row in cur.fetchall()}
    assert by_python == by_queryset == by_sql == {items[0].pk}


@pytest.mark.django_db
def test_item_source_loads_only_public_items_of_active_bodies(org, other_org):
    source = ItemSource()
    shown = PublishedItemFactory(organization=org)
    draft = ItemFactory(organization=org)
    inactive = PublishedItemFactory(organization=other_org)
    other_org.is_active = False
    other_org.save()
    assert source.load([shown.pk, draft.pk, inactive.pk]) == {shown.pk: shown}
