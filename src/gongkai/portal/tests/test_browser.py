"""Key public journeys in the system Chromium (Playwright), with screenshots at 1280 and 360 px."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.applications.models import Application
from gongkai.privacy.sample import make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_open_item_see_interpretation(page, world, screenshot):
    page.goto(page.base_url + "/test-town/")
    page.fill("#site-q", "甘政发[2024]3号")
    page.press("#site-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    assert page.locator(".result").count() == 1
    assert page.locator(".result-meta mark").inner_text() == "甘政发〔2024〕3号"
    screenshot(page, "portal-search-1280")
    page.click(".result-title a")
    page.wait_for_url(re.compile(r"/test-town/items/\d+/"))
    assert page.locator("h1.item-title").inner_text() == world["policy"].title
    assert page.locator(".meta-table").inner_text().count("甘政发〔2024〕3号") == 1
    assert page.locator("svg.qr").count() == 1
    screenshot(page, "portal-item-1280")
    page.click(f"text={world['interp'].title}")
    page.wait_for_url(re.compile(rf"/items/{world['interp'].pk}/"))
    assert "的解读" in page.locator(".notice-info").inner_text()
    page.set_viewport_size({"width": 360, "height": 740})
    page.go_back()
    screenshot(page, "portal-item-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_apply_get_code_look_up_status(page, world, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/test-town/apply/")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_id_number", make_id(random.Random(3)))
    page.fill("#id_phone", "13912345678")
    page.fill("#id_email", "lisi@example.com")
    page.fill("#id_description", "2024年村级公益性岗位名单")
    page.click("button:has-text('提交申请')")
    # First attempt without the confirmation box: a Chinese message, nothing lost.
    assert "请勾选确认后再提交" in page.locator(".apply-form").inner_text()
    assert page.input_value("#id_description") == "2024年村级公益性岗位名单"
    page.check("#id_confirm")
    screenshot(page, "portal-apply-360")
    page.click("button:has-text('提交申请')")
    page.wait_for_url(re.compile(r"/apply/receipt/"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert Application.objects.get().tracking_code == code
    screenshot(page, "portal-receipt-360")
    page.click("text=查询办理进度")
    page.fill("#id_tracking_code", code)
    page.fill("#id_phone_last4", "5678")
    page.click("button:has-text('查询')")
    assert page.locator(".stage").inner_text() == "办理中"
    assert "年" in page.locator(".due").inner_text()
    assert "李四" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_screen_cycles_through_notices(page, world, screenshot):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(page.base_url + "/screen/test-town/?advance=3")
    active = page.locator(".notice-slide.active h2")
    first = active.inner_text()
    assert page.locator(".notice-slide").count() == 2
    screenshot(page, "portal-screen-1280")
    page.wait_for_function(
        "first => document.querySelector('.notice-slide.active h2').textContent !== first",
        arg=first,
        timeout=8000,
    )
    second = active.inner_text()
    assert {first, second} == {world["notice1"].title, world["notice2"].title}
    assert page.locator("#screen-position").inner_text() == "2 / 2"
    # The JSON refresh replaces the slides (never appends).
    page.evaluate(
        "fetch(document.getElementById('screen').dataset.source).then(r => r.json())"
        ".then(d => d.notices.length)"
    )
    assert page.locator(".notice-slide").count() == 2


def test_care_mode_persists_across_pages(page, world, screenshot):
    page.goto(page.base_url + "/test-town/")
    size_before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("button.care-toggle")
    page.wait_for_load_state()
    assert "care" in page.get_attribute("body", "class")
    page.goto(page.base_url + f"/test-town/items/{world['policy'].pk}/")
    assert "care" in page.get_attribute("body", "class")
    size_after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_after > size_before
    screenshot(page, "portal-care-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/test-town/catalogue/")
    assert "care" in page.get_attribute("body", "class")
    screenshot(page, "portal-care-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button.care-toggle")
    page.wait_for_load_state()
    assert "care" not in page.get_attribute("body", "class")


def test_keyboard_skip_link_and_home(page, world, screenshot):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    screenshot(page, "portal-home-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/test-town/")
    screenshot(page, "portal-org-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    images = page.locator("img:not([alt])")
    assert images.count() == 0


def test_care_mode_item_metadata_fits_360(page, world, screenshot):
    """关怀模式 at 360 px: the metadata table (索引号, 文号 …) stays inside the page."""
    from gongkai.disclosure.models import Item

    policy = world["policy"]
    # A long real-world 索引号 and 文号 without break opportunities.
    Item.objects.filter(pk=policy.pk).update(
        index_number="11610000MB1234567X/2024-0000123456",
        document_number="甘河滩镇人民政府办公室发〔2024〕123号",
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/test-town/")
    page.click("button.care-toggle")
    page.wait_for_load_state()
    page.goto(page.base_url + f"/test-town/items/{policy.pk}/")
    assert "care" in page.get_attribute("body", "class")
    screenshot(page, "portal-care-item-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.meta-table th, .meta-table td')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 360
    assert page.locator(".meta-table").inner_text().count("11610000MB1234567X/2024-0000123456") == 1
