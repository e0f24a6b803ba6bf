"""The annual report journey in a real browser: the clerk drafts, checks and submits;
the approver approves and publishes; the public page and the 图解 show it; the
supervisor sees it published on time."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Publishing runs the downloads job (inline, after the commit): keep its files here.
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def feb_2025():
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime(2025, 2, 10, 9, tzinfo=tz), tick=True):
        yield


def test_draft_check_submit_publish_and_supervise(
    feb_2025, page, login, screenshot, org, clerk, approver, supervisor
):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, clerk)
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("button", name="编写2024年度报告").click()
    assert "已根据本机关的记录生成2024年度报告草稿" in page.locator(".messages").inner_text()
    new_total = page.locator('td[data-key="t3.new.total"]')
    assert new_total.inner_text().strip().startswith("1")
    screenshot(page, "report-draft")
    # The generated draft marks what only the clerk can write: submission is refused.
    page.get_by_role("link", name="运行检查").click()
    assert "仍有未填写的模板文字" in page.locator("#findings").inner_text()
    page.get_by_role("button", name="提交审核").click()
    assert "仍有未填写的模板文字" in page.locator(".messages").inner_text()
    assert page.locator("#report-status").inner_text() == "草稿"
    page.get_by_role("link", name="编辑正文").click()
    section_1 = page.input_value("#id_section_1")
    section_1 = re.sub(
        r"（四）平台建设方面：.*", "（四）平台建设方面：公示栏、公众号及时更新。", section_1
    )
    section_1 = re.sub(r"（五）监督保障方面：.*", "（五）监督保障方面：党政办具体承办。", section_1)
    page.fill("#id_section_1", section_1)
    page.fill(
        "#id_section_5", "（一）存在的主要问题：公示栏更新不及时。\n（二）改进措施：建立更新台账。"
    )
    page.fill("#id_section_6", "2024年收取信息处理费0元。无其他需要报告的事项。")
    page.get_by_role("button", name="保存正文").click()
    assert "正文已保存" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="运行检查").click()
    assert "检查完成" in page.locator(".messages").inner_text()
    assert "仍有未填写的模板文字" not in page.locator("#findings").inner_text()
    # No 年度主动公开数据 yet: blank cells (not 0) and a missing-cells error (format rule 9).
    licensing = page.locator('td[data-key="t2.licensing"]')
    assert licensing.inner_text().strip().startswith("—")
    assert "表二缺少4个单元格的数字" in page.locator("#findings").inner_text()
    licensing.get_by_role("link").click()
    page.get_by_role("link", name="录入2024年度主动公开数据").click()
    assert page.input_value("#id_year") == "2024"
    page.fill("#id_licensing", "3")
    page.get_by_role("button", name="保存").click()
    assert "2024年数据已保存" in page.locator(".messages").inner_text()
    page.goto(f"{page.base_url}/backoffice/reports/2024/")
    assert page.locator('td[data-key="t2.licensing"]').inner_text().strip().startswith("3")
    page.get_by_role("button", name="提交审核").click()
    assert page.locator("#report-status").inner_text() == "已提交审核"
    page.get_by_role("button", name="退出").click()

    login(page, approver)
    page.goto(f"{page.base_url}/backoffice/reports/2024/")
    page.get_by_role("button", name="审批通过").click()
    page.get_by_role("button", name="公布").click()
    assert page.locator("#report-status").inner_text() == "已公布"
    page.get_by_role("link", name="公开页面").click()  # the portal's page: the canonical one
    assert page.url.endswith(f"/{org.slug}/reports/2024/")
    assert "本年新收政府信息公开申请数量" in page.content()
    page.goto(f"{page.base_url}/backoffice/reports/2024/")
    page.get_by_role("link", name="图解").first.click()
    assert page.locator("svg.rp-chart").count() == 5
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"图解 scrolls horizontally at 360 px ({width}px)"
    screenshot(page, "report-graphic-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base_url}/backoffice/")
    page.get_by_role("button", name="退出").click()

    login(page, supervisor)
    page.goto(f"{page.base_url}/backoffice/reports/supervision/?year=2024")
    row = page.locator(f'tr[data-org="{org.slug}"]')
    assert "已公布" in row.inner_text() and "按期" in row.locator(".rp-ontime").inner_text()
    screenshot(page, "report-supervision")
