"""The disclosure journey in a real browser: draft → submit → review → approve → published."""

import pytest

from gongkai.disclosure.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/backoffice/login/")


def test_clerk_reviewer_approver_publish(page, login, screenshot, clerk, reviewer, approver, org):
    login(page, clerk)
    page.get_by_role("link", name="主动公开").first.click()
    page.get_by_role("link", name="新建政府信息").click()
    page.fill("#id_title", "关于开展2024年冬季送温暖活动的通知")
    page.fill("#id_document_number", "测政发〔2024〕30号")
    page.fill("#id_formed_on", "2024-12-02")
    page.select_option("#id_kind", "notice")
    page.fill("#id_body", "各村委会：请于12月20日前摸清困难群众底数。联系电话13812345678。")
    page.get_by_role("button", name="保存草稿").click()
    assert "已保存为草稿" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="提交保密审查").click()
    assert "已提交保密审查" in page.locator(".messages").inner_text()
    logout(page)

    login(page, reviewer)
    widget = page.locator("section.widget", has_text="待我审核（1）")
    widget.get_by_role("link", name="关于开展2024年冬季送温暖活动的通知").click()
    assert page.locator("h1").inner_text().startswith("保密审查")
    hits = page.locator("table.hits")
    assert "手机号码" in hits.inner_text() and "138****5678" in hits.inner_text()
    screenshot(page, "disclosure-review")
    page.get_by_role("button", name="对正文中的个人信息打码").click()
    assert "已将正文中的个人信息打码" in page.locator(".messages").inner_text()
    page.fill("#id_comment", "已打码，同意公开")
    page.get_by_role("button", name="通过审查，送领导审批").click()
    assert "审查通过" in page.locator(".messages").inner_text()
    logout(page)

    login(page, approver)
    widget = page.locator("section.widget", has_text="待我审批（1）")
    widget.get_by_role("link", name="关于开展2024年冬季送温暖活动的通知").click()
    page.get_by_role("button", name="批准公开").click()
    assert "已批准并公开" in page.locator(".messages").inner_text()
    item = Item.objects.get(title="关于开展2024年冬季送温暖活动的通知")
    assert item.status == "published" and item.index_number
    assert "138****5678" in item.body

    page.get_by_role("link", name="政府信息", exact=True).click()
    page.select_option("#id_status", "published")
    page.get_by_role("button", name="筛选").click()
    row = page.locator("tbody tr", has_text="关于开展2024年冬季送温暖活动的通知")
    assert "已公开" in row.inner_text() and item.index_number in row.inner_text()
    screenshot(page, "disclosure-published-list")
    row.get_by_role("link").click()
    assert "审批通过（待领导审批 → 已公开）" in page.locator(".timeline").inner_text()
    screenshot(page, "disclosure-detail")


def test_demo_pages_render(page, login, screenshot, monkeypatch):
    from gongkai import demo

    monkeypatch.setattr(demo, "DEMO_APPS", ("disclosure",))
    ctx = demo.load_demo()
    login(page, ctx.clerk, password=ctx.password)
    base = f"{page.base_url}/backoffice/disclosure/"
    for path, heading in (
        ("", "主动公开 · 政府信息"),
        ("timeliness/", "时效与解读"),
        ("catalogue/", "政府信息公开目录"),
        ("guide/", "政府信息公开指南"),
        ("register/?year=2024", "规章和行政规范性文件登记"),
        ("figures/?year=2024", "年度主动公开数据"),
        ("import/", "批量导入政府信息或公开目录"),
    ):
        page.goto(base + path)
        assert page.locator("h1").inner_text() == heading
        screenshot(page, "disclosure-demo-" + (path.split("/")[0] or "list"))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"item list scrolls horizontally at 360 px ({width}px)"
    screenshot(page, "disclosure-demo-list-360")
