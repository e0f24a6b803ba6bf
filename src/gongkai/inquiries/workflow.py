"""The workflow of an online inquiry (政民互动 留言) and the audit verbs of the app.

A citizen's question arrives on the portal (``inquiry.submit``, not a
transition: it creates the record) and is 已收到.  The clerk or the 公开办负责人
routes it to the body itself or one of its 科室 (``route``, repeatable while
unanswered); the unit's staff or the clerk answers it (``answer``).  An answered
inquiry is then published as a Q&A — only when the asker consented — or
recorded as not published (``publish`` / ``withhold``); a published one can be
taken down again (``unpublish``).  An abusive message (insults, advertising,
nothing to answer) is 不予受理 with a reason (``reject``).

No national statute fixes a reply period for these messages: 《政府信息公开条例》
第三十九条 says petitions, complaints and consultations are not disclosure
applications, and the reply period is a local rule (see docs/inquiries.md);
the period is each body's setting (``models.InquirySettings``).

Pure: no Django import (the audit-verb registry finds this module as
``gongkai.inquiries.workflow``).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

HANDLERS = {"clerk", "office_head", "admin"}

INQUIRY = Table(
    "inquiry",
    states={
        "received": "已收到",
        "routed": "已转办",
        "answered": "已答复",
        "published": "已答复（已公开）",
        "not_published": "已答复（不公开）",
        "rejected": "不予受理",
    },
    transitions=[
        Transition(
            "route",
            {"received", "routed"},
            "routed",
            verb="inquiry.route",
            label="转办",
            roles=HANDLERS,
        ),
        Transition(
            "answer",
            {"received", "routed"},
            "answered",
            verb="inquiry.answer",
            label="答复",
            roles=HANDLERS,
            stamp="answered_at",
        ),
        Transition(
            "publish",
            {"answered", "not_published"},
            "published",
            verb="inquiry.publish",
            label="公开问答",
            roles=HANDLERS,
            stamp="published_at",
        ),
        Transition(
            "withhold",
            {"answered"},
            "not_published",
            verb="inquiry.withhold",
            label="不公开问答",
            roles=HANDLERS,
        ),
        Transition(
            "unpublish",
            {"published"},
            "not_published",
            verb="inquiry.unpublish",
            label="撤回公开",
            roles=HANDLERS,
        ),
        Transition(
            "reject",
            {"received", "routed"},
            "rejected",
            verb="inquiry.reject",
            label="不予受理",
            roles=HANDLERS,
        ),
    ],
    refusals={"rejected": "该留言已不予受理，不能再办理。"},
)

# Open: still waiting for an answer (the reply period runs).
OPEN_STATES = frozenset({"received", "routed"})
ANSWERED_STATES = frozenset({"answered", "published", "not_published"})

# (value, label) of the three kinds a citizen chooses from.
KINDS: tuple[tuple[str, str], ...] = (
    ("consult", "咨询"),
    ("suggest", "建议"),
    ("complain", "投诉"),
)

VERBS: dict[str, str] = {
    # services.inquiry_submit: a question received on the portal (to_state "received")
    "inquiry.submit": "收到网上留言",
    # services.inquiry_settings_save: the body's reply period and signature
    "inquiry.settings": "修改政民互动设置",
}
