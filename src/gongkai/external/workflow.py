"""The audit verbs the external app writes, with the label the audit log shows.

平台外机关 (bodies that publish their annual reports on their own sites) have no
states to move between, so this module holds only ``VERBS`` (verb → Chinese
label); the audit-verb registry finds it as ``gongkai.external.workflow``.
Pure: no Django import.
"""

from __future__ import annotations

VERBS: dict[str, str] = {
    # services.external_body_create / external_body_update: the supervisor's list
    "external_body.create": "添加平台外机关",
    "external_body.update": "修改平台外机关",
    # services.external_check_record (gongkai external_check): one year's reading
    "external_check.record": "检查平台外机关年度报告",
}
