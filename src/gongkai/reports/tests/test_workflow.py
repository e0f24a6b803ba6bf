"""The annual report's workflow tables (issue #10): the one declaration that the
model's choices, the services, the detail page's buttons, the history and the
audit log read.  Each expected value below is what the code said before the
tables existed (services.TRANSITIONS / IMPORT_TRANSITIONS / ACTION_LABEL, the
back office's VERB_LABEL and buttons, migration 0001's choices)."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.core.audit_verbs import Registry
from gongkai.core.errors import Forbidden, WrongState
from gongkai.reports import services, workflow
from gongkai.reports.models import AnnualReport, Source, Status

from . import factories as f

REPORTS = Path(workflow.__file__).resolve().parent
NOW = timezone.make_aware(datetime(2025, 2, 10, 9))
TODAY = date(2025, 2, 3)


def _written_verbs() -> set[str]:
    """Every ``verb="…"`` literal in the app's production code (tests and migrations aside)."""
    found = set()
    for path in REPORTS.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(REPORTS).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "verb":
                assert isinstance(node.value, ast.Constant), f"{path}: a verb must be a literal"
                found.add(node.value.value)
    return found


def test_every_verb_the_app_writes_has_its_chinese_label():
    written = (
        _written_verbs() | set(workflow.REPORT.verbs()) | set(workflow.IMPORTED_REPORT.verbs())
    )
    registry = Registry()  # discovers gongkai.reports.workflow like the audit page does
    labels = {verb: registry.label(verb) for verb in written}
    assert labels == {
        # views/backoffice.py VERB_LABEL before issue #10, word for word
        "report.start": "生成草稿",
        "report.edit": "修改正文",
        "report.regenerate": "重新生成正文",
        "report.submit": "提交审核",
        "report.return": "退回",
        "report.approve": "审批通过",
        "report.publish": "公布",
        "report.correction_open": "登记更正",
        "report.correct": "完成更正",
        "report.correction_prose": "更正正文",
        "report.import": "导入（待审批领导确认）",
        "report.import_confirm": "确认导入并公布",
        "report.import_reject": "退回导入",
        "report.demo": "演示数据",
        # had no label: the audit log showed the raw verb
        "report.settings": "修改年度报告监督设置",
    }


def test_the_tables_are_the_old_transitions():
    def pairs(table):
        return {(s, t.action): t.after(s) for t in table.transitions for s in t.sources}

    assert pairs(workflow.REPORT) == {
        ("draft", "submit"): "submitted",
        ("submitted", "return"): "draft",
        ("submitted", "approve"): "approved",
        ("approved", "return"): "draft",
        ("approved", "publish"): "published",
    }
    # An imported report is confirmed (published) or rejected (removed).
    assert pairs(workflow.IMPORTED_REPORT) == {
        ("submitted", "confirm"): "published",
        ("submitted", "reject"): None,
    }
    assert workflow.IMPORTED_REPORT.get("reject").deletes
    assert workflow.REPORT.permission_first and workflow.IMPORTED_REPORT.permission_first


@pytest.mark.parametrize(
    ("source", "state", "action", "sentence"),
    [
        ("platform", "draft", "approve", "报告当前状态为「草稿」，不能审批。"),
        ("platform", "published", "return", "报告当前状态为「已公布」，不能退回。"),
        ("platform", "submitted", "submit", "报告当前状态为「已提交审核」，不能提交。"),
        ("platform", "draft", "publish", "报告当前状态为「草稿」，不能公布。"),
        ("imported", "published", "confirm", "报告当前状态为「已公布」，不能确认公布。"),
        ("imported", "published", "reject", "报告当前状态为「已公布」，不能退回导入。"),
        # An action of the other source's table reads like a state refusal.
        ("platform", "submitted", "confirm", "报告当前状态为「已提交审核」，不能确认公布。"),
        ("imported", "submitted", "submit", "报告当前状态为「已提交审核」，不能提交。"),
    ],
)
def test_refusals_keep_their_sentences(source, state, action, sentence):
    assert workflow.refusal_for(source, state, action) == sentence


def test_status_and_source_choices_come_from_the_workflow_unchanged():
    # The labels are in migration 0001; changing them would need a migration.
    assert Status.choices == [
        ("draft", "草稿"),
        ("submitted", "已提交审核"),
        ("approved", "已审批"),
        ("published", "已公布"),
    ]
    assert Status.choices == workflow.REPORT.choices() == workflow.IMPORTED_REPORT.choices()
    assert Source.choices == [("platform", "本平台编制"), ("imported", "导入的往年报告")]
    assert (Status.DRAFT, Status.PUBLISHED, Source.IMPORTED) == ("draft", "published", "imported")
    assert AnnualReport.Status is Status
    assert AnnualReport._meta.get_field("status").choices == workflow.REPORT.choices()


def test_the_workflow_module_never_imports_django():
    code = (
        "import sys\n"
        "from gongkai.reports import workflow\n"
        "assert workflow.table_for('imported').allowed('submitted')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, f'django imported: {loaded[:5]}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


# --- services on the tables ---------------------------------------------------------------------


def _submitted(org, clerk):
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=TODAY)
    report = f.fill_placeholders(report, clerk)
    return services.report_submit(report=report, acting_user=clerk, now=NOW)


def _imported(org, clerk):
    from gongkai.annual.sample import seed_like_report
    from gongkai.annual.writers import write

    sample = seed_like_report()
    sample.organization, sample.title = org.name, None
    return services.report_import(
        organization=org,
        year=None,
        data=write(sample, "text"),
        filename="2024.txt",
        acting_user=clerk,
        now=NOW,
    )


@pytest.mark.django_db
def test_an_action_of_the_other_table_is_refused_in_words_not_a_crash(org, clerk, approver):
    report = _submitted(org, clerk)
    with pytest.raises(WrongState) as exc:
        services.report_confirm_import(report=report, acting_user=approver, now=NOW)
    assert exc.value.messages == ["报告当前状态为「已提交审核」，不能确认公布。"]
    # The role is still checked first.
    with pytest.raises(Forbidden, match="只有审批领导可以确认导入的年度报告。"):
        services.report_confirm_import(report=report, acting_user=clerk, now=NOW)
    AnnualReport.objects.filter(pk=report.pk).delete()  # one report a year
    imported = _imported(org, clerk)
    with pytest.raises(WrongState) as exc:
        services.report_submit(report=imported, acting_user=clerk, now=NOW)
    assert exc.value.messages == ["报告当前状态为「已提交审核」，不能提交。"]
    assert AnnualReport.objects.get(pk=imported.pk).status == "submitted"


@pytest.mark.django_db
def test_return_and_reject_stamp_the_clock_they_are_given(org, clerk, approver):
    returned_at = timezone.make_aware(datetime(2025, 2, 11, 15))
    report = _submitted(org, clerk)
    services.report_return(report=report, comment="请补充", acting_user=approver, now=returned_at)
    event = AuditEvent.objects.get(verb="report.return")
    assert (event.created_at, event.from_state, event.to_state) == (
        returned_at,
        "submitted",
        "draft",
    )
    AnnualReport.objects.filter(pk=report.pk).delete()
    imported = _imported(org, clerk)
    services.report_reject_import(
        report=imported, comment="文件有误", acting_user=approver, now=returned_at
    )
    event = AuditEvent.objects.get(verb="report.import_reject")
    assert (event.created_at, event.from_state, event.to_state) == (returned_at, "submitted", "")
    assert event.data == {"file": "2024.txt", "year": 2024} and event.comment == "文件有误"


# --- the back office reads the tables -----------------------------------------------------------


def _buttons(page) -> list[str]:
    """The workflow steps the detail page offers (their form actions), in order."""
    html = page.text
    return [
        action
        for action in ("submit", "approve", "confirm", "publish", "return", "reject")
        if f"/do/{action}/" in html
    ]


@pytest.mark.django_db
def test_the_detail_page_offers_the_steps_the_state_and_the_role_allow(
    client_for, org, clerk, approver, org_admin
):
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=TODAY)
    f.fill_placeholders(report, clerk)
    url = reverse("reports:report_detail", args=[2024])
    assert _buttons(client_for(clerk).get(url)) == ["submit"]
    assert _buttons(client_for(approver).get(url)) == []
    services.report_submit(report=report, acting_user=clerk, now=NOW)
    page = client_for(approver).get(url)
    assert _buttons(page) == ["approve", "return"]
    assert ">审批通过</button>" in page.text and "<summary>退回经办人</summary>" in page.text
    assert _buttons(client_for(org_admin).get(url)) == []  # 管理员 neither approves nor returns
    services.report_approve(report=report, acting_user=approver, now=NOW)
    page = client_for(org_admin).get(url)
    assert _buttons(page) == ["publish", "return"]  # who may publish may also return
    assert 'data-confirm="公布后年度数据将被锁定，确定公布吗？"' in page.text
    assert _buttons(client_for(clerk).get(url)) == []


@pytest.mark.django_db
def test_a_refusal_by_the_service_is_the_403_page_with_its_reason(client_for, org, clerk):
    from gongkai.organizations.factories import MembershipFactory

    report = _submitted(org, clerk)
    MembershipFactory(user=clerk, organization=org, role="approver")
    r = client_for(clerk).post(reverse("reports:report_action", args=[2024, "approve"]))
    assert r.status_code == 403
    assert "不能审批自己提交的年度报告，请由另一位审批领导审批。" in r.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_the_history_reads_the_labels_of_the_tables(client_for, org, clerk, approver):
    report = _submitted(org, clerk)
    services.report_return(report=report, comment="请补充", acting_user=approver, now=NOW)
    page = client_for(clerk).get(reverse("reports:report_detail", args=[2024]))
    history = page.text[page.text.index('id="hist-h"') :]
    assert "生成草稿（草稿）" in history
    assert "提交审核（草稿 → 已提交审核）" in history
    assert "退回（已提交审核 → 草稿）：请补充" in history
