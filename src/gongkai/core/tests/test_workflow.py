"""Transition tables (pure).  The four tables below are the shapes the apps had
before issue #10, with their refusal sentences copied from the code of the time:
the ports (WP8–WP11) must be able to say each of them with a ``Table``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gongkai.core.workflow import InvalidTransition, Table, Transition

# disclosure/services.py TRANSITIONS + _check: state first, one sentence for all.
ITEM = Table(
    "item",
    states={
        "draft": "草稿",
        "in_review": "保密审查中",
        "in_approval": "待领导审批",
        "published": "已公开",
        "returned": "已退回",
        "withdrawn": "已撤回",
        "recorded": "已审定（不主动公开）",
    },
    transitions=[
        Transition("submit", {"draft", "returned"}, "in_review", "item.submit", "提交保密审查"),
        Transition("review_pass", {"in_review"}, "in_approval", "item.review_pass", "通过保密审查"),
        Transition("return", {"in_review", "in_approval"}, "returned", "item.return", "退回"),
        Transition("approve", {"in_approval"}, "published", "item.approve", "审批通过"),
        Transition(
            "record", {"in_approval"}, "recorded", "item.record", "审批通过（不主动公开，仅登记）"
        ),
        Transition("withdraw", {"published"}, "withdrawn", "item.withdraw", "撤回"),
    ],
    refusal="当前状态为“{state}”，不能执行此操作。",
)

# reports/services.py TRANSITIONS / IMPORT_TRANSITIONS + ACTION_LABEL: permission first.
REPORT_STATES = {
    "draft": "草稿",
    "submitted": "已提交审核",
    "approved": "已审批",
    "published": "已公布",
}
REPORT_REFUSAL = "报告当前状态为「{state}」，不能{short}。"
REPORT = Table(
    "report",
    states=REPORT_STATES,
    transitions=[
        Transition("submit", {"draft"}, "submitted", "report.submit", "提交审核", short="提交"),
        Transition("return", {"submitted", "approved"}, "draft", "report.return", "退回"),
        Transition("approve", {"submitted"}, "approved", "report.approve", "审批通过", "审批"),
        Transition("publish", {"approved"}, "published", "report.publish", "公布"),
    ],
    refusal=REPORT_REFUSAL,
    permission_first=True,
)
IMPORTED_REPORT = Table(
    "report",
    states=REPORT_STATES,
    transitions=[
        Transition(
            "confirm",
            {"submitted"},
            "published",
            "report.import_confirm",
            "确认导入并公布",
            "确认公布",
        ),
        Transition("reject", {"submitted"}, None, "report.import_reject", "退回导入", deletes=True),
    ],
    refusal=REPORT_REFUSAL,
    permission_first=True,
)

# applications/clock.py TRANSITIONS, EVENT_LABEL, STATE_LABEL, _HINT and _Clock.apply.
_OPEN = {"open", "awaiting_correction", "consulting", "awaiting_payment", "awaiting_reasons"}
CLOCK = Table(
    "application",
    states={
        "open": "办理中",
        "awaiting_correction": "待申请人补正",
        "consulting": "征求意见中",
        "awaiting_payment": "待申请人缴费",
        "awaiting_reasons": "待申请人说明理由",
        "closed": "已办结",
    },
    transitions=[
        Transition(
            "correction_requested",
            {"open"},
            "awaiting_correction",
            "application.correction_requested",
            "发出补正通知",
        ),
        Transition(
            "correction_received",
            {"awaiting_correction"},
            "open",
            "application.correction_received",
            "收到补正材料",
        ),
        Transition(
            "third_party_consulted",
            {"open"},
            "consulting",
            "application.third_party_consulted",
            "书面征求第三方意见",
        ),
        Transition(
            "other_body_consulted",
            {"open"},
            "consulting",
            "application.other_body_consulted",
            "征求其他机关意见",
        ),
        Transition(
            "consultation_answered",
            {"consulting"},
            "open",
            "application.consultation_answered",
            "收到征求意见答复",
        ),
        Transition(
            "extension", {"open", "consulting"}, None, "application.extension", "延长答复期限"
        ),
        Transition(
            "fee_notice", {"open"}, "awaiting_payment", "application.fee_notice", "发出收费通知"
        ),
        Transition("fee_paid", {"awaiting_payment"}, "open", "application.fee_paid", "申请人缴费"),
        Transition(
            "reasons_requested",
            {"open"},
            "awaiting_reasons",
            "application.reasons_requested",
            "要求申请人说明理由",
        ),
        Transition(
            "later_date_set",
            {"awaiting_reasons"},
            "open",
            "application.later_date_set",
            "确定延后答复期限",
        ),
        Transition("closed", _OPEN, "closed", "application.closed", "答复办结"),
    ],
    refusal="申请当前状态为“{state}”，不能{short}。",
    refusals={"closed": "申请已办结，不能再{short}。"},
    hints={
        ("awaiting_correction", "extension"): "请先登记收到补正材料。",
        ("consulting", "fee_notice"): "请先登记征求意见的答复。",
        ("awaiting_payment", "extension"): "请先登记缴费情况。",
    },
    unknown="未知的办理事项：{action}",
)

# appeals/services.py: no status column; decided once.
APPEAL = Table(
    "appeal",
    states={"pending": "尚未审结", "decided": "已审结"},
    transitions=[Transition("decide", {"pending"}, "decided", "appeal.decide", "登记结果")],
    refusal="该案件已经审结，不能重复登记结果。",
    permission_first=True,
    stored_state=False,
    state_of=lambda appeal: "decided" if appeal.is_decided else "pending",
)


def refusal(table: Table, state: str, action: str) -> InvalidTransition:
    with pytest.raises(InvalidTransition) as info:
        table.check(state, action)
    return info.value


# --- the four shapes ----------------------------------------------------------------------


def test_item_refusal_is_the_one_sentence_of_disclosure():
    assert ITEM.check("draft", "submit").target == "in_review"
    assert ITEM.check("returned", "submit").verb == "item.submit"
    exc = refusal(ITEM, "published", "submit")
    assert str(exc) == "当前状态为“已公开”，不能执行此操作。"
    assert (exc.state, exc.action, exc.code) == ("published", "submit", "invalid_transition")


def test_report_refusals_use_the_short_action_label():
    assert str(refusal(REPORT, "published", "submit")) == "报告当前状态为「已公布」，不能提交。"
    assert str(refusal(REPORT, "draft", "approve")) == "报告当前状态为「草稿」，不能审批。"
    assert str(refusal(REPORT, "draft", "return")) == "报告当前状态为「草稿」，不能退回。"
    assert str(refusal(IMPORTED_REPORT, "published", "confirm")) == (
        "报告当前状态为「已公布」，不能确认公布。"
    )
    assert str(refusal(IMPORTED_REPORT, "published", "reject")) == (
        "报告当前状态为「已公布」，不能退回导入。"
    )
    # The platform's actions are not the import's: the table is chosen by source.
    assert "confirm" not in REPORT and "submit" not in IMPORTED_REPORT
    assert REPORT.permission_first and IMPORTED_REPORT.permission_first
    assert not ITEM.permission_first


def test_the_clock_sentences_hints_and_closed_state():
    assert str(refusal(CLOCK, "closed", "extension")) == "申请已办结，不能再延长答复期限。"
    assert str(refusal(CLOCK, "awaiting_correction", "extension")) == (
        "申请当前状态为“待申请人补正”，不能延长答复期限。请先登记收到补正材料。"
    )
    assert str(refusal(CLOCK, "consulting", "fee_notice")) == (
        "申请当前状态为“征求意见中”，不能发出收费通知。请先登记征求意见的答复。"
    )
    assert str(refusal(CLOCK, "awaiting_reasons", "reasons_requested")) == (
        "申请当前状态为“待申请人说明理由”，不能要求申请人说明理由。"
    )
    unknown = refusal(CLOCK, "open", "teleport")
    assert (str(unknown), unknown.code) == ("未知的办理事项：teleport", "unknown_action")


def test_a_target_of_none_keeps_the_state_and_deletes_removes_the_record():
    extension = CLOCK.check("consulting", "extension")
    assert extension.after("consulting") == "consulting"
    assert extension.after("open") == "open"
    assert CLOCK.get("closed").after("awaiting_payment") == "closed"
    reject = IMPORTED_REPORT.check("submitted", "reject")
    assert reject.deletes and reject.after("submitted") is None


def test_a_derived_state_is_read_from_the_record():
    assert not APPEAL.stored_state and ITEM.stored_state
    assert APPEAL.state(SimpleNamespace(is_decided=False)) == "pending"
    assert APPEAL.state(SimpleNamespace(is_decided=True)) == "decided"
    assert ITEM.state(SimpleNamespace(status="draft")) == "draft"
    assert str(refusal(APPEAL, "decided", "decide")) == "该案件已经审结，不能重复登记结果。"


# --- what the apps generate from a table ----------------------------------------------------


def test_choices_and_members_keep_the_declared_order():
    assert REPORT.choices() == list(REPORT_STATES.items())
    assert REPORT.members()[0] == ("DRAFT", ("draft", "草稿"))
    assert [m[0] for m in CLOCK.members()] == [
        "OPEN",
        "AWAITING_CORRECTION",
        "CONSULTING",
        "AWAITING_PAYMENT",
        "AWAITING_REASONS",
        "CLOSED",
    ]
    assert CLOCK.state_label("consulting") == "征求意见中"
    assert CLOCK.state_label("no_such_state") == "no_such_state"


def test_allowed_lists_the_actions_of_a_state_in_declared_order():
    assert [t.action for t in ITEM.allowed("in_approval")] == ["return", "approve", "record"]
    assert [t.action for t in REPORT.allowed("approved")] == ["return", "publish"]
    assert [t.action for t in CLOCK.allowed("open")] == [
        "correction_requested",
        "third_party_consulted",
        "other_body_consulted",
        "extension",
        "fee_notice",
        "reasons_requested",
        "closed",
    ]
    assert CLOCK.allowed("closed") == ()
    assert ITEM.can("draft", "submit") and not ITEM.can("draft", "approve")
    assert not ITEM.can("draft", "no_such_action")


def test_verbs_and_labels():
    assert REPORT.verbs() == {
        "report.submit": "提交审核",
        "report.return": "退回",
        "report.approve": "审批通过",
        "report.publish": "公布",
    }
    assert REPORT.get("approve").short == "审批"
    assert REPORT.get("publish").short == "公布"  # short defaults to the label
    assert ITEM.actions == ("submit", "review_pass", "return", "approve", "record", "withdraw")


def test_get_of_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError, match="no_such"):
        ITEM.get("no_such")


def test_model_choices_are_generated_from_the_table_and_its_members_fit_back_in():
    from django.db import models

    Status = models.TextChoices("Status", ITEM.members())
    assert Status.DRAFT == "draft" and Status.DRAFT.label == "草稿"
    assert Status.choices == ITEM.choices()
    t = Transition("go", [Status.DRAFT], Status.IN_REVIEW, "item.go", "前往")
    assert t.sources == frozenset({"draft"}) and t.target == "in_review"
    assert type(t.target) is str and {type(s) for s in t.sources} == {str}


# --- mistakes in a table are caught when it is declared ----------------------------------------


def _table(**overrides):
    args = {
        "states": {"a": "甲", "b": "乙"},
        "transitions": [Transition("go", {"a"}, "b", "x.go", "前往")],
    }
    args.update(overrides)
    return Table("x", **args)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"transitions": [Transition("go", {"a"}, "c", "x.go", "前往")]}, "unknown states"),
        ({"transitions": [Transition("go", {"z"}, "b", "x.go", "前往")]}, "unknown states"),
        (
            {
                "transitions": [
                    Transition("go", {"a"}, "b", "x.go", "前往"),
                    Transition("go", {"b"}, "a", "x.back", "返回"),
                ]
            },
            "declared twice",
        ),
        (
            {
                "transitions": [
                    Transition("go", {"a"}, "b", "x.go", "前往"),
                    Transition("back", {"b"}, "a", "x.go", "返回"),
                ]
            },
            "used twice",
        ),
        ({"transitions": [Transition("go", {"a"}, "b", "y.go", "前往")]}, "must start with"),
        ({"refusals": {"c": "不行"}}, "unknown states"),
        ({"hints": {("a", "fly"): "先登记"}}, "hint for unknown"),
        ({"stored_state": False}, "needs state_of"),
        ({"state_of": lambda obj: "a"}, "needs state_of"),
        ({"states": {}}, "needs states"),
        ({"states": [("a", "甲"), ("a", "乙")]}, "declared twice"),
    ],
)
def test_a_wrong_table_is_refused_when_declared(overrides, message):
    with pytest.raises(ValueError, match=message):
        _table(**overrides)


def test_a_typo_in_a_refusal_template_fails_when_declared():
    with pytest.raises(KeyError):
        _table(refusal="当前状态为“{stat}”")
    assert _table(refusal="不能{short}（{label}，{action}，{state}）").refusal_for("b", "go") == (
        "不能前往（前往，go，乙）"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sources": "draft"},  # a string is not a set of states
        {"sources": set()},
        {"label": ""},
        {"deletes": True},  # deleting has no target
    ],
)
def test_a_wrong_transition_is_refused(kwargs):
    args = {"action": "go", "sources": {"a"}, "target": "b", "verb": "x.go", "label": "前往"}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError)):
        Transition(**args)
