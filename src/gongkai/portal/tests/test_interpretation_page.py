"""The public page of a 政策解读 package and of a reposted / signed-off item:
what is shown, escaped, cached and invalidated, and what it costs in queries."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from gongkai.disclosure.models import InterpretationContent, InterpretationFigure, Item
from gongkai.uploads import store_upload

from .conftest import XSS, publish
from .test_pagecache import _settle, html, item_url, warm

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def package(org, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    policy = publish(organization=org, title="关于提高养老补贴的通知", kind=Item.Kind.POLICY)
    interp = publish(
        organization=org,
        title="《关于提高养老补贴的通知》政策解读",
        kind=Item.Kind.INTERPRETATION,
        interprets=policy,
        body="解读正文。",
    )
    InterpretationContent.objects.create(
        item=interp,
        background=f"老龄人口增加。{XSS}",
        purpose="提高补贴标准。",
        measures="每月增加50元。",
        qa=[
            {"question": "谁可以领取？", "answer": "80周岁以上老人。"},
            {"question": f"何时发放？{XSS}", "answer": "每月10日。"},
        ],
        videos=[{"title": "视频解读", "url": "https://video.example.gov.cn/1.mp4"}],
    )
    from gongkai.uploads import in_memory

    path = store_upload(
        in_memory(png_bytes(), "fig.png"),
        organization=org,
        subdir="disclosure/figures",
        allowed={"png"},
    )
    figure = InterpretationFigure.objects.create(
        item=interp,
        path=path,
        original_name="fig.png",
        kind="png",
        size=10,
        width=8,
        height=6,
        alt_text="补贴标准对比图：从每月100元提高到150元",
        uploaded_by=clerk,
    )
    _settle()
    return {"policy": policy, "interp": interp, "figure": figure}


def test_package_shows_sections_pairs_figures_and_video_links(package):
    interp = package["interp"]
    page = html(item_url(interp))
    for label in ("背景", "目的", "主要举措", "简明问答", "图解", "视频解读"):
        assert label in page
    # 简明问答 as question/answer pairs of a definition list.
    assert '<dl class="qa"><dt>问：谁可以领取？</dt><dd>答：80周岁以上老人。</dd>' in page
    assert 'alt="补贴标准对比图：从每月100元提高到150元"' in page
    assert (
        '<a href="https://video.example.gov.cn/1.mp4" rel="noopener noreferrer nofollow">视频解读</a>'
        in page
    )
    assert "<iframe" not in page and "<video" not in page  # no embedded third-party player
    # Plain text, escaped: nothing the clerk typed becomes markup.
    assert XSS not in page and "&lt;script&gt;" in page
    # Links both ways.
    assert item_url(package["policy"]) in page
    assert item_url(interp) in html(item_url(package["policy"]))


def test_figure_is_served_for_public_items_only(package, org):
    interp, figure = package["interp"], package["figure"]
    url = reverse("portal:figure", args=[org.slug, interp.pk, figure.pk])
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    Item.objects.filter(pk=interp.pk).update(status=Item.Status.WITHDRAWN)
    assert Client().get(url).status_code == 404


def test_editing_the_package_of_a_published_interpretation_changes_the_page(package):
    interp = package["interp"]
    warm(item_url(interp))
    content = interp.interpretation_content
    content.measures = "每月增加80元。"
    content.save()
    assert pagecache_flushed()
    assert "每月增加80元。" in html(item_url(interp))
    warm(item_url(interp))
    package["figure"].delete()
    assert pagecache_flushed()
    assert "补贴标准对比图" not in html(item_url(interp))


def pagecache_flushed() -> bool:
    from .. import pagecache

    return pagecache._flush in _settle()


def _cold_queries(path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Client().get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries)


def test_interpretation_page_queries_are_bounded(package, clerk, django_assert_max_num_queries):
    path = item_url(package["interp"])
    before = _cold_queries(path)
    for n in range(3):  # more 图解 and pairs cost no query
        InterpretationFigure.objects.create(
            item=package["interp"], path=package["figure"].path, original_name=f"{n}.png",
            kind="png", size=10, width=8, height=6, alt_text=f"第{n}张", uploaded_by=clerk,
        )  # fmt: skip
    _settle()
    assert _cold_queries(path) == before
    # The policy page's budget (test_pagecache.QUERY_LIMITS: 8), one for the
    # interpreted policy's link, two for the package (content, figures).
    Client().get(path)
    cache.clear()
    with django_assert_max_num_queries(11):
        assert Client().get(path).status_code == 200


def test_repost_source_and_signoff_are_shown(org):
    item = publish(
        organization=org,
        title="转载：省里的通知",
        is_reposted=True,
        source_name="省人民政府网站",
        source_url="https://www.example.gov.cn/a/1.html",
        signoff_drafter="党政办公室经办人",
        signoff_reviewer="保密审查员",
        signoff_approver="审批领导",
    )
    plain = publish(organization=org, title="本机关原创")
    _settle()
    page = html(item_url(item))
    assert "信息来源" in page and "省人民政府网站" in page and "（转载）" in page
    assert 'href="https://www.example.gov.cn/a/1.html"' in page
    assert "党政办公室经办人" in page and "保密审查员 / 审批领导" in page
    other = html(item_url(plain))
    assert "信息来源" not in other and "拟稿" not in other
