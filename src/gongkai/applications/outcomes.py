"""Which table-3 outcomes must state reasons, and the sentence that asks for them.

Pure (no database): the form (``forms.CloseForm``) and the service
(``services.application_close``) both check it; ``services`` re-exports both
names.
"""

from __future__ import annotations

from gongkai.annual.format import T3_ROW_BY_KEY

# Outcomes whose letter must state reasons: 条例第三十六条第（三）项 (不予公开:
# "告知申请人不予公开并说明理由"), 第三十七条 (部分公开: 对不予公开的内容说明理由),
# and by the same reasoning the refusals of 第三十六条第（四）至（七）项, 第三十八条,
# 第三十九条 (无法提供 / 不予处理: the applicant must learn why, to seek a remedy).
REASONS_REQUIRED_GROUPS = {
    "partial": "部分公开须对不予公开的部分说明理由（条例第三十七条），请填写答复理由。",
    "withheld": "不予公开须说明理由（条例第三十六条第（三）项），请填写答复理由。",
    "unable": "无法提供须向申请人说明理由，请填写答复理由（条例第三十六条、第三十八条）。",
    "declined": "不予处理须向申请人说明理由，请填写答复理由（条例第三十五条、第三十六条、第三十九条）。",
}


def reasons_required_message(outcome: str) -> str:
    """The Chinese message when ``outcome`` needs reasons, else ``""``."""
    row = T3_ROW_BY_KEY.get(outcome or "")
    return REASONS_REQUIRED_GROUPS.get(row.group or "", "") if row else ""
