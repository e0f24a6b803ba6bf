"""The workflow of a 督办 notice and the audit verbs of the app.

A supervising body sends a 督办 about one overdue thing of a body below it
(``urging.send``, not a transition: it creates the record) and the notice is
已督办.  The body acknowledges receipt (``acknowledge``) and answers with what
it did and the date by which it will finish (``answer``; answering an
unacknowledged notice acknowledges it too).  A notice not answered by its
respond-by date is escalated by the daily job (``escalate``: 已逾期未回复,
shown highlighted to the supervisor and deducted in 考核).  The supervisor
reviews the answer and closes the notice (``close``); an escalated notice may
be closed too, with a comment saying why.

Pure: no Django import (the audit-verb registry finds this module as
``gongkai.urging.workflow``).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

# The body's own working roles answer; the supervising body's 监督 or 管理员 send and close.
BODY_ROLES = {"clerk", "office_head", "admin"}
SUPERVISOR_ROLES = {"supervisor", "admin"}

URGING = Table(
    "urging",
    states={
        "sent": "已督办（待签收）",
        "acknowledged": "已签收",
        "escalated": "逾期未回复",
        "answered": "已回复",
        "closed": "已办结",
    },
    transitions=[
        Transition(
            "acknowledge",
            {"sent"},
            "acknowledged",
            verb="urging.acknowledge",
            label="签收",
            roles=BODY_ROLES,
            stamp="acknowledged_at",
        ),
        Transition(
            "answer",
            {"sent", "acknowledged", "escalated"},
            "answered",
            verb="urging.answer",
            label="回复办理情况",
            short="回复",
            roles=BODY_ROLES,
            stamp="answered_at",
        ),
        Transition(
            "escalate",
            {"sent", "acknowledged"},
            "escalated",
            verb="urging.escalate",
            label="逾期未回复，升级督办",
            short="升级督办",
            stamp="escalated_at",
        ),
        Transition(
            "close",
            {"answered", "escalated"},
            "closed",
            verb="urging.close",
            label="办结",
            roles=SUPERVISOR_ROLES,
            stamp="closed_at",
        ),
    ],
    refusals={"closed": "该督办已办结，不能再办理。"},
)

# Waiting for the body's answer (the respond-by date runs).
UNANSWERED_STATES = frozenset({"sent", "acknowledged", "escalated"})
# Not yet closed: at most one such notice per target (a database constraint).
OPEN_STATES = frozenset({"sent", "acknowledged", "escalated", "answered"})

# (value, label) of the four things a 督办 can be about.
KINDS: tuple[tuple[str, str], ...] = (
    ("application", "超期未答复的政府信息公开申请"),
    ("item", "超期未公开的主动公开信息"),
    ("inquiry", "超期未答复的网上留言"),
    ("report", "逾期未公布的政府信息公开工作年度报告"),
)

VERBS: dict[str, str] = {
    # services.urging_send: a notice sent (to_state "sent")
    "urging.send": "发出督办",
}
