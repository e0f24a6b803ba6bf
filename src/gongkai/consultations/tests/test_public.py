"""Portal pages: lists, the draft, the online form (CSRF, rate limit, closed after the
end date), no personal data in any public HTML, the 采纳情况 and the links both ways."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings

from gongkai.consultations.models import Comment
from gongkai.consultations.services import (
    comment_decide,
    comment_moderate,
    comment_record,
    consultation_publish_feedback,
)
from gongkai.disclosure.factories import PublishedItemFactory

from .conftest import at

pytestmark = pytest.mark.django_db

NAME, PHONE = "欧阳春花", "13712345678"
OPEN_DAY = at(dt.date(2025, 3, 10))


def url(c, suffix=""):
    return f"/{c.organization.slug}/consultations/{c.pk}/{suffix}"


@time_machine.travel(OPEN_DAY, tick=False)
def test_list_and_detail_while_open(make_published):
    open_one = make_published(title="正在征集的草案")
    page = Client().get(f"/{open_one.organization.slug}/consultations/")
    assert page.status_code == 200 and "正在征集的草案" in page.text and "正在征集" in page.text
    detail = Client().get(url(open_one))
    assert detail.status_code == 200
    for text in (
        "起草说明",
        "提出意见的方式",
        "信函",
        "yijian@example.gov.cn",
        "隐私说明",
        "提交意见",
    ):
        assert text in detail.text


def test_drafts_are_not_public(org, clerk):
    from gongkai.consultations.services import consultation_create

    from .conftest import draft

    c = consultation_create(organization=org, acting_user=clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 27)))  # fmt: skip
    assert Client().get(url(c)).status_code == 404
    assert c.title not in Client().get(f"/{org.slug}/consultations/").text


@time_machine.travel(OPEN_DAY, tick=False)
def test_comment_is_stored_and_personal_data_never_shown(make_published):
    c = make_published()
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(c))
    token = page.cookies["csrftoken"].value
    response = client.post(
        url(c, "comment/"),
        {"content": "建议增设公厕。", "name": NAME, "contact": PHONE, "consented": "on",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url(c, "thanks/")
    comment = Comment.objects.get()
    assert (comment.name, comment.contact, comment.channel) == (NAME, PHONE, "online")
    for path in (url(c), url(c, "thanks/"), f"/{c.organization.slug}/consultations/"):
        html = Client().get(path).text
        assert NAME not in html and PHONE not in html


@time_machine.travel(OPEN_DAY, tick=False)
def test_comment_without_csrf_token_is_refused(make_published):
    c = make_published()
    response = Client(enforce_csrf_checks=True).post(
        url(c, "comment/"), {"content": "x", "consented": "on"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


@time_machine.travel(OPEN_DAY, tick=False)
def test_consent_is_required(make_published):
    c = make_published()
    response = Client().post(url(c, "comment/"), {"content": "建议"})
    assert response.status_code == 400 and "请阅读隐私说明并勾选同意" in response.text
    assert not Comment.objects.exists()


@override_settings(GONGKAI_RATE_LIMITS={"comment": (2, 3600)})
@time_machine.travel(OPEN_DAY, tick=False)
def test_rate_limit_answers_429_in_chinese(make_published):
    c = make_published()
    client = Client()
    for _ in range(2):
        assert (
            client.post(url(c, "comment/"), {"content": "建议", "consented": "on"}).status_code
            == 302
        )
    response = client.post(url(c, "comment/"), {"content": "建议", "consented": "on"})
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode() and int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 2


def test_comment_refused_after_the_end_date(make_published):
    c = make_published()  # 1 to 31 March 2025
    with time_machine.travel(at(dt.date(2025, 4, 1), 8), tick=False):
        page = Client().get(url(c))
        assert "提交意见" not in page.text and "已于2025年3月31日截止" in page.text
        response = Client().post(url(c, "comment/"), {"content": "迟到的意见", "consented": "on"})
    assert response.status_code == 403
    assert "已于2025年03月31日截止，不再接受意见" in response.text
    assert not Comment.objects.exists()


def test_feedback_page_and_links_both_ways(make_published, comment_on, clerk, org):
    c = make_published(title="农村人居环境整治方案（征求意见稿）")
    a = comment_on(c, day=dt.date(2025, 3, 5), content="建议增设垃圾投放点。", name=NAME,
                   contact=PHONE)  # fmt: skip
    b = comment_on(c, day=dt.date(2025, 3, 6), name=NAME,
                   content=f"我叫{NAME}，电话{PHONE}，建议取消卫生费。")  # fmt: skip
    fax = comment_record(consultation=c, channel="fax", content="建议公开保洁考核。",
                         received_on=dt.date(2025, 3, 8), name="东村村委会", acting_user=clerk,
                         now=at(dt.date(2025, 3, 9)))  # fmt: skip
    for x in (a, b, fax):
        comment_moderate(comment=x, accept=True, acting_user=clerk, now=at(dt.date(2025, 3, 20)))
    later = at(dt.date(2025, 4, 2))
    comment_decide(comment=a, decision="adopted", summary="增设垃圾投放点", acting_user=clerk,
                   now=later)  # fmt: skip
    # The clerk's summary repeats the commenter's name and phone: masked on the way in.
    comment_decide(comment=b, decision="not_adopted", reason="方案未设收费项目。",
                   summary=f"{NAME}（{PHONE}）建议取消卫生费", acting_user=clerk,
                   now=later)  # fmt: skip
    comment_decide(comment=fax, decision="partly", reason="考核结果在村务公开栏公布。",
                   summary="建议公开保洁员考核结果", acting_user=clerk, now=later)  # fmt: skip
    final = PublishedItemFactory(organization=org, title="农村人居环境整治方案")
    other_item = PublishedItemFactory(organization=org, title="无关的通知")
    consultation_publish_feedback(consultation=c, final_item=final, acting_user=clerk,
                                  now=at(dt.date(2025, 4, 3)))  # fmt: skip
    html = Client().get(url(c)).text
    assert "意见采纳情况" in html
    assert "共收到意见建议3条" in html and "网上留言2条" in html and "传真1条" in html
    assert "采纳1条，部分采纳1条，未采纳1条" in html
    assert "方案未设收费项目。" in html and "考核结果在村务公开栏公布。" in html
    assert "建议取消卫生费" in html  # the masked summary of the not-adopted point
    assert NAME not in html and PHONE not in html and "东村村委会" not in html
    assert f"/{org.slug}/items/{final.pk}/" in html
    item_page = Client().get(f"/{org.slug}/items/{final.pk}/").text
    assert url(c) in item_page and "公开征求了意见" in item_page
    # An item without a consultation shows nothing of the kind.
    assert "公开征求了意见" not in Client().get(f"/{org.slug}/items/{other_item.pk}/").text


@time_machine.travel(OPEN_DAY, tick=False)
def test_org_home_links_to_consultations(org):
    assert f"/{org.slug}/consultations/" in Client().get(f"/{org.slug}/").text


@time_machine.travel(OPEN_DAY, tick=False)
def test_html_body_is_rendered_sanitised(make_published):
    c = make_published(body="<p>第一条</p><img src=x onerror=alert(1)>", body_format="html")
    html = Client().get(url(c)).text
    assert "<p>第一条</p>" in html and "onerror" not in html
