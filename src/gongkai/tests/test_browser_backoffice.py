"""The back-office shell in a real browser: sign in, navigate, switch body, sign out."""

import pytest

from gongkai.organizations.factories import MembershipFactory
from gongkai.organizations.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_logout(page, login, screenshot, clerk, org, other_org):
    MembershipFactory(user=clerk, organization=other_org, role=Role.REVIEWER)
    login(page, clerk)
    assert page.locator("h1").inner_text() == "工作台"
    header = page.locator(".bo-brand-org")
    start = header.inner_text()
    target = org if start == other_org.name else other_org
    with page.expect_navigation():
        page.select_option("#org-switch", str(target.pk))  # autosubmits
    assert page.locator(".bo-brand-org").inner_text() == target.name
    assert f"已切换到：{target.name}" in page.locator(".messages").inner_text()
    screenshot(page, "dashboard-desktop")
    page.get_by_role("link", name="机关与人员").click()
    assert page.locator("h1").inner_text() == "机关与人员"
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/backoffice/login/")


def test_usable_at_360px(page, login, screenshot, org_admin):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, org_admin)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls horizontally at 360 px ({width}px)"
    assert page.get_by_role("link", name="审计日志").is_visible()
    page.get_by_role("link", name="审计日志").click()
    assert page.locator("h1").inner_text() == "审计日志"
    screenshot(page, "audit-360")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_wrong_password_message(page, clerk):
    page.goto(f"{page.base_url}/backoffice/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.locator(".form-errors").inner_text()
