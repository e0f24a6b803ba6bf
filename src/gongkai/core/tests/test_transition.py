"""``transition()`` on real rows: annual reports (a stored status, two tables, a
step that deletes) and appeals (a derived state).  The tables here are the test's
own; the apps' services are not used or changed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.appeals.models import Appeal
from gongkai.audit.models import AuditEvent
from gongkai.core.errors import Forbidden, Invalid, WrongState, require
from gongkai.core.transition import lock, transition
from gongkai.core.workflow import Table, Transition
from gongkai.reports.models import AnnualReport

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2025, 2, 10, 9, 30))
STATES = {"draft": "草稿", "submitted": "已提交审核", "approved": "已审批", "published": "已公布"}
STEPS = [
    Transition(
        "submit", {"draft"}, "submitted", "report.submit", "提交审核", "提交", stamp="submitted_at"
    ),
    Transition("return", {"submitted", "approved"}, "draft", "report.return", "退回"),
    Transition(
        "approve",
        {"submitted"},
        "approved",
        "report.approve",
        "审批通过",
        "审批",
        stamp="approved_at",
    ),
    Transition("touch", {"draft", "submitted"}, None, "report.touch", "刷新"),
]
REPORT = Table(
    "report",
    states=STATES,
    transitions=STEPS,
    refusal="报告当前状态为「{state}」，不能{short}。",
    permission_first=True,
)
STATE_FIRST = Table(
    "report", states=STATES, transitions=STEPS, refusal="当前状态为“{state}”，不能执行此操作。"
)
IMPORTED = Table(
    "report",
    states=STATES,
    transitions=[
        Transition("reject", {"submitted"}, None, "report.import_reject", "退回导入", deletes=True)
    ],
    refusal="报告当前状态为「{state}」，不能{short}。",
    permission_first=True,
)
APPEAL = Table(
    "appeal",
    states={"pending": "尚未审结", "decided": "已审结"},
    transitions=[Transition("decide", {"pending"}, "decided", "appeal.decide", "登记结果")],
    refusal="该案件已经审结，不能重复登记结果。",
    permission_first=True,
    stored_state=False,
    state_of=lambda appeal: "decided" if appeal.is_decided else "pending",
)


@pytest.fixture
def report(org, clerk):
    return AnnualReport.objects.create(
        organization=org, year=2023, created_by=clerk, last_edited_by=clerk
    )


def events():
    return list(AuditEvent.objects.order_by("id"))


def test_a_step_changes_saves_and_writes_one_audit_row(report, clerk):
    done = transition(
        report,
        "submit",
        table=REPORT,
        actor=clerk,
        now=NOW,
        comment="请审批",
        audit_data={"year": 2023},
        submitted_by=clerk,
        return_comment="",
    )
    assert (done.status, done.submitted_at, done.submitted_by) == ("submitted", NOW, clerk)
    report.refresh_from_db()
    assert (report.status, report.submitted_at, report.submitted_by_id) == (
        "submitted",
        NOW,
        clerk.pk,
    )
    [event] = events()
    assert (event.verb, event.from_state, event.to_state) == ("report.submit", "draft", "submitted")
    assert (event.actor, event.organization, event.comment) == (
        clerk,
        report.organization,
        "请审批",
    )
    assert (event.object_id, event.data) == (str(report.pk), {"year": 2023})


def test_the_state_is_read_again_under_the_lock_not_taken_from_the_callers_copy(report, clerk):
    stale = AnnualReport.objects.get(pk=report.pk)
    AnnualReport.objects.filter(pk=report.pk).update(status="submitted")
    with pytest.raises(WrongState, match="报告当前状态为「已提交审核」，不能提交。"):
        transition(stale, "submit", table=REPORT, actor=clerk, now=NOW)
    assert stale.status == "draft"  # the caller's object is never touched
    fresh = transition(stale, "approve", table=REPORT, actor=clerk, now=NOW)
    assert fresh is not stale and fresh.status == "approved"


def test_the_re_read_takes_a_row_lock(report, clerk):
    with CaptureQueriesContext(connection) as queries:
        transition(report, "submit", table=REPORT, actor=clerk, now=NOW)
    first = next(q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT"))
    assert ("FOR UPDATE" in first.upper()) == connection.features.has_select_for_update


def test_related_rows_come_with_the_lock(report, clerk, django_assert_num_queries):
    with transaction.atomic():
        locked = lock(report, related=("organization",))
        with django_assert_num_queries(0):
            assert locked.organization.pk == report.organization_id


def test_a_refusal_leaves_no_trace(report, clerk):
    AnnualReport.objects.filter(pk=report.pk).update(status="published", published_at=NOW)
    with pytest.raises(WrongState) as info:
        transition(report, "return", table=REPORT, actor=clerk, now=NOW, return_comment="x")
    assert info.value.messages == ["报告当前状态为「已公布」，不能退回。"]
    assert (info.value.state, info.value.action) == ("published", "return")
    report.refresh_from_db()
    assert (report.status, report.return_comment) == ("published", "")
    assert events() == []


@pytest.mark.parametrize(("table", "expected"), [(REPORT, Forbidden), (STATE_FIRST, WrongState)])
def test_permission_and_state_are_checked_in_the_tables_order(report, clerk, table, expected):
    # A user without the right at a record in the wrong state: the table decides
    # which refusal they read (reports: permission first; disclosure: state first).
    def guard(obj):
        return "只有审批领导可以审批年度报告。"

    with pytest.raises(expected):
        transition(report, "approve", table=table, actor=clerk, now=NOW, guard=guard)
    assert events() == []


@pytest.mark.parametrize(
    ("table", "other", "expected"),
    [(IMPORTED, "submit", Forbidden), (STATE_FIRST, "reject", WrongState)],
)
def test_an_action_the_table_does_not_have_is_refused_like_a_wrong_state(
    report, clerk, table, other, expected
):
    # Confirming a report made on the platform (the action comes from the request)
    # is a sentence for the user, not a KeyError (a 500), and in the table's order.
    with pytest.raises(expected):
        transition(report, other, table=table, actor=clerk, now=NOW, guard=lambda r: "无权")
    with pytest.raises(WrongState) as info:
        transition(report, "fly", table=table, actor=clerk, now=NOW, guard=lambda r: None)
    assert info.value.messages == ["未知的操作：fly"]
    assert (info.value.code, info.value.state, info.value.action) == (
        "unknown_action",
        "draft",
        "fly",
    )
    report.refresh_from_db()
    assert report.status == "draft" and events() == []


def test_the_guard_sees_the_locked_record_and_refuses_with_its_message(report, clerk, approver):
    AnnualReport.objects.filter(pk=report.pk).update(status="submitted", submitted_by=approver)
    seen = []

    def guard_for(user):
        def guard(obj):
            seen.append(obj.submitted_by_id)
            if obj.submitted_by_id == user.pk:
                return "不能审批自己提交的年度报告，请由另一位审批领导审批。"
            return None

        return guard

    with pytest.raises(Forbidden, match="不能审批自己提交的年度报告") as info:
        transition(
            report, "approve", table=REPORT, actor=approver, now=NOW, guard=guard_for(approver)
        )
    assert isinstance(info.value, PermissionError)  # what the report tests catch today
    assert seen == [approver.pk]  # read from the row, not from the caller's copy
    with pytest.raises(Forbidden, match="^没有权限$"):
        transition(
            report,
            "approve",
            table=REPORT,
            actor=clerk,
            now=NOW,
            guard=lambda obj: require(False, "没有权限"),
        )
    approved = transition(
        report, "approve", table=REPORT, actor=clerk, now=NOW, guard=guard_for(clerk)
    )
    assert (approved.status, approved.approved_at) == ("approved", NOW)


def test_a_guard_must_answer_none_or_a_message(report, clerk):
    with pytest.raises(TypeError, match="returns None or a refusal message"):
        transition(report, "submit", table=REPORT, actor=clerk, now=NOW, guard=lambda obj: True)
    assert events() == []


def test_change_runs_after_both_checks_and_its_refusal_rolls_everything_back(report, clerk):
    calls = []

    def change(obj):
        calls.append(obj.status)
        assert obj.submitted_by is None and obj.submitted_at is None
        raise Invalid("2023年度尚未结束。")

    with pytest.raises(WrongState):
        transition(report, "approve", table=REPORT, actor=clerk, now=NOW, change=change)
    assert calls == []  # not reached: the state refused first
    with pytest.raises(Invalid, match="尚未结束"):
        transition(
            report, "submit", table=REPORT, actor=clerk, now=NOW, change=change, submitted_by=clerk
        )
    # It sees the record as it still is: the old services validated before changing.
    assert calls == ["draft"]
    report.refresh_from_db()
    assert (report.status, report.submitted_at, report.submitted_by) == ("draft", None, None)
    assert events() == []


def test_change_computes_fields_and_audit_data_reads_the_saved_record(report, clerk):
    def change(obj):
        obj.cells = {"t3.total": len(obj.organization.name)}

    done = transition(
        report,
        "submit",
        table=REPORT,
        actor=clerk,
        now=NOW,
        change=change,
        audit_data=lambda obj: {"cells": len(obj.cells)} if obj.cells else None,
    )
    report.refresh_from_db()
    assert report.cells == done.cells == {"t3.total": len(report.organization.name)}
    assert events()[0].data == {"cells": 1}


def test_the_action_may_depend_on_the_locked_record(report, clerk):
    def submit_or_touch(obj):
        return "submit" if obj.source == "platform" else "touch"

    done = transition(report, submit_or_touch, table=REPORT, actor=clerk, now=NOW)
    assert done.status == "submitted"
    assert events()[0].verb == "report.submit"


def test_a_step_without_target_keeps_the_state(report, clerk):
    done = transition(report, "touch", table=REPORT, actor=clerk, now=NOW, return_comment="看过")
    assert (done.status, done.return_comment) == ("draft", "看过")
    [event] = events()
    assert (event.from_state, event.to_state) == ("draft", "draft")


def test_a_deleting_step_writes_its_audit_row_then_removes_the_record(org, clerk, approver):
    imported = AnnualReport.objects.create(
        organization=org,
        year=2019,
        status="published",
        published_at=NOW,
        source="imported",
        created_by=clerk,
    )
    pk = imported.pk
    with pytest.raises(WrongState, match="报告当前状态为「已公布」，不能退回导入。"):
        transition(imported, "reject", table=IMPORTED, actor=approver, now=NOW)
    assert AnnualReport.objects.filter(pk=pk).exists() and events() == []
    AnnualReport.objects.filter(pk=pk).update(status="submitted", published_at=None)
    gone = transition(
        imported, "reject", table=IMPORTED, actor=approver, now=NOW, comment="文件有误"
    )
    assert gone.pk is None and not AnnualReport.objects.filter(pk=pk).exists()
    [event] = events()
    assert (event.verb, event.from_state, event.to_state, event.comment) == (
        "report.import_reject",
        "submitted",
        "",
        "文件有误",
    )
    assert event.object_id == str(pk) and "2019" in event.object_repr


def test_a_derived_state_is_checked_and_audited_but_not_stored(org, clerk):
    appeal = Appeal.objects.create(
        organization=org,
        kind="reconsideration",
        filed_on=date(2024, 11, 1),
        authority="测试区人民政府",
    )

    def decide(obj):
        obj.result = "upheld"
        obj.decided_on = date(2024, 12, 20)

    done = transition(
        appeal,
        "decide",
        table=APPEAL,
        actor=clerk,
        now=NOW,
        change=decide,
        audit_data={"result": "upheld"},
    )
    appeal.refresh_from_db()
    assert (
        (appeal.result, appeal.decided_on)
        == ("upheld", date(2024, 12, 20))
        == (
            done.result,
            done.decided_on,
        )
    )
    assert not hasattr(appeal, "status")
    [event] = events()
    assert (event.verb, event.from_state, event.to_state) == ("appeal.decide", "pending", "decided")
    assert event.organization == org
    with pytest.raises(WrongState) as info:
        transition(appeal, "decide", table=APPEAL, actor=clerk, now=NOW, change=decide)
    assert info.value.messages == ["该案件已经审结，不能重复登记结果。"]


def test_a_refusal_inside_the_callers_transaction_leaves_it_usable(report, clerk):
    # Views and services may catch the refusal inside their own atomic block: the
    # step's savepoint is rolled back, not the caller's transaction.
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(return_comment="外层的修改")
        with pytest.raises(WrongState):
            transition(report, "approve", table=REPORT, actor=clerk, now=NOW)
        assert AnnualReport.objects.get(pk=report.pk).return_comment == "外层的修改"
    report.refresh_from_db()
    assert report.return_comment == "外层的修改"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"action": None}, TypeError),
        ({"no_such_field": 1}, TypeError),
        ({"now": datetime(2025, 2, 10, 9, 30)}, ValueError),  # naive
        ({"now": date(2025, 2, 10)}, ValueError),
    ],
)
def test_programming_errors_are_loud_and_write_nothing(report, clerk, kwargs, error):
    args = {"action": "submit", "table": REPORT, "actor": clerk, "now": NOW}
    args.update(kwargs)
    action = args.pop("action")
    with pytest.raises(error):
        transition(report, action, **args)
    report.refresh_from_db()
    assert report.status == "draft" and events() == []


def test_a_failing_audit_row_undoes_the_step(report, clerk):
    # The change and its audit row are one: no saved state change without its row.
    with pytest.raises(TypeError):
        transition(report, "submit", table=REPORT, actor=clerk, now=NOW, audit_data={"x": object()})
    report.refresh_from_db()
    assert (report.status, report.submitted_at) == ("draft", None)
    assert events() == []


@pytest.mark.django_db(transaction=True)
def test_a_caller_without_a_transaction_gets_one(org, clerk):
    # A management command or a shell may call it outside any atomic block: the
    # row lock needs a transaction (PostgreSQL refuses FOR UPDATE in autocommit).
    report = AnnualReport.objects.create(organization=org, year=2022, created_by=clerk)
    assert not transaction.get_connection().in_atomic_block
    done = transition(report, "submit", table=REPORT, actor=clerk, now=NOW)
    assert done.status == "submitted"
    assert AuditEvent.objects.filter(verb="report.submit", object_id=str(report.pk)).exists()
