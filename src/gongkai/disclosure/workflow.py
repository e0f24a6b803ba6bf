"""The workflow of a government information item and every audit verb the
disclosure app writes.

::

    draft ──submit──► in_review ──review_pass──► in_approval ──approve──► published
      ▲                   │                          │                       │
      └──── returned ◄────┴──────── return ──────────┘                    withdraw
               │                                                            ▼
               └──submit──► in_review                                   withdrawn

An approved item whose attribute is not 主动公开 takes the ``record`` step
instead (in_approval ──record──► recorded): decided, never shown publicly.
条例第十七条: no publication without 保密审查 and approval.  The state is checked
before the role (``permission_first=False``), with one sentence for every
refused step.  ``models.Item.Status`` is generated from :data:`ITEM`.

Pure: no Django import (the audit-verb registry finds this module as
``gongkai.disclosure.workflow``).
"""

from __future__ import annotations

from gongkai.core.workflow import Table, Transition

ITEM = Table(
    "item",
    states={
        "draft": "草稿",
        "in_review": "保密审查中",
        "in_approval": "待领导审批",
        "published": "已公开",
        "returned": "已退回",
        "withdrawn": "已撤回",
        # Approved with attribute 依申请公开/不予公开: recorded, never put on the portal.
        "recorded": "已审定（不主动公开）",
    },
    transitions=[
        Transition(
            "submit",
            {"draft", "returned"},
            "in_review",
            verb="item.submit",
            label="提交保密审查",
            roles={"clerk"},
        ),
        Transition(
            "review_pass",
            {"in_review"},
            "in_approval",
            verb="item.review_pass",
            label="通过保密审查",
            roles={"reviewer"},
        ),
        Transition(
            "return",
            {"in_review", "in_approval"},
            "returned",
            verb="item.return",
            label="退回",
            roles={"reviewer", "approver"},
        ),
        Transition(
            "approve",
            {"in_approval"},
            "published",
            verb="item.approve",
            label="审批通过",
            roles={"approver"},
            stamp="published_at",
        ),
        # Approval of an item that is not 主动公开 (条例第十三条 exceptions): recorded only.
        Transition(
            "record",
            {"in_approval"},
            "recorded",
            verb="item.record",
            label="审批通过（不主动公开，仅登记）",
            roles={"approver"},
        ),
        Transition(
            "withdraw",
            {"published"},
            "withdrawn",
            verb="item.withdraw",
            label="撤回",
            roles={"approver"},
            stamp="withdrawn_at",
        ),
    ],
    refusal="当前状态为“{state}”，不能执行此操作。",
)

# States an item may still be edited in (a published item is withdrawn and re-issued).
EDITABLE_STATES = frozenset({"draft", "returned"})
# States of an item still on its way to a decision (the 20-workday deadline runs).
OPEN_STATES = ("draft", "in_review", "in_approval", "returned")

VERBS: dict[str, str] = {
    # items
    "item.create": "起草",
    "item.update": "修改",
    "item.mask_personal_data": "对正文中的个人信息打码",
    "item.notice_mask_expired": "公示期满后对个人信息打码",
    "item.publication_record": "登记发布渠道",
    "item.import": "导入",
    # imports (ImportJob.Kind: items, catalogue)
    "import.job_create": "上传导入文件",
    "import.items": "导入已公开的政府信息",
    "import.items.decline": "拒绝导入已公开的政府信息",
    "import.catalogue": "导入公开目录",
    "import.catalogue.decline": "拒绝导入公开目录",
    # catalogue
    "catalogue.seed": "生成标准公开目录",
    "catalogue.create": "新增目录类目",
    "catalogue.update": "修改目录类目",
    "catalogue.delete": "删除目录类目",
    "catalogue.import": "导入目录类目",
    "catalogue.adopt": "采用上级标准目录",
    # standard catalogues a supervising body offers (国办发〔2019〕54号)
    "standard.create": "新建标准目录",
    "standard.update": "修改标准目录草稿",
    "standard.publish": "发布标准目录版本",
    # 三项清单
    "list_entry.create": "新增清单事项",
    "list_entry.update": "修改清单事项",
    "list_entry.delete": "删除清单事项",
    "list.publish": "发布清单新版本",
    # dedicated columns (services/columns.py): 行政事业性收费 (条例第二十条第（八）项)
    # and 人大代表建议和政协委员提案办理结果
    "fee.create": "新增收费项目",
    "fee.update": "修改收费项目",
    "fee.delete": "删除收费项目",
    "proposal.create": "登记建议提案办理结果",
    "proposal.update": "修改建议提案办理结果",
    "proposal.delete": "删除建议提案办理结果",
    # guide (条例第十二条)
    "guide.generate": "生成指南",
    "guide.update": "修改指南",
    # normative documents register
    "normative.create": "登记规范性文件",
    "normative.update": "修改规范性文件登记",
    # yearly figures (annual report table 2)
    "yearly_figures.save": "录入年度数据",
    # 公示 settings
    "notice_settings.update": "修改公示设置",
    # 政策解读 package (国办发〔2016〕80号) and the body's publishing settings
    "interpretation.save": "保存解读材料",
    "interpretation.figure_add": "上传图解",
    "interpretation.figure_remove": "删除图解",
    "publishing_settings.update": "修改发布设置",
}
