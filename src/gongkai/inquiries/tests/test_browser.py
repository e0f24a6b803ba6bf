"""The 政民互动 journey in the system Chromium: a visitor asks, the clerk routes,
answers and publishes, the visitor reads the Q&A and the look-up says 已答复."""

from __future__ import annotations

import re

import pytest

from ..models import Inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_route_answer_publish_read(
    browser, page, live_server, login, screenshot, clerk, unit, org
):
    visitor = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 360, "height": 740}
    )
    visitor.set_default_timeout(10_000)
    v = visitor.new_page()
    v.goto(f"{live_server.url}/{org.slug}/")
    v.get_by_role("link", name=re.compile("政民互动")).first.click()
    v.get_by_role("link", name="我要留言").click()
    v.check("#id_kind_1")  # 建议
    v.fill("#id_subject", "建议在滩北路口增设路灯")
    v.fill("#id_content", "我是王秀兰，电话13912345678。滩北路口晚上没有路灯，学生放学不安全。")
    v.fill("#id_asker_name", "王秀兰")
    v.fill("#id_phone", "13912345678")
    v.check("#id_consent_publish")
    v.check("#id_privacy_ack")
    screenshot(v, "inquiry-ask-360")
    with v.expect_navigation():
        v.get_by_role("button", name="提交留言").click()
    code = v.locator("#tracking-code").inner_text().strip()
    inquiry = Inquiry.objects.get()
    assert inquiry.tracking_code == code and inquiry.kind == "suggest"
    assert v.evaluate("document.documentElement.scrollWidth") <= 360

    login(page, clerk)
    page.get_by_role("link", name="政民互动").first.click()
    page.get_by_role("link", name=code).click()
    page.select_option("#id_unit", str(unit.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="转办").click()
    assert page.locator("#status").inner_text() == "已转办"
    page.fill("#id_answer", "感谢您的建议，该路段路灯已列入今年亮化工程，下月底前完成安装。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交答复").click()
    assert page.locator("#status").inner_text() == "已答复"
    # The record names the clerk by real name, never by log-in name.
    record = page.locator("main").inner_text()
    assert clerk.get_full_name() in record and clerk.get_username() not in record
    # The publish form comes pre-filled with the masked question; the clerk trims it.
    assert "王**" in page.input_value("#id_public_content")
    page.fill("#id_public_content", "滩北路口晚上没有路灯，学生放学不安全。")
    screenshot(page, "inquiry-publish-1280")
    with page.expect_navigation():
        page.get_by_role("button", name="公开问答").click()
    assert page.locator("#status").inner_text() == "已答复（已公开）"

    v.goto(f"{live_server.url}/{org.slug}/inquiries/")
    v.get_by_role("link", name=re.compile("建议在滩北路口增设路灯")).click()
    body = v.locator("main").inner_text()
    assert "下月底前完成安装" in body and "王**" in body
    assert "王秀兰" not in v.content() and "13912345678" not in v.content()
    screenshot(v, "inquiry-qa-360")
    v.goto(f"{live_server.url}/{org.slug}/inquiries/status/")
    v.fill("#id_tracking_code", code)
    v.fill("#id_phone_last4", "5678")
    with v.expect_navigation():
        v.get_by_role("button", name="查询").click()
    assert v.locator(".stage").inner_text() == "已答复"
    visitor.close()
