"""The search page's order and publication-date fields (search service: gongkai.search)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.disclosure.models import Item

pytestmark = pytest.mark.django_db


def _page(query: str) -> str:
    response = Client().get(reverse("portal:search") + query)
    assert response.status_code == 200
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_order_by_time_lists_the_newest_first(world):
    old = world["policy"]
    Item.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=400))
    from gongkai.search.indexing import index_item

    index_item(Item.objects.get(pk=old.pk))
    html = _page("?q=低保&order=time")
    titles = [
        i.title for i in Item.objects.filter(title__contains="低保").order_by("-published_at")
    ]
    positions = [html.index(t) for t in titles if t in html]
    assert len(positions) >= 2 and positions == sorted(positions)
    assert 'value="time" selected' in html


def test_a_date_range_bounds_the_publication_day(world):
    today = timezone.localdate()
    html = _page(f"?q=低保&from={today.isoformat()}&to={today.isoformat()}")
    assert world["policy"].title in html
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    html = _page(f"?q=低保&from={tomorrow}")
    assert world["policy"].title not in html and "找到 <strong>0</strong> 条" in html
    html = _page(f"?q=低保&from={tomorrow}&to={today.isoformat()}")
    assert "起始日期不能晚于截止日期" in html


def test_an_unreadable_date_is_ignored_with_a_message(world):
    html = _page("?q=低保&from=2024-13-45&to=yesterday&order=nonsense")
    assert "无法识别的日期未作为条件" in html
    assert world["policy"].title in html
