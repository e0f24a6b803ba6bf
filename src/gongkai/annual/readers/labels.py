"""Row labels of the national format and how printed labels are matched to them.

The labels themselves come from :mod:`gongkai.annual.format`; this module only
adds what a reader needs to recognise real, imperfect print: distinctive
keywords per row (for typos such as "其他法律行政止公开") and the group headings
of table 3.  To accept a new label variant, add a keyword to ``_KEYWORDS``
(see docs/annual-readers.md).

Matching a label, cheapest first:

1. *exact*: a segment of the printed label (split at enumerators) equals the
   canonical label, or the canonical label occurs in the printed text (stray
   characters of a vertical "三、本年度办理结果" or a group heading around it);
2. *partial*: a segment is a piece (>= 4 characters) of exactly one canonical
   label -- a label wrapped over several lines of a PDF;
3. *keyword*: a distinctive keyword of exactly one row occurs -- a typo;
4. *fuzzy*: difflib ratio >= 0.75 against the canonical labels, clear winner.

3 and 4 are reported as ``label_typo`` notes; 1 and 2 are not.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from gongkai.annual import format as fmt
from gongkai.annual.normalize import label_key, label_segments, strip_enumerators

EXACT = "exact"
PARTIAL = "partial"
KEYWORD = "keyword"
FUZZY = "fuzzy"


@dataclass(frozen=True)
class RowSpec:
    table: str  # "t2" | "t3"
    key: str  # canonical row key (t3 "other" = the one-row 其他处理)
    label: str  # canonical printed label (from format)
    core: str  # label key without enumerators
    keywords: tuple[str, ...]
    group: str | None  # t3 result group (withheld, unable, ...)
    width: int  # number of value cells the row carries

    def cell_keys(self) -> list[str]:
        return list(_cell_keys(self.table, self.key))


@functools.cache  # a handful of rows, asked for every row of every report
def _cell_keys(table: str, key: str) -> tuple[str, ...]:
    if table == "t2":
        row = fmt.T2_ROW_BY_KEY[key]
        if row.has_columns:
            return tuple(f"t2.{key}.{col}" for col, _ in fmt.T2_DOC_COLUMNS)
        return (f"t2.{key}",)
    return tuple(f"t3.{key}.{col}" for col, _ in fmt.T3_COLUMNS)


# Distinctive fragments per row, as label keys (NFKC, no spaces).  A keyword
# must not occur in any other row's label.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "normative": ("规范性文件",),
    "licensing": ("行政许可",),
    "penalty": ("行政处罚",),
    "coercion": ("行政强制",),
    "fees": ("事业性收费", "行政收费"),
    "new": ("本年新收", "新收政府信息公开申请"),
    "carried": ("上年结转", "上年度结转"),
    "granted": ("予以公开",),
    "partial": ("部分公开",),
    "withheld_secret": ("国家秘密",),
    "withheld_law": ("禁止公开", "其他法律行政", "法规禁止"),
    "withheld_safety": ("三安全一稳定", "三安全", "一稳定"),
    "withheld_third_party": ("第三方合法权益", "保护第三方"),
    "withheld_internal": ("内部事务",),
    "withheld_process": ("过程性信息", "四类过程"),
    "withheld_enforcement": ("执法案卷",),
    "withheld_inquiry": ("查询事项",),
    "unable_not_held": ("不掌握",),
    "unable_needs_creation": ("另行制作", "没有现成"),
    "unable_unclear": ("补正后", "仍不明确"),
    "declined_petition": ("信访", "举报投诉"),
    "declined_repeat": ("重复申请",),
    "declined_publication": ("出版物",),
    "declined_excessive": ("大量反复",),
    "declined_confirmation": ("重新出具", "确认或重新"),
    "other_no_correction": ("逾期不补", "无正当理由逾期"),
    "other_unpaid": ("收费通知", "缴纳费用", "缴纳信息处理费"),
    "carry_forward": ("结转下年度", "继续办理"),
}

# Other whole-segment spellings of short labels: (七)合计.
_SHORT_ALIASES: dict[str, str] = {"合计": "total", "总数": "total"}

# Table 3 result groups: (group key, keywords of its heading).
GROUP_HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("withheld", ("不予公开",)),
    ("unable", ("无法提供",)),
    ("declined", ("不予处理",)),
    ("other", ("其他处理",)),
)

# Short labels (<= 3 characters) only ever match a whole segment.
_SHORT = 3
# Matches of labels up to this length are cached (longer lines are prose).
_CACHED_LENGTH = 80
_CACHE_SIZE = 8192


def _core(label: str) -> str:
    return strip_enumerators(label_key(label))


def _t2_specs() -> list[RowSpec]:
    return [
        RowSpec(
            "t2",
            row.key,
            row.label,
            _core(row.label),
            _KEYWORDS.get(row.key, ()),
            None,
            len(fmt.T2_DOC_COLUMNS) if row.has_columns else 1,
        )
        for row in fmt.T2_ROWS
    ]


def _t3_specs() -> list[RowSpec]:
    width = len(fmt.T3_COLUMNS)
    specs = []
    for row in fmt.T3_ROWS:
        if row.key is None:
            continue
        label = row.label
        if row.key == "partial":  # the printed note in brackets varies; match the words
            label = "（二）部分公开"
        specs.append(
            RowSpec(
                "t3",
                row.key,
                row.label,
                _core(label),
                _KEYWORDS.get(row.key, ()),
                row.group,
                width,
            )
        )
    return specs


T2_SPECS: tuple[RowSpec, ...] = tuple(_t2_specs())
T3_SPECS: tuple[RowSpec, ...] = tuple(_t3_specs())
# The one-row 其他处理 of the 2019 layout: matched from its group heading.
T3_OTHER_ONE_ROW_SPEC = RowSpec(
    "t3",
    fmt.T3_OTHER_ONE_ROW,
    dict(fmt.T3_GROUPS)["other"],
    _core(dict(fmt.T3_GROUPS)["other"]),
    (),
    "other",
    len(fmt.T3_COLUMNS),
)


def t3_order(*, one_row_other: bool) -> list[str]:
    keys = list(fmt.T3_ROW_KEYS)
    if one_row_other:
        at = keys.index(fmt.T3_OTHER_SUBROWS[0])
        keys = [k for k in keys if k not in fmt.T3_OTHER_SUBROWS]
        keys.insert(at, fmt.T3_OTHER_ONE_ROW)
    return keys


@dataclass(frozen=True)
class Match:
    spec: RowSpec
    how: str  # EXACT, PARTIAL, KEYWORD, FUZZY
    printed: str  # the printed label segment that matched


class Matcher:
    """Matches printed labels to the rows of one table (t2 or t3)."""

    def __init__(self, specs: tuple[RowSpec, ...]):
        self.specs = specs
        self._long = [s for s in specs if len(s.core) > _SHORT]
        self._short = {s.core: s for s in specs if len(s.core) <= _SHORT}
        by_key = {s.key: s for s in specs}
        for alias, key in _SHORT_ALIASES.items():
            if key in by_key:
                self._short.setdefault(alias, by_key[key])
        self._keywords = [(kw, s) for s in specs for kw in s.keywords]
        self._matchers = [
            (difflib.SequenceMatcher(None, "", s.core, autojunk=False), s) for s in self._long
        ]
        # Printed labels repeat across reports; a Match is immutable, so one per
        # (label, group, fuzzy) is kept.  Bounded: cleared when full.
        self._cache: dict[tuple[str, str | None, bool], Match | None] = {}

    def match(self, key: str, *, group: str | None = None, fuzzy: bool = False) -> Match | None:
        """Match a label key (see normalize.label_key); ``group`` is the current t3 group."""
        if not key:
            return None
        if len(key) > _CACHED_LENGTH:
            return self._match(key, group, fuzzy)
        at = (key, group, fuzzy)
        try:
            return self._cache[at]
        except KeyError:
            pass
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        found = self._cache[at] = self._match(key, group, fuzzy)
        return found

    def _match(self, key: str, group: str | None, fuzzy: bool) -> Match | None:
        segments = label_segments(key) or [key]
        # 1. exact
        for seg in segments:
            spec = self._short.get(seg)
            if spec is not None and self._group_ok(spec, group):
                return Match(spec, EXACT, seg)
        best: RowSpec | None = None
        for spec in self._long:
            if spec.core in key and (best is None or len(spec.core) > len(best.core)):
                best = spec
        if best is not None:
            return Match(best, EXACT, best.core)
        # 2. partial: a wrapped piece of one label
        for seg in reversed(segments):
            if len(seg) < 4:
                continue
            hits = [s for s in self._long if seg in s.core]
            if len(hits) == 1:
                return Match(hits[0], PARTIAL, seg)
        # 3. keyword
        hits = {s.key: s for kw, s in self._keywords if kw in key}
        if len(hits) == 1:
            spec = next(iter(hits.values()))
            return Match(spec, KEYWORD, _printed_segment(segments, spec))
        # 4. fuzzy, only when asked (lines that carry values)
        if fuzzy and len(key) <= 80:
            return self._fuzzy(segments)
        return None

    def _group_ok(self, spec: RowSpec, group: str | None) -> bool:
        # "3.其他" is a row only under （六）其他处理; "总计" only as （七）总计.
        if spec.key == "other_other":
            return group == "other"
        return True

    def _fuzzy(self, segments: list[str]) -> Match | None:
        seg = max(segments, key=len)
        if len(seg) < 4:
            return None
        scored = []
        n = len(seg)
        for sm, spec in self._matchers:
            m = len(spec.core)
            if 2 * min(n, m) < 0.75 * (n + m):
                continue  # the lengths alone rule it out
            sm.set_seq1(seg)  # seq2 (the canonical label) is indexed once, in __init__
            if sm.quick_ratio() < 0.75:
                continue
            scored.append((sm.ratio(), spec))
        scored.sort(key=lambda t: -t[0])
        if not scored or scored[0][0] < 0.75:
            return None
        if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.1:
            return None
        return Match(scored[0][1], FUZZY, seg)


def _printed_segment(segments: list[str], spec: RowSpec) -> str:
    for seg in segments:
        if any(kw in seg for kw in spec.keywords):
            return seg
    return max(segments, key=len)


def group_of(key: str) -> str | None:
    """The t3 result group whose heading occurs in a label key (last one wins)."""
    found = None
    pos = -1
    for group, keywords in GROUP_HEADINGS:
        for kw in keywords:
            at = key.rfind(kw)
            if at > pos:
                found, pos = group, at
    return found


T2_MATCHER = Matcher(T2_SPECS)
T3_MATCHER = Matcher(T3_SPECS)
