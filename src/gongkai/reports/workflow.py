"""The workflow of an annual report (政府信息公开工作年度报告) and every audit verb
the reports app writes.  Pure: no Django import (the audit-verb registry finds
this module as ``gongkai.reports.workflow``).

Two tables share the four states, chosen by the report's source:

- :data:`REPORT`, a report made on the platform: 经办人 submits (the computed
  tables are frozen), 审批领导 approves — never the person who submitted it or
  last changed its prose — and 审批领导 or 管理员 publishes; a submitted or
  approved report may be returned to the clerk (草稿 again).
- :data:`IMPORTED_REPORT`, a report the body published elsewhere and imported
  as a record: it arrives 已提交审核, and a 审批领导 other than the importer
  confirms it (published with its original date) or rejects it (the import is
  removed; its audit row stays).

条例第四十九条: a report covers a finished year and is published after it (the
services check the year).  The permission is checked before the state
(``permission_first``), as the services always did: a user without the role
reads "您没有……的权限", whatever state the report is in.

``models.Status`` and ``models.Source`` are generated from :data:`STATES` and
:data:`SOURCES` (same values and labels as migration 0001, so no migration).
The labels of the transitions are the back office's buttons and the history's
verbs; ``short`` is the word of the refusal "报告当前状态为「…」，不能{short}。".
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

STATES: dict[str, str] = {
    "draft": "草稿",
    "submitted": "已提交审核",
    "approved": "已审批",
    "published": "已公布",
}

PLATFORM = "platform"
IMPORTED = "imported"
SOURCES: dict[str, str] = {
    PLATFORM: "本平台编制",
    IMPORTED: "导入的往年报告",
}

REFUSAL = "报告当前状态为「{state}」，不能{short}。"

REPORT = Table(
    "report",
    states=STATES,
    transitions=[
        Transition(
            "submit",
            {"draft"},
            "submitted",
            verb="report.submit",
            label="提交审核",
            short="提交",
            roles={"clerk", "admin"},
            stamp="submitted_at",
        ),
        Transition(
            "return",
            {"submitted", "approved"},
            "draft",
            verb="report.return",
            label="退回",
            # From 已提交审核 the 审批领导; an approved report also whoever may publish it.
            roles={"approver", "admin"},
        ),
        Transition(
            "approve",
            {"submitted"},
            "approved",
            verb="report.approve",
            label="审批通过",
            short="审批",
            roles={"approver"},
            stamp="approved_at",
        ),
        Transition(
            "publish",
            {"approved"},
            "published",
            verb="report.publish",
            label="公布",
            roles={"approver", "admin"},
            stamp="published_at",
        ),
    ],
    refusal=REFUSAL,
    permission_first=True,
)

IMPORTED_REPORT = Table(
    "report",
    states=STATES,
    transitions=[
        Transition(
            "confirm",
            {"submitted"},
            "published",
            verb="report.import_confirm",
            label="确认导入并公布",
            short="确认公布",
            roles={"approver"},
            stamp="approved_at",
        ),
        Transition(
            "reject",
            {"submitted"},
            None,
            verb="report.import_reject",
            label="退回导入",
            roles={"approver"},
            deletes=True,
        ),
    ],
    refusal=REFUSAL,
    permission_first=True,
)

TABLES: dict[str, Table] = {PLATFORM: REPORT, IMPORTED: IMPORTED_REPORT}


def table_for(source: str) -> Table:
    """The table of a report from ``source`` (``"platform"`` or ``"imported"``)."""
    return TABLES[source]


def refusal_for(source: str, state: str, action: str) -> str:
    """The sentence refusing ``action`` to a report from ``source`` in ``state``.

    An action only the other source's table has (confirming a report made on the
    platform, submitting an imported one) is refused in the same words as a state
    that does not allow it: "报告当前状态为「已提交审核」，不能确认公布。"."""
    table = table_for(source)
    if action not in table:
        table = next(t for t in TABLES.values() if action in t)
    return table.refusal_for(state, action)


VERBS: dict[str, str] = {
    # services.report_start: the year's draft, prose generated from the records
    "report.start": "生成草稿",
    # services.report_update_prose
    "report.edit": "修改正文",
    # services.report_regenerate
    "report.regenerate": "重新生成正文",
    # services.report_correction_open / _close / _update_prose (after publication)
    "report.correction_open": "登记更正",
    "report.correct": "完成更正",
    "report.correction_prose": "更正正文",
    # services.report_import: waits, 已提交审核, for an approver's confirmation
    "report.import": "导入（待审批领导确认）",
    # services.supervision_settings_save: the town deadline and the 考核 weights
    "report.settings": "修改年度报告监督设置",
    # demo.py: a report written directly by the demonstration data
    "report.demo": "演示数据",
}
