import types

import pytest
from django.urls import NoReverseMatch, reverse

from gongkai.platform import extensions
from gongkai.platform.extensions import NavItem, all_nav_items, nav_for


def test_every_declared_nav_item_resolves():
    items = all_nav_items()
    assert any(i.url_name == "organizations:dashboard" for i in items)
    for item in items:
        try:
            reverse(item.url_name)
        except NoReverseMatch:  # pragma: no cover - the failure message is the point
            pytest.fail(f"nav item {item.url_name!r} ({item.label}) does not resolve")


def test_nav_filters_by_role_and_marks_active():
    entries = nav_for({"clerk"}, "/backoffice/organizations/x/")
    labels = [e["label"] for e in entries]
    assert "工作台" in labels and "审计日志" not in labels
    active = [e["label"] for e in entries if e["active"]]
    assert active == ["机关与人员"]
    assert "审计日志" in [e["label"] for e in nav_for({"admin"})]
    assert nav_for(set()) == []


def test_tuple_entries_and_dashboard_widgets(monkeypatch, rf):
    nav_mod = types.ModuleType("fake.nav")
    nav_mod.NAV_ITEMS = [("organizations:organization_list", "测试链接", {"approver"}, 5)]
    dash_mod = types.ModuleType("fake.dashboard")
    dash_mod.widgets = lambda request, organization, roles: [
        {"title": "后", "order": 50, "rows": []},
        {"title": "前", "order": 1, "rows": [{"label": "待办", "value": 3, "url": "/x"}]},
        {"title": "仅审批", "roles": ["approver"]},
    ]

    def fake_modules(name):
        return {"nav": (nav_mod,), "dashboard": (dash_mod,)}[name]

    monkeypatch.setattr(extensions, "app_modules", fake_modules)
    assert all_nav_items() == [
        NavItem("organizations:organization_list", "测试链接", frozenset({"approver"}), 5)
    ]
    assert nav_for({"clerk"}) == []
    widgets = extensions.dashboard_widgets(rf.get("/"), None, {"clerk"})
    assert [w["title"] for w in widgets] == ["前", "后"]


def test_broken_extension_module_is_not_swallowed(monkeypatch):
    def import_module(name):
        if name.endswith(".dashboard"):
            raise ModuleNotFoundError(
                "No module named 'missing_dependency'", name="missing_dependency"
            )
        raise ModuleNotFoundError(name, name=name)

    extensions.app_modules.cache_clear()
    monkeypatch.setattr(extensions.importlib, "import_module", import_module)
    try:
        assert extensions.app_modules("nav") == ()
        with pytest.raises(ModuleNotFoundError):
            extensions.app_modules("dashboard")
    finally:
        extensions.app_modules.cache_clear()


def test_providers_get_the_roles_and_superuser_only_entries(monkeypatch, rf):
    seen = []

    def widgets(request, organization, roles):
        seen.append(roles)
        return [{"title": "审批"}] if "approver" in roles else []

    dash_mod = types.ModuleType("fake.dashboard")
    dash_mod.widgets = widgets
    nav_mod = types.ModuleType("fake.nav")
    nav_mod.NAV_ITEMS = [NavItem("organizations:organization_list", "平台", superuser=True)]

    def fake_modules(name):
        return {"nav": (nav_mod,), "dashboard": (dash_mod,)}[name]

    monkeypatch.setattr(extensions, "app_modules", fake_modules)
    assert extensions.dashboard_widgets(rf.get("/"), None, {"clerk"}) == []
    assert [w["title"] for w in extensions.dashboard_widgets(rf.get("/"), None, {"approver"})] == [
        "审批"
    ]
    assert seen == [frozenset({"clerk"}), frozenset({"approver"})]
    assert nav_for({"admin"}) == []
    assert [e["label"] for e in nav_for({"admin"}, is_superuser=True)] == ["平台"]
