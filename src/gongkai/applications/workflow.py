"""The application's one vocabulary (pure: no Django import).

``CLOCK`` is the reply clock's transition table, declared in :mod:`.clock`
(states with their labels, each event kind with the states it may happen in,
the state after, its audit verb ``application.<kind>`` and its label);
``models.py`` generates ``Status`` and ``EventKind`` from it and the back
office's action lists read it.  ``VERBS`` labels every other audit verb the
application services write (gongkai.core.audit_verbs finds both here).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

from .clock import (
    AWAITING_CORRECTION,
    AWAITING_PAYMENT,
    AWAITING_REASONS,
    CLOCK,
    STATE_CLOSED,
)

__all__ = [
    "CLOCK",
    "INTAKE",
    "INTAKE_NOT_HELD",
    "EVENT_KINDS",
    "OPEN_STATUSES",
    "VERBS",
    "WAITING_FOR_APPLICANT",
    "event_kind_members",
    "paused_statuses",
]

# Every state but "closed": the application still needs a reply.
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in CLOCK.states if s != STATE_CLOSED)
# The clock waits for the applicant (补正, 缴费, 说明理由).
WAITING_FOR_APPLICANT: tuple[str, ...] = (AWAITING_CORRECTION, AWAITING_PAYMENT, AWAITING_REASONS)


def paused_statuses(fee_pauses: bool) -> tuple[str, ...]:
    """Open states in which the reply clock does not run.

    条例第三十条: a 补正 suspends the period; 国办函〔2020〕109号: notice-to-payment
    time is not counted only when ``fee_pauses`` (``GONGKAI_FEE_PAUSES_CLOCK``).
    Waiting for reasons (条例第三十五条) never stops the clock.
    """
    return (AWAITING_CORRECTION, AWAITING_PAYMENT) if fee_pauses else (AWAITING_CORRECTION,)


# Event kind -> its label, in declaration order (the ``EventKind`` choices).
EVENT_KINDS: dict[str, str] = {t.action: t.label for t in CLOCK.transitions}


def event_kind_members() -> list[tuple[str, tuple[str, str]]]:
    """Members for ``models.TextChoices("EventKind", ...)`` (``EventKind.FEE_PAID == "fee_paid"``)."""
    return [(kind.upper(), (kind, label)) for kind, label in EVENT_KINDS.items()]


# Audit verbs written by the application services besides the clock's
# ``application.<kind>`` (which the table labels).
VERBS: dict[str, str] = {
    "application.receive": "登记申请",  # services.intake (条例第三十一条)
    "application.assign": "分办科室",  # services.intake
    "application.extension_request": "申请延长答复期限",  # 条例第三十三条第二款
    "application.extension_reject": "不批准延长答复期限",  # 条例第三十三条第二款
    "application.deadline_refresh": "按工作日历重算答复期限",  # services.refresh
    "application.deadline_unreplayable": "答复期限无法重新计算",  # services.refresh
    "letter.failed": "文书生成失败",  # services._common (a broken stored template)
    "letter.regenerate": "重新生成文书",  # services.letter_templates
    "letter_template.save": "修改文书模板",  # services.letter_templates
    "letter_template.reset": "恢复默认文书模板",  # services.letter_templates
    # applications.delivery (送达, decision D65)
    "application.release_document": "上传提供的政府信息",
    "application.release_document_remove": "删除提供的政府信息",
    "application.delivery_download": "申请人下载答复文件",
    "application.served": "送达（申请人首次下载）",
    "application.serve_record": "登记送达",
    "intake.receive": "统一受理平台收到申请",  # services.dispatch (条例第三十一条)
    "intake_settings.save": "修改统一受理设置",  # services.dispatch
}


# --- 统一受理（集约化）: the hops of an application received by a county's platform ---

# The states of an application that came in through a county's unified intake
# (``Application.intake_state``; blank for one a body received itself).  The
# county's 公开办 dispatches (分办) it; the receiving body signs for it (签收) or
# returns it (退回) to the county's queue; a body that finds it is another
# body's transfers it (转办) within the platform.  Only a signed application is
# a body's own: it may then be handled, and table 3 counts it for that body.
INTAKE_PENDING = "pending"
INTAKE_DISPATCHED = "dispatched"
INTAKE_SIGNED = "signed"

INTAKE = Table(
    "intake",
    states={
        INTAKE_PENDING: "待分办",
        INTAKE_DISPATCHED: "待签收",
        INTAKE_SIGNED: "已签收",
    },
    transitions=[
        Transition("dispatch", {INTAKE_PENDING}, INTAKE_DISPATCHED, "intake.dispatch", "分办"),
        Transition("sign", {INTAKE_DISPATCHED}, INTAKE_SIGNED, "intake.sign", "签收"),
        Transition("return", {INTAKE_DISPATCHED}, INTAKE_PENDING, "intake.return", "退回"),
        Transition(
            "transfer",
            {INTAKE_DISPATCHED, INTAKE_SIGNED},
            INTAKE_DISPATCHED,
            "intake.transfer",
            "转办",
        ),
    ],
    refusal="该申请当前为“{state}”，不能{short}。",
    hints={
        (INTAKE_SIGNED, "return"): "已签收的申请如不属于本机关，请转办给负责的机关。",
    },
    unknown="未知的分办操作：{action}",
    state_field="intake_state",
)

# Not yet any body's own: table 3 counts it for nobody (gongkai.core.counting
# reads the same two values as ``T3_NOT_HELD``; a test keeps them equal).
INTAKE_NOT_HELD: tuple[str, ...] = (INTAKE_PENDING, INTAKE_DISPATCHED)

# 收到申请之日 of the body that answers (条例第三十一条; docs/decisions.md D63):
# "platform" — the day the unified platform received it (the bodies' shared
# channel); "signed" — the day the answering body signed for it.
CLOCK_START_PLATFORM = "platform"
CLOCK_START_SIGNED = "signed"
CLOCK_START_CHOICES: dict[str, str] = {
    CLOCK_START_PLATFORM: "统一受理平台收到申请之日",
    CLOCK_START_SIGNED: "答复机关签收之日",
}

# The hops recorded for the applicant and the 公开办 (``IntakeHop.kind``).
HOP_KINDS: dict[str, str] = {
    "received": "统一受理平台收到申请",
    "dispatched": "分办",
    "signed": "签收",
    "returned": "退回",
    "transferred": "转办",
}
