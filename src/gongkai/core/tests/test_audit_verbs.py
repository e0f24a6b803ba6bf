"""The audit-verb registry: labels, state labels, and finding each app's workflow module."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from django.apps import apps

import gongkai
from gongkai.audit.models import AuditEvent
from gongkai.core import audit_verbs
from gongkai.core.audit_verbs import Registry, workflow_modules
from gongkai.core.workflow import Table, Transition

REPORT = Table(
    "report",
    states={"draft": "草稿", "submitted": "已提交审核"},
    transitions=[Transition("submit", {"draft"}, "submitted", "report.submit", "提交审核")],
)
IMPORTED = Table(
    "report",
    states={"draft": "草稿", "submitted": "已提交审核", "published": "已公布"},
    transitions=[
        Transition("confirm", {"submitted"}, "published", "report.import_confirm", "确认导入并公布")
    ],
)


def test_labels_of_table_verbs_and_other_verbs():
    registry = Registry(discover=False)
    registry.register({"report.start": "生成草稿"}, tables=[REPORT, IMPORTED])
    assert registry.label("report.submit") == "提交审核"
    assert registry.label("report.import_confirm") == "确认导入并公布"
    assert registry.label("report.start") == "生成草稿"
    assert registry.label("report.unheard_of") == "report.unheard_of"  # never an error
    assert registry.is_registered("report.start") and not registry.is_registered("x.y")
    assert list(registry.verbs()) == ["report.import_confirm", "report.start", "report.submit"]
    assert registry.tables("report") == (REPORT, IMPORTED)


def test_describe_gives_verb_and_state_labels_from_the_nouns_tables():
    registry = Registry(discover=False)
    registry.register({"report.start": "生成草稿"}, tables=[REPORT, IMPORTED])
    step = registry.describe(
        AuditEvent(verb="report.import_confirm", from_state="submitted", to_state="published")
    )
    assert (step.label, step.from_label, step.to_label) == (
        "确认导入并公布",
        "已提交审核",
        "已公布",
    )
    assert step.changed
    # A verb that is not a transition still gets the state labels of its noun.
    start = registry.describe(SimpleNamespace(verb="report.start", from_state="", to_state="draft"))
    assert (start.label, start.from_label, start.to_label, start.changed) == (
        "生成草稿",
        "",
        "草稿",
        True,
    )
    # Unknown nouns and states are shown as they are; no state change, no "changed".
    other = registry.describe(SimpleNamespace(verb="unit.create", from_state="", to_state=""))
    assert (other.label, other.to_label, other.changed) == ("unit.create", "", False)
    same = registry.describe(
        SimpleNamespace(verb="report.edit", from_state="draft", to_state="draft")
    )
    assert not same.changed
    assert registry.state_label("report.x", "weird") == "weird"


def test_one_verb_cannot_have_two_labels():
    registry = Registry(discover=False)
    registry.register({"item.create": "起草"})
    registry.register({"item.create": "起草"})  # the same again is harmless
    registry.register(tables=[REPORT, REPORT])
    with pytest.raises(ValueError, match="two labels"):
        registry.register({"item.create": "新建"})
    with pytest.raises(ValueError, match="needs a label"):
        registry.register({"item.update": ""})


# --- discovery -----------------------------------------------------------------------------


@pytest.fixture
def fake_apps(monkeypatch, tmp_path):
    """Three installed apps under ``gongkai``: one declares verbs, one has no
    workflow module, and ``broken``'s workflow module imports something missing."""

    def package(name: str, path: Path | None = None) -> None:
        module = ModuleType(f"gongkai.{name}")
        module.__path__ = [str(path)] if path else []
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setattr(gongkai, name, module, raising=False)

    declares = tmp_path / "declares"
    declares.mkdir()
    (declares / "workflow.py").write_text(
        "from gongkai.core.workflow import Table, Transition\n"
        "VERBS = {'thing.create': '新建'}\n"
        "THING = Table('thing', states={'a': '甲', 'b': '乙'},\n"
        "              transitions=[Transition('go', {'a'}, 'b', 'thing.go', '前往')])\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "workflow.py").write_text("import gongkai.no_such_module_wp1\n", encoding="utf-8")
    package("fake_declares", declares)
    package("fake_silent")
    package("fake_broken", broken)
    for name in ("gongkai.fake_declares.workflow", "gongkai.fake_broken.workflow"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    def configs(*names):
        found = [SimpleNamespace(name=n) for n in ("django.contrib.auth", *names)]
        monkeypatch.setattr(apps, "get_app_configs", lambda: found)

    return configs


def test_discovery_registers_each_apps_workflow_and_skips_apps_without_one(fake_apps):
    fake_apps("gongkai.fake_declares", "gongkai.fake_silent")
    assert [m.__name__ for m in workflow_modules()] == ["gongkai.fake_declares.workflow"]
    registry = Registry()
    assert registry.label("thing.go") == "前往"
    assert registry.label("thing.create") == "新建"
    assert registry.describe(SimpleNamespace(verb="thing.go", from_state="a", to_state="b")) == (
        audit_verbs.Description("thing.go", "前往", "a", "b", "甲", "乙")
    )


def test_discovery_raises_an_import_error_inside_a_workflow_module(fake_apps):
    fake_apps("gongkai.fake_declares", "gongkai.fake_broken")
    with pytest.raises(ModuleNotFoundError) as info:
        Registry().label("thing.go")
    assert info.value.name == "gongkai.no_such_module_wp1"


def test_discovery_finds_exactly_the_workflow_modules_on_disk():
    on_disk = {
        f"{config.name}.workflow"
        for config in apps.get_app_configs()
        if config.name.startswith("gongkai.") and (Path(config.path) / "workflow.py").exists()
    }
    found = list(workflow_modules())
    assert {m.__name__ for m in found} == on_disk
    registry = Registry()
    for module in found:
        for verb, label in getattr(module, "VERBS", {}).items():
            assert registry.label(verb) == label


def test_the_module_functions_use_the_platforms_registry(monkeypatch):
    fresh = Registry(discover=False)
    monkeypatch.setattr(audit_verbs, "registry", fresh)
    audit_verbs.register({"consultation.open": "开始征求意见"}, tables=[REPORT])
    assert audit_verbs.label("consultation.open") == "开始征求意见"
    assert audit_verbs.label("report.submit") == "提交审核"
    assert audit_verbs.state_label("report.submit", "draft") == "草稿"
    assert audit_verbs.describe(SimpleNamespace(verb="report.submit")).from_label == ""
    assert audit_verbs.verbs() == {"consultation.open": "开始征求意见", "report.submit": "提交审核"}
