"""The workflows of a 意见征集 (draft decision put out for public comment) and of
each comment, and the audit verbs the consultations app writes.

::

    draft ──submit──► in_approval ──approve──► published ──publish_feedback──► concluded
      ▲                    │
      └──── returned ◄─return┘   (returned ──submit──► in_approval)

A published consultation is 未开始 / 正在征集 / 已结束 by its dates (derived, see
``models.Consultation.phase``); the period is never cut short (《重大行政决策程序暂行条例》
第十五条: the public is told until when it may comment).  ``concluded`` means
the 采纳情况 has been published.

A comment::

    pending ──accept──► accepted ──decide──► decided (采纳 / 部分采纳 / 未采纳)
       └────reject──► rejected (spam or off-topic, with a reason)

Pure: no Django import (the audit-verb registry finds this module as
``gongkai.consultations.workflow``).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

CONSULTATION = Table(
    "consultation",
    states={
        "draft": "草稿",
        "in_approval": "待领导审批",
        "returned": "已退回",
        "published": "已发布",
        "concluded": "已公布采纳情况",
    },
    transitions=[
        Transition(
            "submit",
            {"draft", "returned"},
            "in_approval",
            verb="consultation.submit",
            label="提交审批",
            roles={"clerk"},
            stamp="submitted_at",
        ),
        Transition(
            "return",
            {"in_approval"},
            "returned",
            verb="consultation.return",
            label="退回修改",
            roles={"approver"},
        ),
        Transition(
            "approve",
            {"in_approval"},
            "published",
            verb="consultation.approve",
            label="审批通过并发布",
            roles={"approver"},
            stamp="published_at",
        ),
        Transition(
            "publish_feedback",
            {"published"},
            "concluded",
            verb="consultation.publish_feedback",
            label="公布意见采纳情况",
            short="公布采纳情况",
            roles={"clerk"},
            stamp="feedback_published_at",
        ),
    ],
    refusal="当前状态为“{state}”，不能{short}。",
)

# States in which the clerk may still edit the draft.
EDITABLE_STATES = frozenset({"draft", "returned"})
# States shown on the portal.
PUBLIC_STATES = ("published", "concluded")

COMMENT = Table(
    "comment",
    states={
        "pending": "待审核",
        "accepted": "已受理",
        "rejected": "不予受理",
        "decided": "已处理",
    },
    transitions=[
        Transition(
            "accept",
            {"pending"},
            "accepted",
            verb="comment.accept",
            label="受理意见",
            roles={"clerk"},
        ),
        Transition(
            "reject",
            {"pending"},
            "rejected",
            verb="comment.reject",
            label="不予受理（无关或垃圾信息）",
            short="不予受理",
            roles={"clerk"},
        ),
        # Re-deciding is allowed until the 采纳情况 is published (the service checks).
        Transition(
            "decide",
            {"accepted", "decided"},
            "decided",
            verb="comment.decide",
            label="登记采纳情况",
            roles={"clerk"},
        ),
    ],
    refusal="这条意见当前为“{state}”，不能{short}。",
)

# The result of ``decide`` (value, label): the model's choices.
DECISIONS: tuple[tuple[str, str], ...] = (
    ("adopted", "采纳"),
    ("partly", "部分采纳"),
    ("not_adopted", "未采纳"),
)
# Results that need a reason, published with the 采纳情况.
REASON_REQUIRED = frozenset({"partly", "not_adopted"})

# How a comment reached the body (《重大行政决策程序暂行条例》第十四条、第十五条: the
# ways to comment are announced with the draft).
CHANNELS: tuple[tuple[str, str], ...] = (
    ("online", "网上留言"),
    ("mail", "信函"),
    ("email", "电子邮件"),
    ("fax", "传真"),
    ("meeting", "座谈会/听证会"),
)

VERBS: dict[str, str] = {
    "consultation.create": "起草意见征集",
    "consultation.update": "修改意见征集",
    "consultation.attachment_add": "上传意见征集附件",
    "consultation.attachment_remove": "删除意见征集附件",
    "consultation.settings": "修改意见征集设置",
    # an online comment (to_state "pending"); a comment the clerk enters from another channel
    "comment.submit": "网上提交意见",
    "comment.record": "登记其他渠道的意见",
}
