"""The workflow of a 行政复议 / 行政诉讼 case and the audit verbs the appeals app writes.

A case is filed (``appeal.file``, not a transition: it creates the record) and
is then 尚未审结 until its result is recorded once (``decide``); a decision is
final.  The state is not stored: it is derived from ``decided_on``
(``stored_state=False``), so the table changes no column — ``decide`` sets
``result`` and ``decided_on``, and the database constraint
``appeal_result_with_date`` keeps the two together.

The three results are the columns 结果维持 / 结果纠正 / 其他结果 of table 4 of
the annual report (《政府信息公开工作年度报告格式》); ``models.Result`` is
generated from :data:`RESULTS`.  Pure: no Django import (the audit-verb
registry finds this module as ``gongkai.appeals.workflow``).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition


def _state_of(appeal) -> str:
    return "decided" if appeal.decided_on is not None else "pending"


APPEAL = Table(
    "appeal",
    states={"pending": "尚未审结", "decided": "已审结"},
    transitions=[
        Transition(
            "decide",
            {"pending"},
            "decided",
            verb="appeal.decide",
            label="登记审结结果",
            roles={"clerk", "office_head", "admin"},
        ),
    ],
    refusals={"decided": "该案件已经审结，不能重复登记结果。"},
    # The role is checked before the state, as the service always did.
    permission_first=True,
    stored_state=False,
    state_of=_state_of,
)

# The result recorded by ``decide`` (value, label): the model's choices.
RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "维持"),
    ("corrected", "纠正"),
    ("other", "其他结果"),
)

VERBS: dict[str, str] = {
    # services.appeal_file: a reconsideration or lawsuit registered (to_state "pending")
    "appeal.file": "登记复议或诉讼",
}
