"""The generated first draft of the six sections (条例第五十条), from the figures.

Pure: takes the computed :class:`Report` and the :class:`ProseFacts` gathered by
the selectors and returns section number -> text.  Every figure it quotes is
taken from the same cells the tables print, so the checker's rule 8 (text
against tables) holds for the generated draft.  The clerk edits it.

What only the clerk can write is marked by a bracketed instruction, "（请填写…）"
(``PLACEHOLDERS``); the checker's ``unfilled_placeholder`` rule
(gongkai.annual.rules.find_placeholders) finds each of them, so a draft cannot be
submitted while one remains (tests/test_services.py asserts every marker is caught).
"""

from __future__ import annotations

from gongkai.annual import format as fmt
from gongkai.annual.model import Report

PLATFORMS = "（请填写政府网站、公示栏、新媒体等平台建设情况。）"
SUPERVISION = "（请填写工作机构、考核、培训和责任追究情况。）"
FILL = "（请填写。）"
RECTIFICATION = "（请逐项说明上年度问题的整改情况。）"
OTHER_MATTERS = (
    "（如有人大代表建议和政协委员提案办理结果公开、年度工作要点落实等情况，请在此补充；"
    "没有则请删除本句。）"
)
PLACEHOLDERS = (PLATFORMS, SUPERVISION, FILL, RECTIFICATION, OTHER_MATTERS)


def _n(report: Report, key: str) -> int:
    return int(report.cells.get(key, 0) or 0)


def _list(pairs: list[tuple[str, int]]) -> str:
    return "、".join(f"{label}{n}条" for label, n in pairs if n)


def _consultations(facts) -> str:
    """One sentence on the year's 意见征集 (《重大行政决策程序暂行条例》第十五条), only
    when the body published any; it closes （一）主动公开方面."""
    n = getattr(facts, "consultations", 0)
    if not n:
        return ""
    return (
        f"全年公开征求意见的决策草案{n}件，收到意见建议"
        f"{facts.consultation_comments}条，采纳（含部分采纳）{facts.consultation_adopted}条。"
    )


def generate_sections(report: Report, facts) -> dict[int, str]:
    year = report.year
    org = facts.organization
    s: dict[int, str] = {}

    # 一、总体情况
    new = _n(report, "t3.new.total")
    s[1] = (
        f"{year}年，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障等方面推进政务公开工作。\n"
        f"（一）主动公开方面：全年主动公开政府信息{facts.items_published}条"
        + (f"，其中通过{_list(facts.by_channel)}发布" if _list(facts.by_channel) else "")
        + "。"
        + _consultations(facts)
        + "\n"
        + (
            f"（二）依申请公开方面：{year}年新收政府信息公开申请{new}件，"
            f"上年结转{_n(report, 't3.carried.total')}件，办结{_n(report, 't3.total.total')}件，"
            f"结转下年度继续办理{_n(report, 't3.carry_forward.total')}件。\n"
            if new or _n(report, "t3.carried.total")
            else f"（二）依申请公开方面：{year}年未收到政府信息公开申请。\n"
        )
        + "（三）政府信息管理方面：严格执行公开属性源头认定和保密审查，"
        f"全年发布政策文件{facts.policies}件，发布政策解读{facts.interpretations}篇。\n"
        f"（四）平台建设方面：{PLATFORMS}\n"
        f"（五）监督保障方面：{SUPERVISION}"
    )

    # 二、主动公开政府信息情况 (table 2 follows)
    lines = [f"{year}年主动公开政府信息{facts.items_published}条。"]
    if facts.by_category:
        lines.append("按公开目录分：" + _list(facts.by_category) + "。")
    normative_in_force = _n(report, "t2.normative.in_force")
    lines.append(
        f"本年制发行政规范性文件{_n(report, 't2.normative.issued')}件，"
        f"废止{_n(report, 't2.normative.abolished')}件，"
        f"现行有效行政规范性文件{normative_in_force}件。"
    )
    s[2] = "".join(lines)

    # 三、收到和处理政府信息公开申请情况 (table 3 follows)
    if new or _n(report, "t3.carried.total"):
        groups = []
        for group, heading in fmt.T3_GROUPS:
            if group == "total":
                continue
            keys = [r.key for r in fmt.T3_ROWS if r.group == group and r.key]
            n = sum(_n(report, f"t3.{k}.total") for k in keys)
            if n:
                groups.append(f"{heading[3:].split('（')[0]}{n}件")
        natural = _n(report, "t3.new.natural")
        s[3] = (
            f"{year}年新收政府信息公开申请{new}件（自然人{natural}件，法人或其他组织{new - natural}件），"
            f"上年结转{_n(report, 't3.carried.total')}件。"
            f"本年度办结{_n(report, 't3.total.total')}件"
            + (f"，其中{'、'.join(groups)}" if groups else "")
            + f"；结转下年度继续办理{_n(report, 't3.carry_forward.total')}件。"
        )
    else:
        s[3] = f"{year}年未收到政府信息公开申请，无上年结转申请。"

    # 四、政府信息公开行政复议、行政诉讼情况 (table 4 follows)
    rec = _n(report, "t4.reconsideration.total")
    lit = _n(report, "t4.litigation_direct.total") + _n(report, "t4.litigation_after.total")
    if rec or lit:
        s[4] = (
            f"{year}年因政府信息公开被申请行政复议{rec}件、被提起行政诉讼{lit}件。"
            f"行政复议结果维持{_n(report, 't4.reconsideration.upheld')}件、"
            f"纠正{_n(report, 't4.reconsideration.corrected')}件，"
            f"尚未审结{_n(report, 't4.reconsideration.pending')}件。"
        )
    else:
        s[4] = f"{year}年未发生因政府信息公开引起的行政复议、行政诉讼。"

    # 五、存在的主要问题及改进情况: must report on last year's problems.
    if facts.previous_problems.strip():
        s[5] = (
            "（一）上年度问题整改情况：上年度报告所列问题如下——\n"
            + facts.previous_problems.strip()
            + f"\n{RECTIFICATION}"
            + f"\n（二）本年度存在的主要问题：{FILL}\n（三）改进措施：{FILL}"
        )
    else:
        s[5] = f"（一）本年度存在的主要问题：{FILL}\n（二）改进措施：{FILL}"

    # 六、其他需要报告的事项: 信息处理费 in 元 (国办函〔2020〕109号; format section 六).
    s[6] = f"{year}年收取信息处理费{facts.fees_paid_yuan}元。{OTHER_MATTERS}"
    return s
