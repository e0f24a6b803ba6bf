"""The consultation journey in the system Chromium: a visitor comments on an open
draft, the clerk moderates it, and once the period has passed (time moved forward
with time-machine, which the live server's thread sees too) records the decision
and publishes the 采纳情况; the visitor reads it and follows the links both ways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from gongkai.consultations.models import Comment
from gongkai.disclosure.factories import PublishedItemFactory

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_comment_moderate_publish_feedback(page, make_published, clerk, org, login, screenshot):
    today = timezone.localdate()
    c = make_published(
        title="甘河滩镇集镇停车管理办法（征求意见稿）",
        start_on=today - dt.timedelta(days=3),
        end_on=today + dt.timedelta(days=12),
    )
    final = PublishedItemFactory(organization=org, title="甘河滩镇集镇停车管理办法")

    # The visitor finds the draft from the body's home page and comments.
    page.goto(f"{page.base_url}/{org.slug}/")
    page.click("text=意见征集")
    page.click(f"text={c.title}")
    assert "隐私说明" in page.locator(".privacy-notice").inner_text()
    page.fill("#id_content", "建议在农贸市场东侧增设临时停车位，赶集日免费停放。")
    page.fill("#id_name", "欧阳春花")
    page.fill("#id_contact", "13712345678")
    page.click("button:has-text('提交意见')")
    assert "请阅读隐私说明并勾选同意" in page.content()  # nothing lost, consent asked
    page.check("#id_consented")
    screenshot(page, "consultation-comment-1280")
    page.click("button:has-text('提交意见')")
    page.wait_for_url(re.compile(r"/thanks/$"))
    comment = Comment.objects.get()
    assert comment.name == "欧阳春花" and "欧阳春花" not in page.content()

    # The clerk accepts it for consideration.
    login(page, clerk)
    assert "待审核的意见（1）" in page.content()
    page.goto(f"{page.base_url}/backoffice/consultations/{c.pk}/")
    row = page.locator(f"#comment-{comment.pk}")
    row.locator("input[name=accept][value='1']").check()
    row.locator("button:has-text('提交审核')").click()
    page.wait_for_load_state()
    comment.refresh_from_db()
    assert comment.status == "accepted"

    # The period is never cut short: time moves past the end date.
    with time_machine.travel(at(c.end_on + dt.timedelta(days=1), 9), tick=True):
        page.context.clear_cookies()
        login(page, clerk)
        assert "已截止未公布采纳情况（1）" in page.content()
        page.goto(f"{page.base_url}/backoffice/consultations/{c.pk}/")
        row = page.locator(f"#comment-{comment.pk}")
        row.locator("input[name=decision][value='partly']").check()
        row.locator("textarea[name=reason]").fill(
            "赶集日在东侧设临时停车区，收费标准按县物价部门规定执行。"
        )
        row.locator("textarea[name=summary]").fill("农贸市场东侧增设免费临时停车位")
        row.locator("button:has-text('登记')").click()
        page.wait_for_load_state()
        page.select_option("#id_final_item", str(final.pk))
        page.fill("#id_summary", "共收到意见1条，部分采纳1条。")
        page.click("button:has-text('公布采纳情况')")
        page.wait_for_load_state()
        assert "已公布意见采纳情况" in page.content()

        # The visitor reads the 采纳情况 and follows the links both ways.
        page.context.clear_cookies()
        page.goto(f"{page.base_url}/{org.slug}/consultations/")
        page.click(f"text={c.title}")
        feedback = page.locator("#feedback").inner_text()
        assert "部分采纳1条" in feedback and "收费标准按县物价部门规定执行" in feedback
        assert "欧阳春花" not in page.content() and "13712345678" not in page.content()
        screenshot(page, "consultation-feedback-1280")
        page.click(f".final-decision a:has-text('{final.title}')")
        page.wait_for_url(re.compile(rf"/items/{final.pk}/$"))
        page.click(".consultation-link a")
        page.wait_for_url(re.compile(rf"/consultations/{c.pk}/$"))
        page.set_viewport_size({"width": 360, "height": 740})
        screenshot(page, "consultation-feedback-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
