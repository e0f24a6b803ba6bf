"""The national annual report format as data: the one table of truth.

《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号) fixes the
sections, tables, rows, columns and labels of every 政府信息公开工作年度报告
(条例第四十九条、第五十条).  Every part of gongkai -- readers, checker, writers,
the database mapping, the JSON contract -- takes labels and canonical cell keys
from this module and nowhere else.

Cell keys are the public JSON contract (see docs/annual-report-format.md):
``t2.<row>[.<col>]``, ``t3.<row>.<col>``, ``t4.<block>.<col>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"  # 国办公开办函〔2019〕60号 trial format, read but never written

# The line under the title that names the reporting body: "单位名称：……".
ORGANIZATION_LABEL = "单位名称"

# --- Sections (条例第五十条) -------------------------------------------------


@dataclass(frozen=True)
class Section:
    number: int
    numeral: str  # 一 .. 六
    heading: str  # canonical heading without the numeral, e.g. 总体情况
    # Distinctive fragments that identify the heading in real reports whose
    # wording varies ("四、政府信息公开行政复议和行政诉讼情况", "五、存在问题及改进情况").
    keywords: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.numeral}、{self.heading}"


SECTIONS: tuple[Section, ...] = (
    Section(1, "一", "总体情况", ("总体情况",)),
    Section(2, "二", "主动公开政府信息情况", ("主动公开政府信息",)),
    Section(3, "三", "收到和处理政府信息公开申请情况", ("收到和处理", "政府信息公开申请情况")),
    Section(4, "四", "政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    Section(5, "五", "存在的主要问题及改进情况", ("存在的主要问题", "存在问题", "主要问题")),
    Section(6, "六", "其他需要报告的事项", ("其他需要报告",)),
)
SECTION_BY_NUMBER = {s.number: s for s in SECTIONS}

# --- Table 2: 主动公开政府信息情况 (条例第二十条第（一）（五）（六）（八）项) --------------

T2_DOC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("issued", "本年制发件数"),
    ("abolished", "本年废止件数"),
    ("in_force", "现行有效件数"),
)


@dataclass(frozen=True)
class T2Row:
    key: str  # canonical row key: regulations, normative, licensing, ...
    label: str  # 信息内容 as printed in the 2021 format
    article_item: str  # 第二十条第（一）项 ...
    column_label: str | None  # single-value rows: the value column's label
    is_decimal: bool = False

    @property
    def has_columns(self) -> bool:
        return self.column_label is None


T2_ROWS: tuple[T2Row, ...] = (
    T2Row("regulations", "规章", "第二十条第（一）项", None),
    T2Row("normative", "行政规范性文件", "第二十条第（一）项", None),
    T2Row("licensing", "行政许可", "第二十条第（五）项", "本年处理决定数量"),
    T2Row("penalty", "行政处罚", "第二十条第（六）项", "本年处理决定数量"),
    T2Row("coercion", "行政强制", "第二十条第（六）项", "本年处理决定数量"),
    T2Row("fees", "行政事业性收费", "第二十条第（八）项", "本年收费金额（单位：万元）", True),
)
T2_ROW_BY_KEY = {r.key: r for r in T2_ROWS}
# The header of table 2's label column, printed above each block of rows.
T2_HEADER = "信息内容"


def t2_keys() -> list[str]:
    keys: list[str] = []
    for row in T2_ROWS:
        if row.has_columns:
            keys.extend(f"t2.{row.key}.{col}" for col, _ in T2_DOC_COLUMNS)
        else:
            keys.append(f"t2.{row.key}")
    return keys


# --- Table 3: 收到和处理政府信息公开申请情况 ------------------------------------------

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (key, label).  Order is the printed order.  社会公益组织 is the official label;
# the seed prints 社会组织, which readers accept and the checker reports.
T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
T3_APPLICANT_COLUMNS: tuple[str, ...] = tuple(k for k, _ in T3_COLUMNS if k != "total")
T3_COLUMN_LABEL = dict(T3_COLUMNS)
T3_ORG_GROUP_LABEL = "法人或其他组织"
T3_APPLICANT_GROUP_LABEL = "申请人情况"


@dataclass(frozen=True)
class T3Row:
    key: str | None  # None for group headings that carry no cells
    label: str  # exact 2021 label
    group: str | None = None  # key of the result group (withheld, unable, ...)
    legal_basis: str = ""  # where the outcome comes from in the 条例


# Groups of result rows and their headings.
T3_RESULTS_HEADING = "三、本年度办理结果"
T3_GROUPS: tuple[tuple[str, str], ...] = (
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld", "（三）不予公开"),
    ("unable", "（四）无法提供"),
    ("declined", "（五）不予处理"),
    ("other", "（六）其他处理"),
    ("total", "（七）总计"),
)

T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new", "一、本年新收政府信息公开申请数量"),
    T3Row("carried", "二、上年结转政府信息公开申请数量"),
    T3Row("granted", "（一）予以公开", "granted", "条例第三十六条第（二）项"),
    T3Row(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "partial",
        "条例第三十七条",
    ),
    T3Row("withheld_secret", "1.属于国家秘密", "withheld", "条例第十四条"),
    T3Row("withheld_law", "2.其他法律行政法规禁止公开", "withheld", "条例第十四条"),
    T3Row("withheld_safety", "3.危及“三安全一稳定”", "withheld", "条例第十四条"),
    T3Row("withheld_third_party", "4.保护第三方合法权益", "withheld", "条例第十五条"),
    T3Row("withheld_internal", "5.属于三类内部事务信息", "withheld", "条例第十六条第一款"),
    T3Row("withheld_process", "6.属于四类过程性信息", "withheld", "条例第十六条第二款"),
    T3Row("withheld_enforcement", "7.属于行政执法案卷", "withheld", "条例第十六条第二款"),
    T3Row("withheld_inquiry", "8.属于行政查询事项", "withheld", "条例第三十六条第（七）项"),
    T3Row(
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
        "unable",
        "条例第三十六条第（四）项、第（五）项",
    ),
    T3Row("unable_needs_creation", "2.没有现成信息需要另行制作", "unable", "条例第三十八条"),
    T3Row("unable_unclear", "3.补正后申请内容仍不明确", "unable", "条例第三十条"),
    T3Row("declined_petition", "1.信访举报投诉类申请", "declined", "条例第三十九条第一款"),
    T3Row("declined_repeat", "2.重复申请", "declined", "条例第三十六条第（六）项"),
    T3Row("declined_publication", "3.要求提供公开出版物", "declined", "条例第三十九条第二款"),
    T3Row("declined_excessive", "4.无正当理由大量反复申请", "declined", "条例第三十五条"),
    T3Row(
        "declined_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        "declined",
        "条例第三十九条",
    ),
    T3Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other",
        "条例第三十条",
    ),
    T3Row(
        "other_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other",
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ),
    T3Row("other_other", "3.其他", "other", ""),
    T3Row("total", "（七）总计", "total"),
    T3Row("carry_forward", "四、结转下年度继续办理"),
)
T3_ROW_BY_KEY = {r.key: r for r in T3_ROWS}

# The 22 result rows of the 2021 layout, in order (the outcomes of a closed
# application; one application has exactly one).
T3_RESULT_ROWS: tuple[str, ...] = tuple(
    r.key for r in T3_ROWS if r.group is not None and r.group != "total"
)
# The one-row 其他处理 layout (2019 trial format, still printed in 2023-2024 by
# some bodies): its values go to t3.other.<col> and the three sub-rows are absent.
T3_OTHER_ONE_ROW = "other"
T3_OTHER_SUBROWS: tuple[str, ...] = ("other_no_correction", "other_unpaid", "other_other")
T3_RESULT_ROWS_ONE_ROW_OTHER: tuple[str, ...] = tuple(
    k for k in T3_RESULT_ROWS if k not in T3_OTHER_SUBROWS
) + (T3_OTHER_ONE_ROW,)
T3_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in T3_ROWS if r.key)  # 25 rows


def t3_keys(*, one_row_other: bool = False) -> list[str]:
    rows = list(T3_ROW_KEYS)
    if one_row_other:
        at = rows.index(T3_OTHER_SUBROWS[0])
        rows = [r for r in rows if r not in T3_OTHER_SUBROWS]
        rows.insert(at, T3_OTHER_ONE_ROW)
    return [f"t3.{row}.{col}" for row in rows for col, _ in T3_COLUMNS]


# --- Table 4: 政府信息公开行政复议、行政诉讼情况 ---------------------------------------

T4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after", "复议后起诉"),
)
T4_LITIGATION_LABEL = "行政诉讼"
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_PART_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")


def t4_keys() -> list[str]:
    return [f"t4.{block}.{col}" for block, _ in T4_BLOCKS for col, _ in T4_COLUMNS]


# --- All cells ---------------------------------------------------------------


def all_keys(*, one_row_other: bool = False) -> list[str]:
    """Every cell of a complete report, in printed order (10 + 175 + 15 = 200)."""
    return t2_keys() + t3_keys(one_row_other=one_row_other) + t4_keys()


DECIMAL_KEYS = frozenset({"t2.fees"})


def is_decimal_key(key: str) -> bool:
    return key in DECIMAL_KEYS


CellValue = int | Decimal


def cell_label(key: str) -> str:
    """A human (Chinese) description of a cell key, e.g. 表三 予以公开 / 自然人."""
    parts = key.split(".")
    if parts[0] == "t2":
        row = T2_ROW_BY_KEY.get(parts[1])
        if row is None:
            return key
        if len(parts) == 3:
            return f"表二 {row.label} {dict(T2_DOC_COLUMNS).get(parts[2], parts[2])}"
        return f"表二 {row.label} {row.column_label}"
    if parts[0] == "t3" and len(parts) == 3:
        if parts[1] == T3_OTHER_ONE_ROW:
            row_label = "（六）其他处理"
        else:
            t3row = T3_ROW_BY_KEY.get(parts[1])
            row_label = t3row.label if t3row else parts[1]
        return f"表三 {row_label} / {T3_COLUMN_LABEL.get(parts[2], parts[2])}"
    if parts[0] == "t4" and len(parts) == 3:
        block = dict(T4_BLOCKS).get(parts[1], parts[1])
        if parts[1] != "reconsideration":
            block = f"{T4_LITIGATION_LABEL}（{block}）"
        return f"表四 {block} {dict(T4_COLUMNS).get(parts[2], parts[2])}"
    return key


# --- Body levels and 规章 competence (立法法第九十三条; format rule 7) ---------------

LEVELS: tuple[tuple[str, str], ...] = (
    ("province", "省级"),
    ("city", "设区的市级"),
    ("county", "县级"),
    ("town", "乡镇/街道"),
    ("department", "部门"),
)
LEVEL_LABEL = dict(LEVELS)
# Only 省级 and 设区的市级 governments (and State Council departments, which
# gongkai does not model as a level) make 规章.
LEVELS_MAKING_REGULATIONS = frozenset({"province", "city"})
