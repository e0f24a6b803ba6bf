"""The appeals workflow table: the one declaration the model, the services, the
pages and the audit log read."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from gongkai.appeals import workflow
from gongkai.appeals.models import Appeal, Result
from gongkai.appeals.permissions import HANDLER_ROLES
from gongkai.appeals.services import appeal_decide, appeal_file
from gongkai.audit.models import AuditEvent
from gongkai.core import audit_verbs
from gongkai.core.audit_verbs import Registry

APPEALS = Path(workflow.__file__).resolve().parent


def _written_verbs() -> set[str]:
    """Every ``verb="…"`` literal in the app's production code (tests and migrations aside)."""
    found = set()
    for path in APPEALS.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(APPEALS).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "verb":
                assert isinstance(node.value, ast.Constant), f"{path}: a verb must be a literal"
                found.add(node.value.value)
    return found | set(workflow.APPEAL.verbs())


def test_every_verb_the_app_writes_has_a_chinese_label():
    written = _written_verbs()
    assert written == {"appeal.file", "appeal.decide"}
    registry = Registry()  # discovers gongkai.appeals.workflow like the audit page does
    for verb in written:
        assert registry.label(verb) != verb
    assert registry.label("appeal.decide") == "登记审结结果"
    assert registry.label("appeal.file") == "登记复议或诉讼"


def test_the_audit_log_reads_the_derived_states():
    event = SimpleNamespace(verb="appeal.decide", from_state="pending", to_state="decided")
    described = audit_verbs.describe(event)
    assert (described.label, described.from_label, described.to_label) == (
        "登记审结结果",
        "尚未审结",
        "已审结",
    )
    assert audit_verbs.state_label("appeal.file", "pending") == "尚未审结"


def test_a_decision_is_final_with_the_old_sentence():
    table = workflow.APPEAL
    assert table.check("pending", "decide").target == "decided"
    assert not table.allowed("decided")
    assert table.refusal_for("decided", "decide") == "该案件已经审结，不能重复登记结果。"
    assert table.permission_first and not table.stored_state


def test_result_choices_come_from_the_workflow_with_unchanged_labels():
    # The labels are in migration 0001; changing them would need a migration.
    assert Result.choices == [("upheld", "维持"), ("corrected", "纠正"), ("other", "其他结果")]
    assert Result.choices == list(workflow.RESULTS)
    assert (Result.UPHELD, Result.CORRECTED, Result.OTHER) == ("upheld", "corrected", "other")
    assert Appeal.Result is Result
    assert Appeal._meta.get_field("result").choices == list(workflow.RESULTS)


def test_the_roles_of_the_table_are_the_roles_that_may_record():
    assert workflow.APPEAL.get("decide").roles == {str(r) for r in HANDLER_ROLES}


def test_the_workflow_module_never_imports_django():
    code = (
        "import sys\n"
        "from gongkai.appeals import workflow\n"
        "assert workflow.APPEAL.state(type('A', (), {'decided_on': None})()) == 'pending'\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, f'django imported: {loaded[:5]}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_state_is_derived_and_shown(org, clerk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    appeal = appeal_file(
        organization=org,
        kind="reconsideration",
        filed_on=date(2024, 11, 1),
        authority="测试区人民政府",
        acting_user=clerk,
    )
    assert (appeal.state, appeal.state_label) == ("pending", "尚未审结")
    appeal = appeal_decide(
        appeal=appeal, result="other", decided_on=date(2024, 12, 1), acting_user=clerk
    )
    assert (appeal.state, appeal.state_label) == ("decided", "已审结")
    assert list(
        AuditEvent.objects.filter(verb__startswith="appeal.")
        .order_by("id")
        .values_list("verb", "from_state", "to_state")
    ) == [("appeal.file", "", "pending"), ("appeal.decide", "pending", "decided")]
