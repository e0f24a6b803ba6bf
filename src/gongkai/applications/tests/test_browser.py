"""The clerk's journey in a real browser (system Chromium via Playwright).

A mailed application signed for on Friday 2024-09-27, just before National Day:
due dates hand-computed in test_clock.py (2024-10-30; after 补正 received on
10-14: 2024-11-11; after a 20-day extension: 2024-12-09).
"""

from __future__ import annotations

import io

import pytest
from docx import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def submit(page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"#action-{action} button[type=submit]").click()


def test_clerk_journey_mailed_application(
    browser, page, login, screenshot, clerk, office_head, org
):
    login(page, clerk)
    page.get_by_role("link", name="依申请公开").first.click()
    page.get_by_role("link", name="登记申请").click()
    screenshot(page, "application-create")
    page.select_option("#id_channel", "registered_mail")
    page.select_option("#id_applicant_type", "natural")
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_phone", "13800001234")
    page.fill("#id_address", "测试市测试路2号")
    page.fill("#id_description", "本镇2024年农村危房改造补助对象名单")
    page.fill("#id_submitted_on", "2024-09-25")
    page.fill("#id_signed_for_on", "2024-09-27")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert page.locator("#received-on").inner_text() == "2024-09-27"
    assert "2024-10-30" in page.locator("#due-on").inner_text()

    page.fill("#id_correction-on", "2024-09-30")
    page.fill("#id_correction-until", "2024-10-15")
    page.fill("#id_correction-what", "请写明所需信息的年度和村名")
    submit(page, "correction")
    assert "待补正后重新计算" in page.locator("#due-on").inner_text()
    assert "2024-10-15" in page.locator("#waiting-until").inner_text()

    page.fill("#id_correction_received-on", "2024-10-14")
    submit(page, "correction_received")
    assert "2024-11-11" in page.locator("#due-on").inner_text()

    # 条例第三十三条第二款: the clerk requests, the office head approves.
    page.fill("#id_extend-on", "2024-11-04")
    page.fill("#id_extend-days", "20")
    page.fill("#id_extend-reason", "需调取村级档案。")
    submit(page, "extend")
    assert "2024-11-11" in page.locator("#due-on").inner_text()
    assert page.locator("#extension-pending").is_visible()

    head_context = browser.new_context(base_url=page.base_url, locale="zh-CN")
    head = head_context.new_page()
    head.base_url = page.base_url
    login(head, office_head)
    head.get_by_role("link", name="待批准的延期申请").click()
    screenshot(head, "extension-list")
    head.locator("#extension-list a").first.click()
    head.fill("#id_decide-on", "2024-11-05")
    head.check("#id_decide-decision_0")
    with head.expect_navigation():
        head.get_by_role("button", name="提交决定").click()
    assert "2024-12-09" in head.locator("#due-on").inner_text()
    head_context.close()

    page.reload()
    assert "2024-12-09" in page.locator("#due-on").inner_text()
    assert "已批准" in page.locator("#extension-requests").inner_text()
    history = page.locator("#deadline-history").inner_text()
    for due in ("2024-10-30", "2024-11-11", "2024-12-09"):
        assert due in history
    assert "条例第三十三条第二款" in history

    page.select_option("#id_close-outcome", "partial")
    page.fill("#id_close-reply_on", "2024-11-20")
    page.fill("#id_close-reasons", "名单中的身份证号码已作区分处理")
    submit(page, "close")
    assert "部分公开" in page.locator("#status").inner_text()
    assert page.locator("#reply-on").inner_text() == "2024-11-20"
    screenshot(page, "application-closed")

    with page.expect_download() as info:
        page.locator("#letters a", has_text="部分公开").click()
    content = open(info.value.path(), "rb").read()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "张三" in text and "2024年9月27日" in text and "第三十七条" in text

    page.goto(f"{page.base_url}/backoffice/applications/?tab=all")
    assert page.locator("table tbody tr").count() == 1
    assert "部分公开" in page.locator("table tbody").inner_text()
    screenshot(page, "application-list")
