"""Online application: validation, receipt, status look-up, abuse limits."""

from __future__ import annotations

import logging
import random
import re

import pytest
import time_machine
from django.test import Client, RequestFactory

from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent
from gongkai.portal import ratelimit
from gongkai.portal.forms import ApplyForm
from gongkai.privacy.sample import make_id

pytestmark = pytest.mark.django_db
VALID_ID = make_id(random.Random(1))
APPLY = "/test-town/apply/"


def form_data(**over):
    data = {
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_number": VALID_ID,
        "phone": "138 0013 8000",
        "email": "zhang@example.com",
        "address": "",
        "description": "2024年甘河滩村低保对象名单及评议记录",
        "form_wanted": "electronic",
        "delivery": "email",
        "confirm": "on",
    }
    data.update(over)
    return data


def test_id_fixture_is_valid():
    from gongkai.privacy import valid_id_number

    assert valid_id_number(VALID_ID)


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        (
            {"id_number": VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")},
            "id_number",
            "校验码",
        ),
        ({"id_number": ""}, "id_number", "请填写身份证号码"),
        (
            {"applicant_type": "commercial", "id_number": "123"},
            "id_number",
            "统一社会信用代码不正确",
        ),
        ({"phone": "12345"}, "phone", "联系电话格式不正确"),
        ({"phone": ""}, "phone", "请填写联系电话"),
        ({"description": "  "}, "description", "请描述"),
        ({"description": "x" * 2001}, "description", "不能超过2000个字"),
        ({"email": "", "delivery": "email"}, "email", "请填写电子邮箱"),
        ({"delivery": "mail", "address": ""}, "address", "请填写通信地址"),
        ({"confirm": ""}, "confirm", "请勾选确认"),
        ({"applicant_type": "alien"}, "applicant_type", "请选择申请人类型"),
    ],
)
def test_form_rejects_bad_input_in_chinese(over, field, message):
    form = ApplyForm(form_data(**over))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_landline_and_credit_code_accepted():
    from gongkai.organizations.validators import uscc_check_char

    first17 = "91999999MA0000000"
    code = first17 + uscc_check_char(first17)
    form = ApplyForm(form_data(applicant_type="commercial", id_number=code, phone="0931-1234567"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "09311234567"


def test_apply_receipt_and_status(org):
    client = Client()
    response = client.post(APPLY, form_data())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.channel == "online" and application.organization == org
    assert application.phone == "13800138000"
    assert AuditEvent.objects.filter(verb="application.receive").count() == 1
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert application.tracking_code in html
    assert "20个工作日" in html and "条例第三十三条" in html
    # Another browser cannot open the receipt.
    assert Client().get(response["Location"]).status_code == 302
    # Status: the right last four digits show stage and due date, nothing personal.
    html = Client().post("/status/", {"tracking_code": application.tracking_code.lower(),
                                      "phone_last4": "8000"}).content.decode()  # fmt: skip
    assert "办理中" in html and f"{application.due_on.year}年" in html
    for personal in ("张三", VALID_ID, "13800138000", "zhang@example.com", "低保对象名单"):
        assert personal not in html
    html = (
        Client()
        .post("/status/", {"tracking_code": application.tracking_code, "phone_last4": "0000"})
        .content.decode()
    )
    assert "没有找到对应的申请" in html and "办理中" not in html
    html = Client().post("/status/", {"tracking_code": "", "phone_last4": "12"}).content.decode()
    assert "请填写提交申请时获得的查询码" in html and "请填写4位数字" in html


def test_status_shows_the_steps_and_the_applicants_own_date_during_a_correction(org, clerk):
    from datetime import date

    from gongkai.applications import services

    Client().post(APPLY, form_data())
    application = Application.objects.get()
    services.application_request_correction(
        application=application,
        on=application.received_on,
        until=date.fromordinal(application.received_on.toordinal() + 15),
        what="请写明年份",
        acting_user=clerk,
    )
    application.refresh_from_db()
    html = Client().post("/status/", {"tracking_code": application.tracking_code,
                                      "phone_last4": "8000"}).content.decode()  # fmt: skip
    until = application.waiting_until
    assert 'id="waiting-until"' in html and f"{until.year}年{until.month}月{until.day}日" in html
    steps = html[html.index('id="status-steps"') :]
    assert steps.index("收到申请") < steps.index("补正")
    assert "请写明年份" not in html  # the clerk's wording stays in the letter


@time_machine.travel("2024-06-05 10:00 +0800", tick=False)
def test_receipt_day_is_stated_the_same_way_everywhere(org):
    """条例第三十一条: online -> the day both sides confirm; the portal confirms at
    once, so the receipt page, the apply flow and the stored date all agree."""
    from gongkai.portal.apply import RECEIPT_DAY_RULE

    assert RECEIPT_DAY_RULE == "网上提交后系统即时确认，提交之日即为收到申请之日（条例第三十一条）"
    client = Client()
    apply_html = client.get(APPLY).content.decode()
    response = client.post(APPLY, form_data())
    receipt_html = client.get(response["Location"]).content.decode()
    for html in (apply_html, receipt_html):
        assert RECEIPT_DAY_RULE in html
        assert "以今天为收到申请之日" not in html
        assert "在线提交的，以双方确认之日" not in html
    # The flow puts receipt before correction: the 7 days of 条例第三十条 count from it.
    assert apply_html.index("<strong>收到申请</strong>") < apply_html.index("<strong>补正")
    application = Application.objects.get()
    assert application.received_on.isoformat() == "2024-06-05"
    assert application.confirmed_on == application.submitted_on == application.received_on


def test_invalid_post_keeps_the_input_and_saves_nothing(org):
    response = Client().post(APPLY, form_data(phone="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "联系电话格式不正确" in html and "2024年甘河滩村低保对象名单及评议记录" in html
    assert Application.objects.count() == 0


def test_apply_to_unknown_or_inactive_body(org):
    assert Client().post("/nobody/apply/", form_data()).status_code == 404
    org.is_active = False
    org.save()
    assert Client().post(APPLY, form_data()).status_code == 404
    assert Application.objects.count() == 0


def test_csrf_is_enforced(org):
    client = Client(enforce_csrf_checks=True)
    assert client.post(APPLY, form_data()).status_code == 403
    page = client.get(APPLY).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(APPLY, form_data(csrfmiddlewaretoken=token)).status_code == 302


def test_oversized_post_is_refused(org):
    response = Client().post(APPLY, form_data(description="字" * 40_000))
    assert response.status_code == 413
    assert "提交的内容过长" in response.content.decode()
    assert Application.objects.count() == 0


def test_applicant_data_never_on_public_pages(org):
    Client().post(APPLY, form_data())
    for url in ("/", "/test-town/", "/search/?q=低保对象名单", "/search/?q=13800138000",
                "/api/v1/organizations/test-town/items/", "/test-town/feed/"):  # fmt: skip
        html = Client().get(url).content.decode()
        for personal in ("张三", VALID_ID, "zhang@example.com", "评议记录"):
            assert personal not in html, url


def test_client_address_behind_proxies(settings):
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.GONGKAI_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "5.6.7.8"
    settings.GONGKAI_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "1.2.3.4"


def test_fixed_window_counter(settings):
    settings.GONGKAI_RATE_LIMITS = {"apply": (3, 60)}
    request = RequestFactory().post("/", REMOTE_ADDR="9.9.9.9")
    verdicts = [ratelimit.hit("apply", request, now=120.0 + k) for k in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert verdicts[3].retry_after == 58  # window [120, 180): int(180 - 123) + 1
    assert ratelimit.hit("apply", request, now=180.0).allowed  # next window
    other = RequestFactory().post("/", REMOTE_ADDR="9.9.9.8")
    assert ratelimit.hit("apply", other, now=121.0).allowed


def test_ten_thousand_rapid_posts_are_limited_and_no_valid_one_is_lost(
    org, settings, monkeypatch, process_cache
):
    """10,000 posts from one address, a fifth of them valid, time advancing 1 ms
    per post across 10 one-second windows with a limit of 25: exactly the
    posts under the limit are processed, every valid one of them is saved, the
    rest get a Chinese 429 with Retry-After, and nothing fails."""
    settings.GONGKAI_RATE_LIMITS = {"apply": (25, 1)}
    # Django logs every 4xx; 9,750 console lines would only slow the test down.
    monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
    client = Client(REMOTE_ADDR="203.0.113.7")
    rng = random.Random(5)
    valid_accepted = invalid_accepted = limited = 0
    with time_machine.travel(1_700_000_000.0, tick=False) as clock:
        for n in range(10_000):
            valid = rng.random() < 0.2
            data = (
                form_data(description=f"第{n}号申请：低保名单") if valid else form_data(phone="x")
            )
            response = client.post(APPLY, data)
            if response.status_code == 429:
                limited += 1
                assert response["Retry-After"]
            elif response.status_code == 302:
                assert valid
                valid_accepted += 1
            else:
                assert response.status_code == 200 and not valid
                invalid_accepted += 1
            clock.shift(0.001)
    assert valid_accepted + invalid_accepted == 25 * 10
    assert limited == 10_000 - 250
    assert Application.objects.count() == valid_accepted > 0
    assert len(set(Application.objects.values_list("tracking_code", flat=True))) == valid_accepted
    # The body of the 429 page is in Chinese.
    with time_machine.travel(1_700_000_000.0, tick=False):
        for _ in range(26):
            response = client.post(APPLY, form_data(phone="x"))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()


def test_a_tracking_code_is_locked_after_ten_wrong_digits_from_any_address(org):
    Client().post(APPLY, form_data())
    code = Application.objects.get().tracking_code
    for n in range(10):  # ten addresses, one wrong guess each
        html = (
            Client(REMOTE_ADDR=f"10.0.0.{n}")
            .post("/status/", {"tracking_code": code, "phone_last4": f"{n:04d}"})
            .content.decode()
        )
        assert "没有找到对应的申请" in html
    html = (
        Client(REMOTE_ADDR="10.0.1.1")
        .post("/status/", {"tracking_code": code, "phone_last4": "8000"})
        .content.decode()
    )
    assert 'id="status-locked"' in html and "办理中" not in html
    # Another code is not affected.
    Client().post(APPLY, form_data())
    other = Application.objects.exclude(tracking_code=code).get().tracking_code
    html = (
        Client().post("/status/", {"tracking_code": other, "phone_last4": "8000"}).content.decode()
    )
    assert "办理中" in html
