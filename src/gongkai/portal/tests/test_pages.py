"""Public pages end to end: content, the conventions, and what must never show."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.disclosure.factories import NormativeDocumentFactory
from gongkai.disclosure.models import Guide
from gongkai.reports.tests import factories

from .conftest import XSS

pytestmark = pytest.mark.django_db
HIDDEN = ("草稿不可见", "已撤回不可见", "依申请公开不可见")


def url(item) -> str:
    return reverse("portal:item", args=[item.organization.slug, item.pk])


def get(url, client=None):
    response = (client or Client()).get(url)
    return response, response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_district_home_lists_its_bodies(world):
    _, html = get("/")
    assert "测试区人民政府" in html and "测试镇人民政府" in html and "另一镇人民政府" in html
    response, html = get(reverse("portal:org", args=["test-district"]))
    assert response.status_code == 200
    assert "所属公开主体" in html and "测试镇人民政府" in html


def test_body_home_has_header_nav_and_latest(world):
    response, html = get(reverse("portal:org", args=["test-town"]))
    assert response.status_code == 200
    for label in (
        "信息公开指南",
        "公开制度",
        "法定主动公开内容",
        "政策解读",
        "年度报告",
        "依申请公开",
    ):
        assert label in html
    assert '<a class="skip-link" href="#main">' in html
    assert world["policy"].title in html
    assert not any(h in html for h in HIDDEN)


def test_catalogue_counts_include_subcategories(world):
    _, html = get(reverse("portal:catalogue", args=["test-town"]))
    assert '社会救助</a> <span class="count">（2）' in html
    assert '最低生活保障</a> <span class="count">（2）' in html
    _, html = get(reverse("portal:category", args=["test-town", world["parent"].pk]))
    assert world["policy"].title in html and world["interp"].title in html
    assert 'aria-label="当前位置"' in html


def test_item_page_metadata_interpretation_qr_share(world):
    policy = world["policy"]
    response, html = get(reverse("portal:item", args=["test-town", policy.pk]))
    assert response.status_code == 200
    for text in (
        "索引号",
        policy.index_number,
        "发布机构",
        "成文日期",
        "发布日期",
        "甘政发〔2024〕3号",
    ):
        assert text in html
    assert "相关解读" in html and world["interp"].title in html
    assert "<svg" in html and 'class="qr"' in html
    assert "【测试镇人民政府】关于调整城乡低保标准的通知（甘政发〔2024〕3号）" in html
    assert "http://testserver/test-town/items/" in html
    # The interpretation links back to its policy.
    _, html = get(reverse("portal:item", args=["test-town", world["interp"].pk]))
    assert "的解读" in html and policy.title in html


def test_normative_document_validity(world, org):
    import datetime as dt

    NormativeDocumentFactory(
        organization=org, title="现行办法", item=world["policy"], issued_on=dt.date(2024, 1, 1)
    )
    NormativeDocumentFactory(
        organization=org,
        title="已废止办法",
        issued_on=dt.date(2020, 1, 1),
        status="abolished",
        abolished_on=dt.date(2023, 1, 1),
    )
    _, html = get(reverse("portal:item", args=["test-town", world["policy"].pk]))
    assert "效力状态" in html and "现行有效" in html
    NormativeDocumentFactory(
        organization=org,
        title="过期办法",
        issued_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2022, 12, 31),  # status still "issued": the dates decide
    )
    _, html = get(reverse("portal:rules", args=["test-town"]))
    assert "现行办法" in html and "已废止办法" in html and "已废止" in html
    assert "条例第二十六条" in html
    row = html[html.index("过期办法") :].split("</tr>")[0]
    assert "已失效" in row and "现行有效" not in row


@pytest.mark.parametrize("key", ["draft", "withdrawn", "recorded"])
def test_hidden_items_are_404_everywhere(world, key):
    item = world[key]
    assert Client().get(reverse("portal:item", args=["test-town", item.pk])).status_code == 404
    assert Client().get(reverse("portal:api_item", args=[item.pk])).status_code == 404
    for url in (
        reverse("portal:items", args=["test-town"]),
        reverse("portal:feed", args=["test-town"]),
        reverse("portal:api_items", args=["test-town"]),
        reverse("portal:search") + "?q=不可见",
        reverse("portal:search") + "?q=低保",
        "/",
    ):
        assert item.title not in get(url)[1], url


def test_item_of_another_body_is_not_served_under_this_body(world):
    other = world["other"]
    assert Client().get(reverse("portal:item", args=["test-town", other.pk])).status_code == 404
    assert Client().get(reverse("portal:item", args=["other-town", other.pk])).status_code == 200


def test_inactive_body_disappears(world, other_org):
    other_org.is_active = False
    other_org.save()
    assert Client().get(reverse("portal:org", args=["other-town"])).status_code == 404
    assert Client().get(reverse("portal:api_item", args=[world["other"].pk])).status_code == 404
    assert world["other"].title not in get(reverse("portal:search") + "?q=低保")[1]
    assert "另一镇人民政府" not in get("/")[1]


def test_user_text_is_escaped_everywhere(world):
    xss = world["xss"]
    urls = [
        reverse("portal:item", args=["test-town", xss.pk]),
        reverse("portal:items", args=["test-town"]),
        reverse("portal:org", args=["test-town"]),
        reverse("portal:search") + "?q=" + XSS,
        reverse("portal:search") + "?q=标题",
        reverse("portal:feed", args=["test-town"]),
        reverse("portal:screen", args=["test-town"]),
    ]
    for url in urls:
        response, html = get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in html, url
        # Escaped text may still read "onerror"; what must never appear is a live tag.
        assert not re.search(r"<img[^>]*onerror", html), url


def test_search_page_filters_and_highlight(world):
    response = Client().get(reverse("portal:search") + "?q=甘政发[2024]3号")
    html = response.content.decode()
    assert response.status_code == 200
    assert "找到 <strong>1</strong> 条" in html
    assert "<mark>甘政发〔2024〕3号</mark>" in html
    _, html = get(reverse("portal:search") + "?q=低保&org=other-town")
    assert world["other"].title in html and world["policy"].title not in html
    _, html = get(reverse("portal:search") + "?q=低保&kind=interpretation")
    assert url(world["interp"]) in html and url(world["policy"]) not in html
    _, html = get(reverse("portal:search") + f"?q=低保&org=test-town&category={world['parent'].pk}")
    assert world["policy"].title in html and "甘河滩村低保对象名单公示" not in html
    response, html = get(reverse("portal:search") + "?q=低保&year=abc&page=xyz")
    assert response.status_code == 200
    _, html = get(reverse("portal:search") + "?q=！！")
    assert "请输入要检索的字词" in html


def test_guide_page(world, org):
    _, html = get(reverse("portal:guide", args=["test-town"]))
    assert "尚未发布政府信息公开指南" in html
    from django.utils import timezone

    Guide.objects.create(organization=org, text="第一部分\n受理机构", updated_at=timezone.now())
    _, html = get(reverse("portal:guide", args=["test-town"]))
    assert "受理机构" in html


def test_interpretations_page(world):
    _, html = get(reverse("portal:interpretations", args=["test-town"]))
    assert url(world["interp"]) in html and "解读：《关于调整城乡低保标准的通知》" in html
    assert url(world["policy"]) not in html


def test_apply_page_explains_the_process(world):
    _, html = get(reverse("portal:apply", args=["test-town"]))
    for article in (
        "条例第二十七条",
        "条例第二十九条",
        "条例第三十条",
        "条例第三十一条",
        "条例第三十三条",
    ):
        assert article in html
    assert 'class="flow"' in html and "csrfmiddlewaretoken" in html


def test_reports_without_any(world):
    _, html = get(reverse("portal:reports", args=["test-town"]))
    assert "本机关尚未发布年度报告" in html
    assert Client().get(reverse("portal:report", args=["test-town", 2024])).status_code == 404


def test_reports_published(world, org):
    factories.published(org, 2024, section_1="总体情况正文<script>x</script>")
    _, html = get(reverse("portal:reports", args=["test-town"]))
    assert "2024年政府信息公开工作年度报告" in html
    response, html = get(reverse("portal:report", args=["test-town", 2024]))
    assert response.status_code == 200
    assert "总体情况正文" in html and "<script>x" not in html
    assert "<table" in html
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("json", b"{")):
        response = Client().get(reverse("portal:report_download", args=["test-town", 2024, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(magic)
        assert "attachment" in response["Content-Disposition"]
    assert Client().get("/test-town/reports/2024.exe").status_code == 404
    data = Client().get(reverse("portal:api_reports", args=["test-town"])).json()
    assert data["reports"][0]["year"] == 2024


def test_care_mode_persists_and_next_is_checked(world):
    client = Client()
    response = client.post(reverse("portal:care"), {"on": "1", "next": "/test-town/"})
    assert response.status_code == 302 and response["Location"] == "/test-town/"
    assert client.cookies["care_mode"].value == "1"
    _, html = get("/test-town/guide/", client)
    assert 'class="portal care"' in html and "退出关怀模式" in html
    response = client.post(reverse("portal:care"), {"on": "0", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    _, html = get("/test-town/guide/", client)
    assert 'class="portal"' in html
    assert Client().get(reverse("portal:care")).status_code == 405


def test_care_toggle_needs_no_csrf_token_and_keeps_next_local(world):
    # Deliberately CSRF-exempt (views.care_toggle): it sets only the caller's own
    # display preference, and a token on every public page would set a cookie.
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:care"), {"on": "1", "next": "//evil.example/x"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["care_mode"].value == "1"


def test_feeds(world):
    response = Client().get(reverse("portal:feed", args=["test-town"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert world["policy"].title in body and "<feed" in body
    response = Client().get(reverse("portal:category_feed", args=["test-town", world["parent"].pk]))
    body = response.content.decode()
    assert world["policy"].title in body and "甘河滩村低保对象名单公示" not in body
    assert (
        Client().get(reverse("portal:category_feed", args=["test-town", 999999])).status_code == 404
    )


def test_api(world):
    client = Client()
    data = client.get(reverse("portal:api_organizations")).json()
    assert {o["slug"] for o in data["results"]} == {"test-district", "test-town", "other-town"}
    data = client.get(reverse("portal:api_items", args=["test-town"]) + "?page_size=2").json()
    assert data["count"] == 6 and len(data["results"]) == 2 and data["next"]
    page2 = client.get(data["next"]).json()
    assert page2["page"] == 2 and page2["previous"]
    assert (
        client.get(reverse("portal:api_items", args=["test-town"]) + "?page=99").status_code == 404
    )
    assert (
        client.get(reverse("portal:api_items", args=["test-town"]) + "?kind=zzz").status_code == 400
    )
    data = client.get(reverse("portal:api_item", args=[world["policy"].pk])).json()
    assert data["document_number"] == "甘政发〔2024〕3号"
    assert data["interpretations"] == [world["interp"].pk]
    cat = client.get(reverse("portal:api_catalogue", args=["test-town"])).json()
    counts = {c["name"]: c["item_count"] for c in cat["categories"]}
    assert counts == {"社会救助": 2, "最低生活保障": 2}
    filtered = client.get(
        reverse("portal:api_items", args=["test-town"]) + f"?category={world['parent'].pk}"
    ).json()
    assert filtered["count"] == 2
    assert client.get(reverse("portal:api_items", args=["nope"])).status_code == 404


def test_screen_shows_current_notices_only(world):
    response, html = get(reverse("portal:screen", args=["test-town"]))
    assert response.status_code == 200
    assert world["notice1"].title in html and world["notice2"].title in html
    assert "过期公示" not in html and world["policy"].title not in html
    data = Client().get(reverse("portal:screen_data", args=["test-town"])).json()
    assert [n["title"] for n in data["notices"]] == [world["notice2"].title, world["notice1"].title]
    assert set(data["notices"][0]) == {"id", "title", "number", "body", "notice_from", "notice_to"}


def test_attachment_download(world, tmp_path, settings):
    from gongkai.disclosure.models import Attachment
    from gongkai.uploads import in_memory, store_upload

    settings.MEDIA_ROOT = tmp_path
    path = store_upload(
        in_memory(b"plain text", "a.txt"), organization=world["org"], subdir="items"
    )
    att = Attachment.objects.create(
        item=world["policy"], path=path, original_name="附件一.txt", kind="txt", size=10,
        uploaded_by=world["policy"].created_by,
    )  # fmt: skip
    url = reverse("portal:attachment", args=["test-town", world["policy"].pk, att.pk])
    response = Client().get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"plain text"
    assert "attachment" in response["Content-Disposition"]
    hidden = reverse("portal:attachment", args=["test-town", world["draft"].pk, att.pk])
    assert Client().get(hidden).status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/items/99999/", 404),
        ("/api/v1/items/abc/", 404),
        ("/api/v1/nothing-here/", 404),
        ("/api/v1/organizations/nope/items/", 404),
        ("/api/v1/organizations/nope/catalogue/", 404),
        ("/api/v1/organizations/test-town/reports/1999/", 404),
        ("/api/v1/organizations/test-town/items/?page=99", 404),
        ("/api/v1/organizations/test-town/items/?page=abc", 400),
        ("/api/v1/organizations/test-town/items/?page=0", 400),
        ("/api/v1/organizations/test-town/items/?page_size=0", 400),
        ("/api/v1/organizations/test-town/items/?page_size=101", 400),
        ("/api/v1/organizations/test-town/items/?page_size=x", 400),
        ("/api/v1/organizations/test-town/items/?category=x", 400),
        ("/api/v1/organizations/test-town/items/?kind=zzz", 400),
        ("/api/v1/organizations/?page=-1", 400),
    ],
)
def test_api_errors_are_json(world, path, status):
    response = Client().get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert set(data) <= {"error", "count"} and data["error"]
    if status == 404 and "page=" not in path:
        assert data == {"error": "未找到"}


def test_api_refuses_other_methods_in_json(world):
    response = Client().post(reverse("portal:api_organizations"))
    assert response.status_code == 405 and response.json() == {"error": "只支持 GET 请求"}


def test_api_documentation_is_a_portal_page(world):
    index = Client().get(reverse("portal:api_index")).json()
    assert index["documentation"] == "http://testserver/api/"
    response, html = get(index["documentation"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "开放数据接口说明" in html and "http://testserver/api/v1/" in html
    for field in ("index_number", "page_size", "not_applicable_reason", '{"error"'):
        assert field in html, field
    # Every page's footer links to it rather than to the raw JSON index.
    _, home = get("/")
    assert 'href="/api/">开放数据接口' in home


def test_api_returns_stored_text_as_is_and_pages_escape_it(world):
    xss = world["xss"]
    detail = Client().get(reverse("portal:api_item", args=[xss.pk])).json()
    assert detail["title"] == f"{XSS}标题" == xss.title
    assert detail["body"] == xss.body and detail["body_format"] == "plain"
    listed = Client().get(reverse("portal:api_items", args=["test-town"]) + "?page_size=100")
    assert f"{XSS}标题" in [r["title"] for r in listed.json()["results"]]
    _, html = get(reverse("portal:item", args=["test-town", xss.pk]))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;标题" in html


def test_api_html_body_is_cleaned_like_the_page(world):
    from gongkai.disclosure.models import Item

    policy = world["policy"]
    # Bypass the services (which sanitise) to prove the API cleans as the page does.
    Item.objects.filter(pk=policy.pk).update(
        body="<p>正文</p><script>alert(1)</script>", body_format="html"
    )
    data = Client().get(reverse("portal:api_item", args=[policy.pk])).json()
    assert data["body"] == "<p>正文</p>"
    _, html = get(reverse("portal:item", args=["test-town", policy.pk]))
    assert "<p>正文</p>" in html and "<script>alert(1)" not in html


def test_reports_link_to_the_graphic_page(world, org):
    factories.published(org, 2024)
    graphic = reverse("reports_public:graphic", args=["test-town", 2024])
    _, listing = get(reverse("portal:reports", args=["test-town"]))
    assert f'href="{graphic}">图解</a>' in listing
    _, page = get(reverse("portal:report", args=["test-town", 2024]))
    assert f'href="{graphic}"' in page and "图解" in page
    assert Client().get(graphic).status_code == 200


def test_reports_without_the_graphic_page(world, org, monkeypatch):
    factories.published(org, 2024)
    from gongkai.portal import views

    def missing(name, args=None):
        raise views.NoReverseMatch(name)

    # views.reverse is used only by graphic_url (templates reverse on their own).
    monkeypatch.setattr(views, "reverse", missing)
    assert views.graphic_url("test-town", 2024) is None
    response, listing = get(reverse("portal:reports", args=["test-town"]))
    assert response.status_code == 200 and "2024年政府信息公开工作年度报告" in listing
    assert "图解" not in listing
    response, page = get(reverse("portal:report", args=["test-town", 2024]))
    assert response.status_code == 200 and "图解" not in page
    monkeypatch.undo()
    assert views.graphic_url("test-town", 2024) == "/reports/test-town/2024/graphic/"


def test_breadcrumbs_mark_the_current_page_instead_of_linking_to_it(world):
    _, home = get("/")
    assert '<li aria-current="page">首页</li>' in home
    _, org_home = get(reverse("portal:org", args=["test-town"]))
    assert '<li aria-current="page">测试镇人民政府</li>' in org_home
    assert '<li><a href="/">首页</a></li>' in org_home
    _, guide = get(reverse("portal:guide", args=["test-town"]))
    assert '<li><a href="/test-town/">测试镇人民政府</a></li>' in guide
