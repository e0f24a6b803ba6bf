"""Portal fixtures: a small published world with everything that must stay hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.disclosure.factories import CategoryFactory, ItemFactory, PublishedItemFactory
from gongkai.disclosure.models import Item
from gongkai.search.indexing import index_item

XSS = "<script>alert('x')</script>"


def publish(**kwargs) -> Item:
    item = PublishedItemFactory(**kwargs)
    index_item(item)
    return item


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(org, other_org, district):
    today = timezone.localdate()
    parent = CategoryFactory(organization=org, name="社会救助", code="SJ")
    child = CategoryFactory(organization=org, name="最低生活保障", code="SJ-01", parent=parent)
    policy = publish(
        organization=org,
        title="关于调整城乡低保标准的通知",
        document_number="甘政发〔2024〕3号",
        body="城乡低保标准提高到每人每月780元。",
        kind=Item.Kind.POLICY,
        category=child,
    )
    interp = publish(
        organization=org,
        title="《关于调整城乡低保标准的通知》政策解读",
        body="一图读懂低保标准调整。",
        kind=Item.Kind.INTERPRETATION,
        interprets=policy,
        category=child,
    )
    notice1 = publish(
        organization=org,
        title="甘河滩村低保对象名单公示",
        body="公示期内如有异议请反映。",
        kind=Item.Kind.LIST,
        notice_from=today - dt.timedelta(days=1),
        notice_to=today + dt.timedelta(days=5),
    )
    notice2 = publish(
        organization=org,
        title="柳林村特困供养人员公示",
        body="特困供养公示。",
        kind=Item.Kind.LIST,
        notice_from=today,
        notice_to=today + dt.timedelta(days=2),
    )
    expired = publish(
        organization=org,
        title="过期公示",
        kind=Item.Kind.LIST,
        notice_from=today - dt.timedelta(days=20),
        notice_to=today - dt.timedelta(days=10),
    )
    xss = publish(
        organization=org, title=f"{XSS}标题", body=f"<img src=x onerror=alert(1)>{XSS}正文"
    )
    draft = ItemFactory(organization=org, title="草稿不可见低保")
    withdrawn = PublishedItemFactory(
        organization=org, title="已撤回不可见低保", status=Item.Status.WITHDRAWN
    )
    recorded = PublishedItemFactory(
        organization=org,
        title="依申请公开不可见低保",
        status=Item.Status.RECORDED,
        attribute=Item.Attribute.ON_REQUEST,
        attribute_reason="个人信息",
        attribute_basis="条例第十五条",
    )
    other = publish(organization=other_org, title="另一镇低保公告")
    return {
        "org": org,
        "other_org": other_org,
        "district": district,
        "parent": parent,
        "child": child,
        "policy": policy,
        "interp": interp,
        "notice1": notice1,
        "notice2": notice2,
        "expired": expired,
        "xss": xss,
        "draft": draft,
        "withdrawn": withdrawn,
        "recorded": recorded,
        "other": other,
    }
