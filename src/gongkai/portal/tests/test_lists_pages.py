"""Public pages of the 三项清单 and the 失效文件清单, the 失效 banner and marks,
the catalogue's date and a category's columns: content, caching, invalidation,
and a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.disclosure.factories import CategoryFactory, NormativeDocumentFactory
from gongkai.disclosure.models import Item, ListKind
from gongkai.organizations.factories import UnitFactory

from .conftest import publish
from .test_pagecache import _settle, html, item_url, warm

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def list_url(org, kind="withheld", number=None):
    if number is None:
        return reverse("portal:list", args=[org.slug, kind])
    return reverse("portal:list_revision", args=[org.slug, kind, number])


def add_and_publish(org, clerk, office_head, name, note, now=NOW):
    services.list_entry_save(
        organization=org,
        acting_user=clerk,
        entry=None,
        kind=ListKind.WITHHELD,
        data={"name": name, "reason": "涉及商业秘密", "basis": "条例第十五条"},
    )
    return services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note=note, now=now
    )


def test_list_page_shows_current_revision_date_and_history(org, clerk, office_head):
    assert "尚未发布不予公开事项清单" in html(list_url(org))
    add_and_publish(org, clerk, office_head, "企业经营数据", "首次发布")
    add_and_publish(org, clerk, office_head, "招标底价", "新增招标底价", NOW + dt.timedelta(days=9))
    _settle()
    page = html(list_url(org))
    assert "现行版本：第2版" in page and "2026年3月11日" in page
    assert "企业经营数据" in page and "招标底价" in page
    assert "涉及商业秘密" in page and "条例第十五条" in page
    assert "首次发布" in page and "新增招标底价" in page  # the history
    assert list_url(org, number=1) in page
    old = html(list_url(org, number=1))
    assert "历史版本" in old and "第1版" in old and "招标底价</td>" not in old
    assert Client().get(list_url(org, number=9)).status_code == 404
    assert Client().get(list_url(org, "bogus")).status_code == 404
    index = html(reverse("portal:lists", args=[org.slug]))
    assert "第2版 · 2026年3月11日修订" in index and "尚未发布" in index


def test_list_page_is_cached_and_changes_when_the_list_is_revised(
    org, clerk, office_head, django_assert_num_queries
):
    add_and_publish(org, clerk, office_head, "企业经营数据", "首次发布")
    _settle()
    path = list_url(org)
    warm(path)
    with django_assert_num_queries(1):  # the versions
        assert Client().get(path).status_code == 200
    # Editing an entry changes nothing public until the list is published.
    services.list_entry_save(
        organization=org, acting_user=clerk, entry=None, kind=ListKind.WITHHELD,
        data={"name": "草稿事项", "reason": "理由", "basis": "依据"},
    )  # fmt: skip
    assert _settle() == []
    assert "草稿事项" not in html(path)
    services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="二版", now=NOW
    )
    assert _settle()
    page = html(path)
    assert "草稿事项" in page and "第2版" in page
    assert "第2版" in html(reverse("portal:lists", args=[org.slug]))


def _void_world(org):
    new_item = publish(organization=org, title="低保办法（2026年修订）", kind=Item.Kind.NORMATIVE)
    old_item = publish(organization=org, title="低保办法（2020年）", kind=Item.Kind.NORMATIVE)
    new = NormativeDocumentFactory(
        organization=org, title="低保办法（2026年修订）", item=new_item,
        issued_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    old = NormativeDocumentFactory(
        organization=org, title="低保办法（2020年）", item=old_item,
        issued_on=dt.date(2020, 1, 5), status="abolished", abolished_on=dt.date(2026, 1, 5),
        replaced_by=new,
    )  # fmt: skip
    return old, old_item, new, new_item


def test_void_list_banner_and_marks(org):
    old, old_item, new, new_item = _void_world(org)
    NormativeDocumentFactory(organization=org, title="仍有效的文件")
    _settle()
    page = html(reverse("portal:void_documents", args=[org.slug]))
    assert "低保办法（2020年）" in page and "已废止" in page and "2026-01-05" in page
    assert item_url(new_item) in page  # the replacing document, linked
    assert "仍有效的文件" not in page
    # The item page carries the banner, linking the replacement.
    detail = html(item_url(old_item))
    assert "validity-banner" in detail and "本文件已废止" in detail
    assert "2026年1月5日" in detail and item_url(new_item) in detail
    assert "validity-banner" not in html(item_url(new_item))
    # Lists, search and the API mark it.
    items_page = html(reverse("portal:items", args=[org.slug]))
    assert '<span class="validity validity-off">已废止</span>' in items_page
    search = html(reverse("portal:search") + "?q=低保办法")
    assert "已废止" in search
    api = Client().get(reverse("portal:api_item", args=[old_item.pk])).json()
    assert api["register_state"] == "已废止"
    feed = Client().get(reverse("portal:feed", args=[org.slug])).content.decode()
    assert "低保办法（2020年）（已废止）" in feed and "低保办法（2026年修订）</title>" in feed
    listing = Client().get(reverse("portal:api_items", args=[org.slug])).json()
    states = {row["id"]: row["register_state"] for row in listing["results"]}
    assert states[old_item.pk] == "已废止" and states[new_item.pk] == ""
    # Rules page and home link the list.
    assert reverse("portal:void_documents", args=[org.slug]) in html(reverse("portal:rules", args=[org.slug]))  # fmt: skip
    home = html(reverse("portal:org", args=[org.slug]))
    assert reverse("portal:lists", args=[org.slug]) in home
    assert reverse("portal:void_documents", args=[org.slug]) in home


def test_register_change_shows_everywhere_at_once(org):
    old, old_item, new, new_item = _void_world(org)
    old.status, old.abolished_on, old.replaced_by = "issued", None, None
    old.save()
    _settle()
    for path in (
        item_url(old_item),
        reverse("portal:items", args=[org.slug]),
        reverse("portal:void_documents", args=[org.slug]),
        reverse("portal:api_item", args=[old_item.pk]),
        "/",
    ):
        warm(path)
    assert "本文件已废止" not in html(item_url(old_item))
    # Set once, in the register.
    old.status, old.abolished_on, old.replaced_by = "abolished", dt.date(2026, 1, 5), new
    old.save()
    _settle()
    assert "本文件已废止" in html(item_url(old_item))
    assert "已废止" in html(reverse("portal:items", args=[org.slug]))
    assert "低保办法（2020年）" in html(reverse("portal:void_documents", args=[org.slug]))
    api = Client().get(reverse("portal:api_item", args=[old_item.pk])).json()
    assert api["register_state"] == "已废止"
    assert '<span class="validity validity-off">已废止</span>' in html("/")


def test_amended_document_banner_names_the_amending_one(org):
    new_item = publish(organization=org, title="修订后的办法", kind=Item.Kind.NORMATIVE)
    item = publish(organization=org, title="原办法", kind=Item.Kind.NORMATIVE)
    new = NormativeDocumentFactory(organization=org, item=new_item, issued_on=dt.date(2025, 1, 1))
    NormativeDocumentFactory(
        organization=org, item=item, status="amended", amended_on=dt.date(2025, 1, 1),
        replaced_by=new,
    )  # fmt: skip
    _settle()
    page = html(item_url(item))
    assert "本文件已修订" in page and "修订后的文件" in page and item_url(new_item) in page


def test_catalogue_date_and_category_columns(org, clerk):
    unit = UnitFactory(organization=org, name="社会事务办")
    cat = services.category_save(
        organization=org, acting_user=clerk, category=None,
        data={
            "name": "社会救助", "code": "SJ", "content_elements": "低保对象名单",
            "basis": "《社会救助暂行办法》", "time_limit": "20个工作日", "channels": "公示栏",
            "unit": unit,
        },
        now=NOW,
    )  # fmt: skip
    _settle()
    page = html(reverse("portal:catalogue", args=[org.slug]))
    assert "目录更新日期" in page and "2026年3月2日" in page
    page = html(reverse("portal:category", args=[org.slug, cat.pk]))
    for text in ("公开内容", "低保对象名单", "公开依据", "公开时限", "公开渠道", "公示栏"):
        assert text in page
    assert "责任科室" in page and "社会事务办" in page
    api = Client().get(reverse("portal:api_catalogue", args=[org.slug])).json()
    row = api["categories"][0]
    assert (row["channels"], row["unit"]) == ("公示栏", "社会事务办")
    # A change moves the date on the cached page.
    services.category_save(
        organization=org, acting_user=clerk, category=cat, data={"channels": "网站"},
        now=NOW + dt.timedelta(days=30),
    )  # fmt: skip
    _settle()
    assert "2026年4月1日" in html(reverse("portal:catalogue", args=[org.slug]))


# --- a constant number of queries per new page (cold cache) ----------------------------------

NEW_PAGE_LIMITS = {
    "/{slug}/lists/": 4,
    "/{slug}/lists/withheld/": 4,
    "/{slug}/lists/withheld/1/": 4,
    "/{slug}/void/": 4,
    "/{slug}/catalogue/": 7,
}


def _queries(path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Client().get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("n", [1, 12])
def test_new_pages_do_not_grow_with_the_data(org, clerk, office_head, n):
    for i in range(n):
        add_and_publish(org, clerk, office_head, f"事项{i}", f"第{i}次", NOW + dt.timedelta(days=i))
        new = NormativeDocumentFactory(organization=org, title=f"新{i}")
        NormativeDocumentFactory(
            organization=org, title=f"旧{i}", status="abolished",
            abolished_on=dt.date(2025, 1, 1), replaced_by=new,
            item=publish(organization=org, title=f"旧文件{i}"),
        )  # fmt: skip
        CategoryFactory(organization=org, code=f"Q{i}", unit=UnitFactory(organization=org))
    _settle()
    for pattern, limit in NEW_PAGE_LIMITS.items():
        count = _queries(pattern.format(slug=org.slug))
        assert count <= limit, (pattern, count)


def test_nav_links_the_lists(org):
    page = html(reverse("portal:guide", args=[org.slug]))
    assert reverse("portal:lists", args=[org.slug]) in page


def test_proactive_list_page_shows_the_catalogue_columns(org, office_head):
    unit = UnitFactory(organization=org, name="社会事务办")
    CategoryFactory(
        organization=org, code="SJ", name="社会救助", content_elements="低保对象名单",
        basis="《社会救助暂行办法》", time_limit="20个工作日", channels="公示栏", unit=unit,
    )  # fmt: skip
    CategoryFactory(organization=org, code="HJ", name="户籍管理", applies=False, not_applicable_reason="无")  # fmt: skip
    services.list_publish(
        organization=org, kind=ListKind.PROACTIVE, acting_user=office_head, note="按目录", now=NOW
    )
    _settle()
    page = html(list_url(org, "proactive"))
    for text in (
        "社会救助",
        "低保对象名单",
        "《社会救助暂行办法》",
        "20个工作日",
        "公示栏",
        "社会事务办",
    ):
        assert text in page
    assert "户籍管理" not in page  # not applicable: not a 公开事项 of the body
