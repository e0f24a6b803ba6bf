"""The checker: every consistency rule of the national annual report format.

``check(report)`` collects ALL findings (like jsonschema's ``iter_errors``),
never stopping at the first, and returns them together with the reader's own
observations (``report.notes``).  Each finding has a stable ``code`` (listed in
docs/annual-report-json.md and in ``CODES`` below), a severity, the canonical
cell keys it concerns and a Chinese message with the numbers in it.

The rules are those of docs/annual-report-format.md "Consistency rules" 1-11
(numbers in the comments), plus completeness checks (missing cells, missing
sections, outdated layout, old format).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR, WARNING, Finding, Report

# --- Finding codes (the public contract, see docs/annual-report-json.md) -----

T3_BALANCE = "t3_balance"  # rule 1
T3_RESULT_TOTAL = "t3_result_total"  # rule 2
T3_COLUMN_TOTAL = "t3_column_total"  # rule 3
T4_TOTAL = "t4_total"  # rule 4
CARRY_OVER = "carry_over"  # rule 5
IN_FORCE_CHAIN = "in_force_chain"  # rule 6
PREVIOUS_YEAR = "previous_year_mismatch"  # rules 5/6/11 need last year's report
REGULATIONS_COMPETENCE = "regulations_competence"  # rule 7
TEXT_VS_TABLE = "text_vs_table"  # rule 8
NEGATIVE = "negative_value"  # rule 9
NOT_INTEGER = "not_integer"  # rule 9
NOT_A_NUMBER = "not_a_number"  # rule 9 (raw text such as "—" in a cell)
MISSING_CELLS = "missing_cells"  # rule 9 (a blank cell is not a zero)
PUBLISHED_LATE = "published_late"  # rule 10
PUBLISHED_EARLY = "published_early"  # rule 10
COPY_FORWARD = "copy_forward"  # rule 11
MISSING_SECTION = "missing_section"
NO_SECTIONS = "no_sections"
OUTDATED_LAYOUT = "outdated_layout_other_one_row"
FORMAT_2019 = "format_2019"
RULES_PARTIAL = "rules_partial"
UNFILLED_PLACEHOLDER = "unfilled_placeholder"  # 条例第五十条: the prose must be written

CODES: dict[str, tuple[str, str]] = {
    T3_BALANCE: (ERROR, "表三某列：第一项+第二项 ≠ 第三项（总计）+第四项（勾稽关系）"),
    T3_RESULT_TOTAL: (ERROR, "表三某列：（七）总计 ≠ 各项办理结果之和"),
    T3_COLUMN_TOTAL: (ERROR, "表三某行：「总计」列 ≠ 六类申请人之和"),
    T4_TOTAL: (ERROR, "表四某栏：总计 ≠ 结果维持+结果纠正+其他结果+尚未审结"),
    CARRY_OVER: (ERROR, "本年「上年结转」≠ 上年报告「结转下年度继续办理」"),
    IN_FORCE_CHAIN: (WARNING, "现行有效件数 ≠ 上年现行有效+本年制发-本年废止"),
    PREVIOUS_YEAR: (WARNING, "作为上年报告提供的文件不是上一年度的报告"),
    REGULATIONS_COMPETENCE: (ERROR, "无规章制定权的机关在规章栏填报了非零数字"),
    TEXT_VS_TABLE: (WARNING, "正文引用的数字与表格不一致"),
    NEGATIVE: (ERROR, "单元格为负数"),
    NOT_INTEGER: (ERROR, "应为整数的单元格不是整数"),
    NOT_A_NUMBER: (ERROR, "单元格内容不是数字"),
    MISSING_CELLS: (ERROR, "单元格缺失或空白（空白不等于0）"),
    PUBLISHED_LATE: (ERROR, "晚于规定期限公布"),
    PUBLISHED_EARLY: (ERROR, "所报告年度尚未结束即公布"),
    COPY_FORWARD: (WARNING, "正文与上年报告重复超过50%"),
    MISSING_SECTION: (ERROR, "缺少规定的章节"),
    NO_SECTIONS: (WARNING, "未识别到任何章节正文"),
    OUTDATED_LAYOUT: (WARNING, "表三「其他处理」仍按2019年试行格式填为一行"),
    FORMAT_2019: (WARNING, "报告使用2019年试行格式"),
    RULES_PARTIAL: (WARNING, "2019年试行格式的报告只检查适用的规则"),
    UNFILLED_PLACEHOLDER: (ERROR, "正文仍有未填写的模板占位文字"),
}

COPY_FORWARD_THRESHOLD = 0.5  # rule 11: "more than 50% identical"
SHINGLE = 4  # characters per shingle for the copy-forward measure


def _n(value: fmt.CellValue) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _col(col: str) -> str:
    return fmt.T3_COLUMN_LABEL[col]


_OTHER_GROUP = dict(fmt.T3_GROUPS)["other"]
_OTHER_SUBROW_LABELS = "；".join(fmt.T3_ROW_BY_KEY[k].label for k in fmt.T3_OTHER_SUBROWS)


def _row(row: str) -> str:
    if row == fmt.T3_OTHER_ONE_ROW:
        return _OTHER_GROUP
    return fmt.T3_ROW_BY_KEY[row].label


_RAW_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def parse_raw_number(text: str) -> int | Decimal | None:
    """The number a raw cell text spells, or None (「—」「无」「1,5」 spell none).

    Full-width digits, signs and points are normalised (NFKC; 「−」 is a minus),
    and thousands separators are accepted only in groups of three (「1,234」「1，234」).
    A point makes a Decimal (「1.0」 is not a count as printed), otherwise an int.
    """
    t = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if not _RAW_NUMBER_RE.fullmatch(t):
        return None
    t = t.replace(",", "")
    return Decimal(t) if "." in t else int(t)


def _raw_numbers(report: Report) -> dict[str, int | Decimal]:
    """Raw cell texts that are numbers after all (e.g. 「1.5」 in a count cell)."""
    out = {}
    for key, text in report.raw.items():
        if key not in report.cells and (value := parse_raw_number(text)) is not None:
            out[key] = value
    return out


class _Cells:
    """The report's numbers: these take part in sums (rule 9 reports the malformed ones)."""

    def __init__(self, report: Report):
        self.values: dict[str, int | Decimal] = {
            k: v
            for k, v in report.cells.items()
            if type(v) is int or isinstance(v, Decimal)  # bool is not a count
        }
        self.values.update(_raw_numbers(report))

    def get(self, key: str) -> int | Decimal | None:
        return self.values.get(key)

    def all(self, keys: Iterable[str]) -> list[int | Decimal] | None:
        get = self.values.get
        values = [get(k) for k in keys]
        if None in values:
            return None
        return values  # type: ignore[return-value]


# --- Public entry point ---------------------------------------------------------


def check(
    report: Report,
    *,
    previous: Report | None = None,
    level: str | None = None,
    may_make_regulations: bool | None = None,
    today: date | None = None,
    deadline: date | None = None,
    published_on: date | None = None,
) -> list[Finding]:
    """Every finding for ``report``: the reader's notes first, then the rules.

    ``may_make_regulations`` is the body's own 规章制定权 (rule 7); when it is
    None the checker infers it from ``level`` (else ``report.level``).
    """
    return list(
        iter_findings(
            report,
            previous=previous,
            level=level,
            may_make_regulations=may_make_regulations,
            today=today,
            deadline=deadline,
            published_on=published_on,
        )
    )


def iter_findings(
    report: Report,
    *,
    previous: Report | None = None,
    level: str | None = None,
    may_make_regulations: bool | None = None,
    today: date | None = None,
    deadline: date | None = None,
    published_on: date | None = None,
) -> Iterator[Finding]:
    yield from report.notes
    note_codes = {n.code for n in report.notes}
    cells = _Cells(report)
    is_2021 = report.format == fmt.FORMAT_2021

    if report.format == fmt.FORMAT_2019:
        if FORMAT_2019 not in note_codes:
            yield Finding(
                FORMAT_2019,
                WARNING,
                "本报告使用2019年试行格式（国办公开办函〔2019〕60号），"
                "2021年起应使用国办公开办函〔2021〕30号格式。",
            )
        yield Finding(
            RULES_PARTIAL,
            WARNING,
            "2019年试行格式的表二栏目不同：检查只适用表三、表四的勾稽关系、非负整数、上年结转、"
            "正文与表格、公布时间和重复率规则，不检查规章制定权、现行有效件数和缺失单元格。",
        )
    if report.one_row_other and OUTDATED_LAYOUT not in note_codes and is_2021:
        yield Finding(
            OUTDATED_LAYOUT,
            WARNING,
            f"表三「{_OTHER_GROUP}」只填了一行，是2019年试行格式的旧版式；"
            f"2021年格式（国办公开办函〔2021〕30号）要求分三行填报：{_OTHER_SUBROW_LABELS}。",
            cells=tuple(f"t3.{fmt.T3_OTHER_ONE_ROW}.{c}" for c, _ in fmt.T3_COLUMNS),
        )
    yield from _values(report)
    if is_2021:
        yield from _missing(report)
    yield from _sections(report)
    yield from _placeholders(report)
    yield from _t3(report, cells)
    yield from _t4(report, cells)
    if is_2021:
        yield from _competence(report, cells, level or report.level, may_make_regulations)
    seen: set[Finding] = set()
    for finding in _prose_figures(report, cells):
        if finding not in seen:  # the same sentence twice in one section is one finding
            seen.add(finding)
            yield finding
    yield from _timing(report, level or report.level, today, deadline, published_on)
    if previous is not None:
        yield from _cross_year(report, previous, cells, _Cells(previous), is_2021)


# --- Rule 9: values ---------------------------------------------------------------


def _values(report: Report) -> Iterator[Finding]:
    # Rule 9: non-negative integers everywhere except t2.fees (non-negative decimal).
    for key, value in report.cells.items():
        if type(value) is int and value >= 0 and not fmt.is_decimal_key(key):
            continue  # the common case, checked first: a well-formed count
        yield from _value(report, key, value)
    numbers = _raw_numbers(report)
    for key, text in report.raw.items():
        if key in report.cells:
            continue
        if key in numbers:
            # A reader keeps 「1.5」 or 「-3」 as raw text; it is a number all the same,
            # so say what is wrong with it rather than "not a number".
            yield from _value(report, key, numbers[key])
            continue
        yield Finding(
            NOT_A_NUMBER,
            ERROR,
            f"{fmt.cell_label(key)}：填写的是「{text}」，不是数字；没有的情况应填0。",
            (key,),
            report.provenance.get(key),
        )


def _value(report: Report, key: str, value: fmt.CellValue) -> Iterator[Finding]:
    """Rule 9 for one value: a non-negative count, or for t2.fees a non-negative amount."""
    where = report.provenance.get(key)
    label = fmt.cell_label(key)
    if fmt.is_decimal_key(key):
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            yield Finding(NOT_A_NUMBER, ERROR, f"{label}：「{value}」不是数字。", (key,), where)
        elif value < 0:
            yield Finding(NEGATIVE, ERROR, f"{label}：金额为负数({_n(value)})。", (key,), where)
        return
    if isinstance(value, bool) or not isinstance(value, int):
        yield Finding(
            NOT_INTEGER,
            ERROR,
            f"{label}：应为件数（非负整数），实际为「{_n(value)}」。",
            (key,),
            where,
        )
    elif value < 0:
        yield Finding(NEGATIVE, ERROR, f"{label}：件数为负数({value})。", (key,), where)


def _missing(report: Report) -> Iterator[Finding]:
    # Rule 9: a blank cell is not a zero -- report it, never assume 0.
    missing = [k for k in report.missing_keys() if k not in report.raw]
    tables = (("t2", "表二"), ("t3", "表三"), ("t4", "表四"))
    for prefix, name in tables:
        keys = [k for k in missing if k.startswith(prefix + ".")]
        if not keys:
            continue
        shown = "；".join(fmt.cell_label(k).removeprefix(name + " ") for k in keys[:5])
        more = f"等{len(keys)}个单元格" if len(keys) > 5 else ""
        yield Finding(
            MISSING_CELLS,
            ERROR,
            f"{name}缺少{len(keys)}个单元格的数字：{shown}{more}。空白不等于0，没有的情况应填0。",
            tuple(keys),
            name,
        )


# --- Sections (条例第五十条) ------------------------------------------------------


def _sections(report: Report) -> Iterator[Finding]:
    if not report.sections:
        if report.source_format in {"xlsx", "records"}:
            return  # tables only by design: there is no prose to look for
        yield Finding(
            NO_SECTIONS,
            WARNING,
            "未识别到「一、总体情况」至「六、其他需要报告的事项」等章节标题，无法检查正文。",
        )
        return
    # 条例第五十条 lists the content; the 2021 format fixes the six sections.
    for section in fmt.SECTIONS:
        if section.number not in report.sections:
            extra = ""
            if section.number == 6:
                extra = "（格式要求在此报告收取信息处理费情况，单位为元）"
            yield Finding(
                MISSING_SECTION,
                ERROR,
                f"缺少第{section.numeral}部分「{section.title}」{extra}。",
                location=section.title,
            )


# --- Unfilled template text (条例第五十条: the report states the facts) ----------------

# A drafting template's instructions left in the text: "（请填写。）",
# "（请填写政府网站…情况。）", "（此处…）", "（如有…请在此补充…）", and the
# dummy figures "XX件" / "××镇".  Bracketed instructions must start with 请/此处/
# 如有…请 so that ordinary parentheses in real reports never match; X-runs must
# not touch a Latin letter (so "XXL" or "UXXX" are not dummies).
PLACEHOLDER_RE = re.compile(
    r"[（(]\s*(?:请(?:填写|在此|补充|逐项|根据|结合|按照?|说明|列出)|此处|如有[^（()）\n]{0,60}?请)"
    r"[^（()）\n]{0,80}[）)]"
    r"|(?<![A-Za-z])(?:[XＸ]{2,}|×{2,})(?![A-Za-z])"
)


def find_placeholders(text: str) -> list[str]:
    """The template placeholders left in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER_RE.finditer(text)))


def _placeholders(report: Report) -> Iterator[Finding]:
    for number, section in sorted(report.sections.items()):
        heading = section.heading or fmt.SECTION_BY_NUMBER[number].title
        for text in find_placeholders(section.text):
            yield Finding(
                UNFILLED_PLACEHOLDER,
                ERROR,
                f"「{heading}」中仍有未填写的模板文字「{text}」，请替换为实际情况后再提交或公布。",
                location=heading,
            )


# --- Rules 1-3: table 3 -----------------------------------------------------------


def _result_rows(report: Report) -> tuple[str, ...]:
    if report.one_row_other:
        return fmt.T3_RESULT_ROWS_ONE_ROW_OTHER
    return fmt.T3_RESULT_ROWS


def _t3(report: Report, cells: _Cells) -> Iterator[Finding]:
    # Rules 1-3 are the arithmetic of 表三 in the national format (国办公开办函〔2021〕30号):
    # its printed 勾稽关系 note, the (七)总计 row and the 总计 column.
    for col, label in fmt.T3_COLUMNS:
        # Rule 1: the printed 勾稽关系 -- new + carried = total + carry_forward.
        keys = [f"t3.{r}.{col}" for r in ("new", "carried", "total", "carry_forward")]
        vals = cells.all(keys)
        if vals is not None:
            new, carried, total, carry = vals
            if new + carried != total + carry:
                yield Finding(
                    T3_BALANCE,
                    ERROR,
                    f"表三「{label}」列：第一项({new})+第二项({carried})={new + carried}，"
                    f"不等于第三项（七）总计({total})+第四项({carry})={total + carry}。",
                    tuple(keys),
                    f"表三「{label}」列",
                )
        # Rule 2: (七)总计 = sum of the result rows.
        rows = _result_rows(report)
        part_keys = [f"t3.{r}.{col}" for r in rows]
        parts = cells.all(part_keys)
        total = cells.get(f"t3.total.{col}")
        if parts is not None and total is not None and sum(parts) != total:
            nonzero = [f"{_short(r)}({v})" for r, v in zip(rows, parts, strict=True) if v]
            detail = "+".join(nonzero) if nonzero else "全部为0"
            yield Finding(
                T3_RESULT_TOTAL,
                ERROR,
                f"表三「{label}」列：（七）总计为{total}，但（一）至（六）各项办理结果之和为"
                f"{sum(parts)}（{detail}）。",
                (f"t3.total.{col}", *part_keys),
                f"表三「{label}」列",
            )
    # Rule 3: for every row, 总计 = the six applicant columns.
    rows = [r for r in fmt.T3_ROW_KEYS if not (report.one_row_other and r in fmt.T3_OTHER_SUBROWS)]
    if report.one_row_other:
        rows.insert(rows.index("total"), fmt.T3_OTHER_ONE_ROW)
    for row in rows:
        part_keys = [f"t3.{row}.{c}" for c in fmt.T3_APPLICANT_COLUMNS]
        parts = cells.all(part_keys)
        total = cells.get(f"t3.{row}.total")
        if parts is None or total is None or sum(parts) == total:
            continue
        detail = "+".join(
            f"{_col(c)}({v})" for c, v in zip(fmt.T3_APPLICANT_COLUMNS, parts, strict=True)
        )
        yield Finding(
            T3_COLUMN_TOTAL,
            ERROR,
            f"表三「{_row(row)}」行：「总计」列为{total}，但六类申请人之和为{detail}={sum(parts)}。",
            (f"t3.{row}.total", *part_keys),
            f"表三「{_row(row)}」行",
        )


def _short(row: str) -> str:
    """A compact name of a result row for sums in messages: 不予公开1 ..."""
    if row == fmt.T3_OTHER_ONE_ROW:
        return _OTHER_GROUP.removeprefix("（六）")
    t3row = fmt.T3_ROW_BY_KEY[row]
    group = dict(fmt.T3_GROUPS)[t3row.group]
    group_name = re.sub(r"^（.）|（.*$", "", group)
    if t3row.key == t3row.group:
        return group_name
    return f"{group_name}{t3row.label.split('.', 1)[0]}"


# --- Rule 4: table 4 --------------------------------------------------------------


def _t4(report: Report, cells: _Cells) -> Iterator[Finding]:
    # Rule 4: 表四 总计 of each block is the sum of its four results (国办公开办函〔2021〕30号).
    for block, block_label in fmt.T4_BLOCKS:
        name = block_label if block == "reconsideration" else f"行政诉讼（{block_label}）"
        part_keys = [f"t4.{block}.{c}" for c in fmt.T4_PART_COLUMNS]
        parts = cells.all(part_keys)
        total = cells.get(f"t4.{block}.total")
        if parts is None or total is None or sum(parts) == total:
            continue
        col_labels = dict(fmt.T4_COLUMNS)
        detail = "+".join(
            f"{col_labels[c]}({v})" for c, v in zip(fmt.T4_PART_COLUMNS, parts, strict=True)
        )
        yield Finding(
            T4_TOTAL,
            ERROR,
            f"表四「{name}」：{detail}={sum(parts)}，不等于总计({total})。",
            (f"t4.{block}.total", *part_keys),
            f"表四「{name}」",
        )


# --- Rule 7: 规章 competence --------------------------------------------------------


def _competence(
    report: Report, cells: _Cells, level: str | None, may_make_regulations: bool | None
) -> Iterator[Finding]:
    # 立法法第九十三条: only 省级 and 设区的市级 governments (and State Council
    # departments) make 规章; everyone else must print 0 in every 规章 cell.  The
    # body's own 规章制定权 (``may_make_regulations``, e.g. the register's flag)
    # decides; the level is only the fallback when the caller does not know it.
    if may_make_regulations is None:
        if level is None or level not in fmt.LEVEL_LABEL:
            return
        if level in fmt.LEVELS_MAKING_REGULATIONS:
            return
        who = f"{fmt.LEVEL_LABEL[level]}机关"
    elif may_make_regulations:
        return
    else:
        who = "本机关"
    keys = [f"t2.regulations.{c}" for c, _ in fmt.T2_DOC_COLUMNS]
    bad = [(k, cells.get(k)) for k in keys if cells.get(k)]
    if not bad:
        return
    detail = "，".join(f"{fmt.cell_label(k).removeprefix('表二 规章 ')}为{v}" for k, v in bad)
    yield Finding(
        REGULATIONS_COMPETENCE,
        ERROR,
        f"表二「规章」：{who}无规章制定权（立法法第九十三条），"
        f"规章各栏应为0，但{detail}。规范性文件应填在「行政规范性文件」行。",
        tuple(k for k, _ in bad),
        "表二「规章」行",
    )


# --- Rule 8: figures quoted in the prose ---------------------------------------------

_DIGITS = r"(\d[\d,，]*)"
# Whitespace is dropped unless it separates two digits (PDF text breaks lines
# inside words: "尚\n未审结", "351\n件").
_SPACE_RE = re.compile(r"(?<=[^\d\s])\s+|\s+(?=[^\d\s])")
_APPLICATIONS_RE = re.compile(
    r"(?:收到|新收|受理)(?P<kind>[^。；;，,\d（(]{0,20}?)申请(?:共计|共|总计|合计|件数为|数量为|为)?"
    + _DIGITS
    + r"件"
)
_NO_APPLICATIONS_RE = re.compile(r"未(?:收到|受理)(?P<kind>[^。；;\d]{0,20}?)申请")
# 「收到行政复议申请2件」「受理信访申请3件」 count other applications: table 3 is only
# about 政府信息公开申请 (条例第二十七条).  A phrase naming 公开 (政府信息公开申请,
# 信息公开申请, 依申请公开) is always compared; a bare 「收到申请」 only when its
# sentence does not speak of 复议/诉讼/信访/举报/投诉.
_OTHER_APPLICATIONS_RE = re.compile(r"复议|诉讼|信访|举报|投诉")


def _is_disclosure_application(prose: str, m: re.Match) -> bool:
    kind = m.group("kind")
    if _OTHER_APPLICATIONS_RE.search(kind):
        return False
    if "公开" in kind:
        return True
    start = max(0, m.start() - 30)
    cut = max(prose.rfind(p, start, m.start()) for p in "。；;\n")
    sentence = prose[(cut + 1 if cut >= 0 else start) : m.end()]
    return not _OTHER_APPLICATIONS_RE.search(sentence)


_RECONSIDERATION_RE = re.compile(r"行政复议(?:案件|申请)?(?:共|总计|合计)?" + _DIGITS + r"[件起]")
_LITIGATION_RE = re.compile(r"行政诉讼(?:案件)?(?:共|总计|合计)?" + _DIGITS + r"[件起]")
_IN_FORCE_RE = re.compile(r"现行有效(?!件数)[^。；;\d]{0,12}?" + _DIGITS + r"件")
_FEE_RE = re.compile(r"信息处理费[^。；;\d]{0,6}?" + _DIGITS + r"(?:\.\d+)?(万?)元")


def _number(text: str) -> int:
    return int(text.replace(",", "").replace("，", ""))


def _context(text: str, start: int, end: int) -> str:
    """The quoted clause: from the previous punctuation mark (at most 20 characters back)."""
    a = max(0, start - 20)
    cut = max(text.rfind(p, a, start) for p in "。；;，,：:\n")
    return text[(cut + 1 if cut >= 0 else a) : end].strip()


class _Where:
    """Which section an offset of the normalised prose falls in."""

    def __init__(self, report: Report):
        self.starts: list[int] = []
        self.headings: list[str] = []
        texts = []
        offset = 0
        for number, section in sorted(report.sections.items()):
            text = _SPACE_RE.sub("", section.text)
            self.starts.append(offset)
            self.headings.append(section.heading or fmt.SECTION_BY_NUMBER[number].title)
            texts.append(text)
            offset += len(text) + 1
        self.prose = "\n".join(texts)

    def __call__(self, match: re.Match) -> str | None:
        i = bisect.bisect_right(self.starts, match.start()) - 1
        return self.headings[i] if i >= 0 else None


def _prose_figures(report: Report, cells: _Cells) -> Iterator[Finding]:
    # Rule 8 (warning): figures in the prose must equal the tables.  The location
    # is the section where the figure is quoted (not the first section that
    # happens to contain the same words).
    where = _Where(report)
    prose = where.prose
    if not prose.strip():
        return
    new = cells.get("t3.new.total")
    carried = cells.get("t3.carried.total")
    if new is not None:
        # "共收到申请X件" sometimes counts last year's carried applications too.
        accepted = {new} | ({new + carried} if carried is not None else set())
        for m in _APPLICATIONS_RE.finditer(prose):
            figure = _number(m.group(2))
            if figure not in accepted and _is_disclosure_application(prose, m):
                yield Finding(
                    TEXT_VS_TABLE,
                    WARNING,
                    f"正文称「{_context(prose, m.start(), m.end())}」（{figure}件），"
                    f"但表三「本年新收政府信息公开申请数量」总计为{new}"
                    + (f"（含上年结转为{new + carried}）" if carried else "")
                    + "。如正文统计口径不同，请在正文中说明。",
                    ("t3.new.total",),
                    where(m),
                )
        if new > 0:
            for m in _NO_APPLICATIONS_RE.finditer(prose):
                if not _is_disclosure_application(prose, m):
                    continue  # 「未收到行政复议申请」 says nothing about table 3
                yield Finding(
                    TEXT_VS_TABLE,
                    WARNING,
                    f"正文称「{_context(prose, m.start(), m.end())}」，"
                    f"但表三「本年新收政府信息公开申请数量」总计为{new}。",
                    ("t3.new.total",),
                    where(m),
                )
    reconsideration = cells.get("t4.reconsideration.total")
    if reconsideration is not None:
        for m in _RECONSIDERATION_RE.finditer(prose):
            figure = _number(m.group(1))
            if figure != reconsideration:
                yield Finding(
                    TEXT_VS_TABLE,
                    WARNING,
                    f"正文称「{_context(prose, m.start(), m.end())}」（{figure}件），"
                    f"但表四「行政复议 总计」为{reconsideration}。",
                    ("t4.reconsideration.total",),
                    where(m),
                )
    lit = cells.all(["t4.litigation_direct.total", "t4.litigation_after.total"])
    if lit is not None:
        accepted = {sum(lit), *lit}
        for m in _LITIGATION_RE.finditer(prose):
            figure = _number(m.group(1))
            if figure not in accepted:
                yield Finding(
                    TEXT_VS_TABLE,
                    WARNING,
                    f"正文称「{_context(prose, m.start(), m.end())}」（{figure}件），"
                    f"但表四行政诉讼总计为{lit[0]}（未经复议直接起诉）+{lit[1]}（复议后起诉）"
                    f"={sum(lit)}。",
                    ("t4.litigation_direct.total", "t4.litigation_after.total"),
                    where(m),
                )
    in_force = {k: cells.get(k) for k in ("t2.regulations.in_force", "t2.normative.in_force")}
    known = {k: v for k, v in in_force.items() if v is not None}
    if known:
        accepted = set(known.values()) | {sum(known.values())}
        for m in _IN_FORCE_RE.finditer(prose):
            figure = _number(m.group(1))
            if figure not in accepted:
                shown = "，".join(f"{fmt.cell_label(k)}为{v}" for k, v in known.items())
                yield Finding(
                    TEXT_VS_TABLE,
                    WARNING,
                    f"正文称「{_context(prose, m.start(), m.end())}」（{figure}件），但{shown}。",
                    tuple(known),
                    where(m),
                )
    for m in _FEE_RE.finditer(prose):
        figure = _number(m.group(1))
        if m.group(2):
            yield Finding(
                TEXT_VS_TABLE,
                WARNING,
                f"正文称「{_context(prose, m.start(), m.end())}」：信息处理费应以「元」为单位报告，不是万元。",
                (),
                where(m),
            )
        elif figure > 0 and new is not None and new + (carried or 0) == 0:
            yield Finding(
                TEXT_VS_TABLE,
                WARNING,
                f"正文称收取信息处理费{figure}元，但表三本年新收和上年结转的申请都是0件。",
                ("t3.new.total", "t3.carried.total"),
                where(m),
            )


# --- Rule 10: timing (条例第四十九条) --------------------------------------------------


def statutory_deadline(year: int, level: str | None) -> date | None:
    """The 条例第四十九条 default: departments 31 January, governments 31 March.

    Towns report on a date their county sets, so there is no default for them;
    local rules set other dates, which callers pass as ``deadline``.
    """
    if level == "department":
        return date(year + 1, 1, 31)
    if level in {"county", "city", "province"}:
        return date(year + 1, 3, 31)
    return None


def _timing(
    report: Report,
    level: str | None,
    today: date | None,
    deadline: date | None,
    published_on: date | None,
) -> Iterator[Finding]:
    if report.year is None:
        return
    year_end = date(report.year + 1, 1, 1)
    when = published_on
    if when is None and today is not None and today < year_end:
        when = today  # checked before the year ended: it cannot have been published properly
    if when is not None and when < year_end:
        yield Finding(
            PUBLISHED_EARLY,
            ERROR,
            f"报告所涉{report.year}年度至{when.isoformat()}尚未结束，年度报告应在年度结束后编制公布"
            "（条例第四十九条）。",
        )
        return
    if published_on is None:
        return
    deadline = deadline or statutory_deadline(report.year, level)
    if deadline is not None and published_on > deadline:
        days = (published_on - deadline).days
        yield Finding(
            PUBLISHED_LATE,
            ERROR,
            f"报告于{published_on.isoformat()}公布，晚于规定期限{deadline.isoformat()}（{days}天）"
            "（条例第四十九条）。",
        )


# --- Rules 5, 6, 11: against last year's report --------------------------------------


def _cross_year(
    report: Report, previous: Report, cells: _Cells, prev: _Cells, is_2021: bool
) -> Iterator[Finding]:
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        yield Finding(
            PREVIOUS_YEAR,
            WARNING,
            f"提供的上年报告是{previous.year}年度的，本报告是{report.year}年度的，"
            f"跨年度比较应使用{report.year - 1}年度报告。",
        )
    # Rule 5: this year's 上年结转 is last year's 结转下年度继续办理.
    carried = cells.get("t3.carried.total")
    carry = prev.get("t3.carry_forward.total")
    if carried is not None and carry is not None and carried != carry:
        yield Finding(
            CARRY_OVER,
            ERROR,
            f"表三「二、上年结转政府信息公开申请数量」总计为{carried}，"
            f"但上年报告「四、结转下年度继续办理」总计为{carry}。",
            ("t3.carried.total",),
            "表三「二、上年结转政府信息公开申请数量」行",
        )
    # Rule 6 (warning): in_force = last in_force + issued - abolished; a 清理
    # (clean-up of old documents) explains a difference and belongs in the prose.
    if is_2021 and previous.format == fmt.FORMAT_2021:
        for row in ("regulations", "normative"):
            keys = [f"t2.{row}.{c}" for c in ("issued", "abolished", "in_force")]
            vals = cells.all(keys)
            last = prev.get(f"t2.{row}.in_force")
            if vals is None or last is None:
                continue
            issued, abolished, in_force = vals
            expected = last + issued - abolished
            if in_force != expected:
                label = fmt.T2_ROW_BY_KEY[row].label
                yield Finding(
                    IN_FORCE_CHAIN,
                    WARNING,
                    f"表二「{label}」：上年现行有效({last})+本年制发({issued})-本年废止({abolished})"
                    f"={expected}，但本年现行有效件数为{in_force}。如开展了文件清理，请在正文中说明。",
                    tuple(keys),
                    f"表二「{label}」行",
                )
    # Rule 11 (warning): prose more than 50% identical to last year's.
    share = prose_overlap(report.prose(), previous.prose())
    if share is not None and share > COPY_FORWARD_THRESHOLD:
        yield Finding(
            COPY_FORWARD,
            WARNING,
            f"正文与{previous.year or '上年'}年度报告的文字重复率约为{share:.0%}，"
            f"超过50%：请按本年度实际情况撰写。",
        )


_NORMALISE_RE = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”‘’\"'（）()《》【】\-—…·]+")


def _shingles(text: str) -> set[str]:
    # Digits collapse to 0 so that "2023年" and "2024年" count as the same text.
    text = re.sub(r"\d", "0", _NORMALISE_RE.sub("", text))
    return {text[i : i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def prose_overlap(current: str, previous: str) -> float | None:
    """Share of this year's 4-character shingles that also occur last year (containment)."""
    a = _shingles(current)
    if not a:
        return None
    b = _shingles(previous)
    if not b:
        return None
    return len(a & b) / len(a)
