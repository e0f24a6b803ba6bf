"""The portal: asking (CSRF, privacy notice, rate limit 429 in Chinese), the
receipt and the status look-up, and the published Q&A without personal data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .. import services
from ..models import Inquiry
from .conftest import ASKER, EMAIL, ID_NUMBER, PHONE, at

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "suggest",
    "subject": "建议增设路灯",
    "content": f"滩北路口没有路灯。我叫{ASKER}，电话{PHONE}，身份证{ID_NUMBER}。",
    "asker_name": ASKER,
    "phone": PHONE,
    "email": EMAIL,
    "consent_publish": "on",
    "privacy_ack": "on",
}


def ask_url(org):
    return reverse("portal_inquiries:ask", args=[org.slug])


def test_ask_page_shows_privacy_notice(client, org):
    html = client.get(ask_url(org)).content.decode()
    assert "个人信息保护说明" in html and "不会在网站上公开" in html
    assert "csrfmiddlewaretoken" in html


def test_org_home_links_to_inquiries(client, org):
    html = client.get(reverse("portal:org", args=[org.slug])).content.decode()
    assert reverse("portal_inquiries:list", args=[org.slug]) in html


def test_ask_receipt_and_status(client, org):
    r = client.post(ask_url(org), FORM)
    assert r.status_code == 302
    q = Inquiry.objects.get()
    assert q.consent_publish is True and q.kind == "suggest"
    receipt = client.get(r["Location"]).content.decode()
    assert q.tracking_code in receipt
    status_url = reverse("portal_inquiries:status", args=[org.slug])
    html = client.post(
        status_url, {"tracking_code": q.tracking_code.lower(), "phone_last4": "5678"}
    ).content.decode()
    assert "已收到" in html and "答复期限" in html
    wrong = client.post(
        status_url, {"tracking_code": q.tracking_code, "phone_last4": "0000"}
    ).content.decode()
    assert "没有找到对应的留言" in wrong


def test_receipt_of_someone_else_redirects(client, org, ask):
    q = ask()
    r = client.get(reverse("portal_inquiries:receipt", args=[org.slug, q.tracking_code]))
    assert r.status_code == 302
    assert r["Location"] == reverse("portal_inquiries:status", args=[org.slug])


def test_ask_needs_privacy_ack_and_keeps_input(client, org):
    data = dict(FORM)
    del data["privacy_ack"]
    r = client.post(ask_url(org), data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "请确认已阅读个人信息保护说明" in html
    assert "建议增设路灯" in html
    assert Inquiry.objects.count() == 0


def test_ask_bad_phone_chinese_message(client, org):
    r = client.post(ask_url(org), {**FORM, "phone": "abc"})
    assert r.status_code == 400
    assert "请填写有效的联系电话" in r.content.decode()


def test_ask_requires_csrf(org):
    c = Client(enforce_csrf_checks=True)
    r = c.post(ask_url(org), FORM)
    assert r.status_code == 403
    assert Inquiry.objects.count() == 0


def test_rate_limit_429_in_chinese(client, org, settings):
    settings.GONGKAI_RATE_LIMITS = {**settings.GONGKAI_RATE_LIMITS, "inquiry": (2, 3600)}
    for _ in range(2):
        assert client.post(ask_url(org), FORM).status_code == 302
    r = client.post(ask_url(org), FORM)
    assert r.status_code == 429
    assert "提交过于频繁" in r.content.decode()
    assert int(r["Retry-After"]) > 0
    assert Inquiry.objects.count() == 2


def test_rate_setting_parsed_from_environment(monkeypatch):
    from gongkai.config.settings import _rate_env

    monkeypatch.setenv("GONGKAI_RATE_INQUIRY", "3/600")
    assert _rate_env("GONGKAI_RATE_INQUIRY", (5, 3600)) == (3, 600)


def _published(ask, clerk, **kw):
    q = services.inquiry_answer(
        inquiry=ask(**kw),
        answer=f"{ASKER}您好：已列入亮化工程。如有疑问请拨打0000-12345678。",
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    return services.inquiry_publish(inquiry=q, acting_user=clerk, now=at(2025, 10, 9))


def test_public_pages_never_show_personal_data(client, org, ask, clerk):
    q = _published(ask, clerk)
    pages = [
        client.get(reverse("portal_inquiries:list", args=[org.slug])),
        client.get(reverse("portal_inquiries:detail", args=[org.slug, q.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for secret in (ASKER, PHONE, ID_NUMBER, EMAIL):
            assert secret not in html
        assert "王**" in html
    detail = pages[1].content.decode()
    # The body's own published phone (its 公开指南) stays.
    assert "0000-12345678" in detail
    assert "高龄津贴怎么申请" in detail


def test_not_consented_or_unpublished_not_public(client, org, ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(consent_publish=False), answer="答复。", acting_user=clerk, now=at(2025, 10, 9)
    )
    html = client.get(reverse("portal_inquiries:list", args=[org.slug])).content.decode()
    assert "暂无公开的问答" in html
    assert client.get(reverse("portal_inquiries:detail", args=[org.slug, q.pk])).status_code == 404
    p = _published(ask, clerk)
    services.inquiry_unpublish(inquiry=p, acting_user=clerk, now=at(2025, 10, 10))
    assert client.get(reverse("portal_inquiries:detail", args=[org.slug, p.pk])).status_code == 404


def test_published_qa_of_another_body_not_under_this_slug(client, org, other_org, ask, clerk):
    q = _published(ask, clerk)
    r = client.get(reverse("portal_inquiries:detail", args=[other_org.slug, q.pk]))
    assert r.status_code == 404


def test_status_shows_answer_and_answered_stage(client, org, ask, clerk):
    q = _published(ask, clerk)
    html = client.post(
        reverse("portal_inquiries:status", args=[org.slug]),
        {"tracking_code": q.tracking_code, "phone_last4": PHONE[-4:]},
    ).content.decode()
    assert "已答复" in html and "已列入亮化工程" in html


def test_status_rate_limited(client, org, settings):
    settings.GONGKAI_RATE_LIMITS = {**settings.GONGKAI_RATE_LIMITS, "status": (1, 600)}
    url = reverse("portal_inquiries:status", args=[org.slug])
    assert client.post(url, {"tracking_code": "X", "phone_last4": "1234"}).status_code == 200
    assert client.post(url, {"tracking_code": "X", "phone_last4": "1234"}).status_code == 429


def test_public_get_only(client, org):
    url = reverse("portal_inquiries:list", args=[org.slug])
    assert client.post(url).status_code == 405
