"""The shared row-matching engine: lines (of text or of table cells) -> Report.

Every reader reduces its input to a list of :class:`Line` in reading order:
plain text gives one line per text line (cells when it is tab-separated), HTML
and DOCX give one line per paragraph and one line of cells per table row, PDF
gives the text lines of each page.  This module then finds the six sections,
the title, and the cells of tables 2, 3 and 4.

Tables are read row by row: a printed label is matched to a canonical row
(see labels.py) and the values on its line fill the row's cells.  PDF text
often puts the numbers of a row on a line of their own, above or below a label
wrapped over several lines; such value lines are paired with the labels (or,
when labels are missing, with the canonical rows) between two rows that were
read with certainty -- see :func:`_pair`.  Table rows carry the grid they
belong to (:attr:`Line.grid`), so a table printed right after another is not
read into it -- see :func:`_own_grid`.

The parts are found by heading, in the national numbering or, when a report
numbers or orders them otherwise, by their wording (note ``section_order``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkai.annual import format as fmt
from gongkai.annual.model import WARNING, Finding, Report, SectionText
from gongkai.annual.normalize import fix_cjk, label_key, strip_enumerators
from gongkai.annual.readers import labels as lb
from gongkai.annual.readers.errors import ReadError

# --- Lines and values --------------------------------------------------------


@dataclass
class Line:
    text: str  # printed text (cells joined by a tab for table rows)
    where: str  # provenance, e.g. "第57行", "第3页 第12行", "表格2 第4行"
    cells: list[str] | None = None  # table cells, blanks kept, when the source has them
    grid: int | None = None  # the table (grid) the row belongs to, when the source has one


_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")
# A count printed with its unit in the cell: "3件", "12.5万元".
_UNIT_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*(?:件|个|条|万元)$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# Printed in a cell instead of a number: never a value, kept in report.raw.
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "–", "/", "\\", "×", "x", "X", "－", "／", "―"})

BLANK = None  # a blank cell: missing, never 0


@dataclass(frozen=True)
class Value:
    printed: str
    number: int | Decimal | None  # None: not a number (placeholder)


def parse_value(token: str) -> Value | None:
    """A cell's printed text -> Value, or None when it is not a value at all."""
    if len(token) <= 24:  # cell texts repeat across reports (Value is frozen, safe to share)
        return _cached_value(token)
    return _parse_value(token)


@functools.lru_cache(maxsize=8192)
def _cached_value(token: str) -> Value | None:
    return _parse_value(token)


def _parse_value(token: str) -> Value | None:
    if token.isascii() and token.isdigit():
        return Value(token, int(token))
    t = unicodedata.normalize("NFKC", token).strip()
    unit = _UNIT_RE.match(t)
    if unit:
        t = unit.group(1)
    if _NUMBER_RE.match(t):
        pass
    elif _THOUSANDS_RE.match(t):
        t = t.replace(",", "")
    elif t in PLACEHOLDERS:
        return Value(token.strip(), None)
    else:
        return None
    if "." in t:
        try:
            return Value(token.strip(), Decimal(t))
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            return None
    return Value(token.strip(), int(t))


@dataclass
class Parsed:
    index: int
    label: str  # label key (see normalize.label_key)
    values: list[Value | None]  # trailing values; None = blank cell
    positional: bool  # blanks are real (cells from tabs / HTML / DOCX)
    printed: str = ""  # the label as printed (spaces collapsed)
    merged: bool = False  # values gathered from the following lines, one per line
    where: str = ""

    def has_number(self) -> bool:
        return any(v is not None and v.number is not None for v in self.values)


def parse_line(index: int, line: Line) -> Parsed:
    p = _parse_line(index, line)
    p.where = line.where
    return p


def _parse_line(index: int, line: Line) -> Parsed:
    if line.cells is not None:
        cells = [c.strip() for c in line.cells]
        i = 0
        while i < len(cells) and not cells[i]:
            i += 1
        label_cells = []
        while i < len(cells) and cells[i] and parse_value(cells[i]) is None:
            label_cells.append(cells[i])
            i += 1
        values: list[Value | None] = []
        for cell in cells[i:]:
            if not cell:
                values.append(BLANK)
            else:
                values.append(parse_value(cell) or Value(cell, None))
        printed = " ".join(" ".join(c.split()) for c in label_cells)
        return Parsed(index, label_key(printed), values, True, printed)
    tokens = line.text.split()
    values = []
    while tokens:
        v = parse_value(tokens[-1])
        if v is None:
            break
        values.append(v)
        tokens.pop()
    values.reverse()
    return Parsed(index, label_key("".join(tokens)), values, False, " ".join(tokens))


def _trim(values: list[Value | None], width: int) -> list[Value | None] | None:
    vals = list(values)
    while len(vals) > width and vals and vals[-1] is None:
        vals.pop()
    while len(vals) > width and vals and vals[0] is None:
        vals.pop(0)
    return vals if len(vals) == width else None


# --- The document ------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_BARE_HEADINGS = {label_key(s.heading): s.number for s in fmt.SECTIONS}
_HEADING_END_RE = re.compile(r"[。：:]|\s{2,}")
_HEADING_RE = re.compile(r"^([一二三四五六七八九十]{1,2})[.:]?(.{2,40})$")
_NUMERAL = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}
_YEAR_RE = re.compile(r"(20\d\d)\s*年")
_LEADING_YEAR_RE = re.compile(r"^(?:关于)?20\d\d年度?")
_ORG_LINE_RE = re.compile(
    rf"^(?:{fmt.ORGANIZATION_LABEL}|发布机关|编制单位|发布单位|报告单位)[:：]\s*(\S.*)$"
)

# Breadcrumbs and page chrome of CMS pages that also name the report.
_NOT_TITLE_WORDS = (">", "首页", "当前位置", "您的位置", "本报告由", "根据")

_FORMAT_2019_KEYWORDS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "政府集中采购",
)


@dataclass
class _Doc:
    lines: list[Line]
    keys: list[str]
    report: Report
    used: set[int] = field(default_factory=set)  # lines that belong to a table
    headings: dict[int, int] = field(default_factory=dict)  # section number -> line index
    # Parts of the report's own numbered among the statutory ones ("五、信息处理费收取情况"
    # between 四 and 六): they end the tables of the part before them.
    own_parts: list[int] = field(default_factory=list)
    _parsed: dict[int, Parsed] = field(default_factory=dict)

    def parse(self, i: int) -> Parsed:
        p = self._parsed.get(i)
        if p is None:
            p = self._parsed[i] = parse_line(i, self.lines[i])
        return p

    def note(self, code: str, message: str, cells=(), where: str | None = None) -> None:
        self.report.notes.append(Finding(code, WARNING, message, tuple(cells), where))


def build_report(
    lines: list[Line], *, source: str | None = None, source_format: str = "text"
) -> Report:
    """Read a report out of its lines; ReadError when it is not an annual report."""
    lines = [ln for ln in lines if not _PAGE_NUMBER_RE.match(ln.text)]
    for ln in lines:
        ln.text = fix_cjk(ln.text)
        if ln.cells is not None:
            ln.cells = (
                ln.text.split("\t")
                if len(ln.cells) == ln.text.count("\t") + 1
                else [fix_cjk(c) for c in ln.cells]
            )
    keys = [label_key(ln.text) for ln in lines]
    report = Report(source=source, source_format=source_format)
    doc = _Doc(lines, keys, report)
    _find_headings(doc)
    _find_title(doc)
    rows_found = 0
    rows_found += _read_t2(doc)
    rows_found += _read_t3(doc)
    rows_found += _read_t4(doc)
    _read_sections(doc)
    if rows_found < 3 and len(doc.headings) < 2:
        raise ReadError("不是政府信息公开工作年度报告：没有找到年度报告的章节或统计表")
    return report


# --- Sections, title, year ---------------------------------------------------


def _find_headings(doc: _Doc) -> None:
    last = 0  # the highest statutory part found so far
    order = _Order()
    for i, key in enumerate(doc.keys):
        if not key:
            continue
        bare = _BARE_HEADINGS.get(key)
        if bare is not None and bare > last:
            # the canonical heading without its numeral (Word's automatic numbering)
            doc.headings[bare] = i
            last = bare
            order.found(doc, i, bare, None)
            continue
        if len(key) > 42:
            # "一、总体情况。2024年，本局……" -- a heading run into its first paragraph
            head = key[:32].split(".", 2)
            if len(head) < 3 or len(head[1]) > 24:
                continue
            key = f"{head[0]}.{head[1]}"
        m = _HEADING_RE.match(key)
        if not m:
            continue
        number = _NUMERAL.get(m.group(1))
        if number is None:
            continue
        rest = m.group(2)
        if last < number <= len(fmt.SECTIONS):
            section = fmt.SECTION_BY_NUMBER[number]
            if any(kw in rest for kw in section.keywords):
                doc.headings[number] = i
                last = number
                order.found(doc, i, number, number)
                continue
        # A report that numbers its own prose parts 一..六 and then the statutory
        # parts anew ("一、主动公开政府信息情况" after six parts of prose): the
        # numeral is off, the wording is unmistakably a later statutory heading.
        later = range(last + 1, len(fmt.SECTIONS) + 1)
        renumbered = _renumbered_section(rest, parts=later, after=last)
        if renumbered is None and order.continues(number):
            # Parts out of order (四 and 五 swapped): a heading that continues the
            # report's numbering and names a statutory part not found yet.
            missing = [n for n in range(2, last) if n not in doc.headings]
            renumbered = _renumbered_section(rest, parts=missing, after=last)
        if renumbered is not None:
            doc.headings[renumbered] = i
            last = max(last, renumbered)
            order.found(doc, i, renumbered, number)
        elif order.continues(number) and not _is_table_row(doc, i):
            order.candidate(i, number)
    order.report(doc)


@dataclass
class _Order:
    """Where the report's parts leave the national order or numbering (note ``section_order``).

    A heading read as statutory part *n* but numbered otherwise is a deviation;
    so is a part of the report's own numbered in the sequence between two
    statutory parts (``candidate`` until the next statutory heading confirms
    it: numbered right after it, and no statutory part skipped).
    """

    printed: int = 0  # numeral of the last heading in the report's numbering
    part: int = 0  # statutory number of the last part found
    pending: list[tuple[int, int]] = field(default_factory=list)  # (line, numeral)
    deviations: list[tuple[int, int | None]] = field(default_factory=list)  # (line, part)

    def continues(self, numeral: int) -> bool:
        previous = self.pending[-1][1] if self.pending else self.printed
        return self.printed > 0 and numeral == previous + 1

    def candidate(self, i: int, numeral: int) -> None:
        self.pending.append((i, numeral))

    def found(self, doc: _Doc, i: int, part: int, numeral: int | None) -> None:
        if numeral is None:  # a heading without numeral: the national numbering
            numeral = part
        elif self.pending and numeral == self.pending[-1][1] + 1 and part == self.part + 1:
            for line, _ in self.pending:
                doc.own_parts.append(line)
                self.deviations.append((line, None))
        if numeral != part:
            self.deviations.append((i, part))
        self.pending = []
        self.printed = numeral
        self.part = part

    def report(self, doc: _Doc) -> None:
        if not self.deviations:
            return
        said = []
        for i, part in sorted(self.deviations):
            printed = _printed_heading(doc, i)
            if part is None:
                said.append(f"“{printed}”不是国家格式的部分")
            else:
                section = fmt.SECTION_BY_NUMBER[part]
                said.append(f"“{printed}”按第{section.numeral}部分“{section.heading}”读取")
        first = min(i for i, _ in self.deviations)
        doc.note(
            "section_order",
            "章节的编号或顺序与国家格式不一致，按标题文字读取：" + "；".join(said),
            where=doc.lines[first].where,
        )


def _printed_heading(doc: _Doc, i: int) -> str:
    heading = " ".join(doc.lines[i].text.split())
    if len(heading) > 42:
        m = _HEADING_END_RE.search(heading)
        heading = heading[: m.start()] if m else heading[:40]
    return heading.strip()


def _is_table_row(doc: _Doc, i: int) -> bool:
    """A numbered line that is a table row ("四、结转下年度继续办理"), not a part heading."""
    if doc.lines[i].cells is not None:
        return True
    p = doc.parse(i)
    if p.values or strip_enumerators(p.label) == _T3_RESULTS_WORDS:
        return True
    return lb.T3_MATCHER.match(p.label) is not None or lb.T2_MATCHER.match(p.label) is not None


_T3_RESULTS_WORDS = strip_enumerators(label_key(fmt.T3_RESULTS_HEADING))

# Wording that names one statutory part whatever numeral it carries.
_RENUMBERED_WORDS: dict[int, tuple[tuple[str, ...], ...]] = {
    2: (("主动公开政府信息情况",),),
    3: (("收到和处理政府信息公开申请",),),
    4: (("行政复议", "行政诉讼"),),
    5: (("存在的主要问题", "改进情况"),),
    6: (("其他需要报告的事项",),),
}


def _renumbered_section(rest: str, *, parts, after: int) -> int | None:
    if after < 1:
        return None  # only once the report's first part has been found
    for number in parts:
        alternatives = _RENUMBERED_WORDS.get(number, ())
        if any(all(w in rest for w in words) for words in alternatives):
            return number
    return None


def _section_range(doc: _Doc, number: int, *, own_parts: bool = False) -> range | None:
    """The lines of part ``number``; with ``own_parts``, up to a part of the report's own."""
    start = doc.headings.get(number)
    if start is None:
        return None
    later = [i for n, i in doc.headings.items() if i > start]
    if own_parts:
        later += [i for i in doc.own_parts if i > start]
    return range(start + 1, min(later) if later else len(doc.lines))


def _table_range(doc: _Doc, number: int) -> range:
    """Lines where table ``number`` (2, 3, 4) may be: its section, else outside prose sections."""
    found = _section_range(doc, number, own_parts=True)
    if found is not None:
        return found
    end = len(doc.lines)
    start = 0
    for n, i in doc.headings.items():
        if n < number:
            start = max(start, i + 1)
        elif n > number:
            end = min(end, i)
    return range(start, end)


def _find_title(doc: _Doc) -> None:
    report = doc.report
    first_section = doc.headings.get(1, min(doc.headings.values(), default=len(doc.lines)))
    head = [i for i in range(min(first_section, 40)) if doc.keys[i]]
    for i in head:
        m = _ORG_LINE_RE.match(doc.lines[i].text.strip())
        if m:
            report.organization = m.group(1).strip()
            break
    candidates = [
        i
        for i in head[:20]
        if "报告" in doc.keys[i]
        and len(doc.keys[i]) <= 60
        and not any(w in doc.keys[i] for w in _NOT_TITLE_WORDS)
    ]
    title_at = next(
        (i for i in candidates if _YEAR_RE.search(doc.keys[i]) and "年度报告" in doc.keys[i]),
        candidates[0] if candidates else None,
    )
    if title_at is not None:
        # The title may be wrapped: "洪泽区人民政府" / "2023 年政府信息公开" / "工作年度报告".
        at = [title_at]
        org_part = _org_of(doc.keys[title_at])
        previous = [i for i in head if i < title_at][-2:]
        while not org_part and previous and _is_title_piece(doc, previous[-1]):
            at.insert(0, previous.pop())
            org_part = _org_of("".join(doc.keys[i] for i in at))
        key = "".join(doc.keys[i] for i in at)
        report.title = "".join(doc.lines[i].text.strip().replace(" ", "") for i in at)
        if report.organization is None and org_part:
            report.organization = org_part.strip("(),.")
        m = _YEAR_RE.search(key)
        if m:
            report.year = int(m.group(1))
    if report.year is None:
        sect = _section_range(doc, 1)
        rng = sect if sect is not None else range(len(doc.lines))
        years = Counter(
            int(y) for i in rng for y in _YEAR_RE.findall(doc.keys[i]) if 2000 < int(y) < 2100
        )
        if years:
            report.year = years.most_common(1)[0][0]
            if report.title:
                doc.note(
                    "title_without_year",
                    f"标题“{report.title}”没有写年度，年度 {report.year} 取自正文",
                    where=doc.lines[title_at].where if title_at is not None else None,
                )


_TITLE_SPLIT_RE = re.compile(r"20\d\d年度?|关于|政府信息公开|政务公开|工作年度报告|年度报告")


def _org_of(key: str) -> str:
    """The body's name in a title key: the text before the year / 政府信息公开 / 关于."""
    key = _LEADING_YEAR_RE.sub("", key)
    m = _TITLE_SPLIT_RE.search(key)
    return key[: m.start()].strip("(),.") if m else ""


def _is_title_piece(doc: _Doc, i: int) -> bool:
    key = doc.keys[i]
    text = doc.lines[i].text.strip()
    return (
        len(key) <= 30
        and not _ORG_LINE_RE.match(text)
        and not any(ch in text for ch in "：:〔〕[]。，,")
        and not key.endswith("号")
        and not any(w in key for w in _NOT_TITLE_WORDS)
        and not _HEADING_RE.match(key)
        and doc.lines[i].cells is None
    )


def _read_sections(doc: _Doc) -> None:
    for number, start in sorted(doc.headings.items()):
        rng = _section_range(doc, number)
        assert rng is not None
        parts = [
            doc.lines[i].text.strip()
            for i in rng
            if i not in doc.used and doc.lines[i].text.strip()
        ]
        heading = doc.lines[start].text.strip()
        if len(heading) > 42:
            m = _HEADING_END_RE.search(heading)
            if m:
                parts.insert(0, heading[m.end() :].strip())
                heading = heading[: m.start()].strip()
        doc.report.sections[number] = SectionText(number, heading, "\n".join(parts))


def _rows_in(doc: _Doc, rng: range) -> Iterator[tuple[int, str, Parsed]]:
    """(line index, label key, parsed line) of every non-blank line in ``rng``."""
    for i in rng:
        key = doc.keys[i]
        if key:
            yield i, key, doc.parse(i)


def _mark_span(doc: _Doc, rng: range, first: int | None, used: list[int]) -> None:
    if not used:
        return
    lo = min([first, *used]) if first is not None else min(used)
    doc.used.update(i for i in range(lo, max(used) + 1) if i in rng)


# --- Cells -------------------------------------------------------------------


def _set_row(doc: _Doc, spec: lb.RowSpec, values: list[Value | None], where: str) -> None:
    for key, v in zip(spec.cell_keys(), values, strict=True):
        _set_cell(doc, key, v, where)


def _set_cell(doc: _Doc, key: str, v: Value | None, where: str) -> None:
    report = doc.report
    if v is None:
        return  # blank: missing, never 0
    if v.number is None or (isinstance(v.number, Decimal) and not fmt.is_decimal_key(key)):
        report.raw[key] = v.printed
        report.provenance[key] = where
        return
    report.set_cell(key, v.number, where)


_PRINTED_ENUM_RE = re.compile(
    r"([（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、](?!\d))"
)


def _printed_segment(printed: str, match: lb.Match) -> str:
    """The piece of a printed label that carries the matched row, enumerator kept."""
    parts = _PRINTED_ENUM_RE.split(_SPACE_RE.sub("", printed))
    chunks = [parts[0]] + [parts[k] + parts[k + 1] for k in range(1, len(parts) - 1, 2)]
    chunks = [c for c in chunks if c]
    for chunk in reversed(chunks):
        ck = label_key(chunk)
        if any(kw in ck for kw in match.spec.keywords) or match.printed in ck:
            return chunk
    return max(chunks, key=len) if chunks else printed


def _typo_note(doc: _Doc, match: lb.Match, p: Parsed) -> None:
    doc.note(
        "label_typo",
        f"行标签印为“{_printed_segment(p.printed, match)}”，按“{match.spec.label}”读取",
        match.spec.cell_keys(),
        p.where,
    )


@dataclass
class _Item:
    parsed: Parsed
    match: lb.Match | None


def _pair(doc: _Doc, items: list[_Item], order: list[str], specs: dict[str, lb.RowSpec]) -> None:
    """Assign value lines to rows.

    Rows whose label and values share a line are anchors.  Between two anchors,
    value-only lines go to the labels found there (in order) when the counts
    agree, else to the canonical rows between the anchors when those counts
    agree, else to the nearest label.
    """
    pos = {k: n for n, k in enumerate(order)}
    widths = {s.width for s in specs.values()}
    assigned: set[str] = set()
    read_from: dict[str, Parsed] = {}  # row key -> the line its values came from
    anchors: list[tuple[int, str]] = []  # (item index, row key)
    for n, it in enumerate(items):
        m = it.match
        if m is None or m.spec.key in assigned or all(v is None for v in it.parsed.values):
            continue  # a label whose cells are all blank may be the first half of a split row
        vals = _trim(it.parsed.values, m.spec.width)
        if vals is None:
            if it.parsed.has_number():
                count = sum(v is not None for v in it.parsed.values)
                doc.note(
                    "row_values_mismatch",
                    f"“{m.spec.label}”一行应有 {m.spec.width} 个数，印有 {count} 个，无法确定各栏，未读取",
                    m.spec.cell_keys(),
                    doc.lines[it.parsed.index].where,
                )
                assigned.add(m.spec.key)
            continue
        _set_row(doc, m.spec, vals, doc.lines[it.parsed.index].where)
        read_from[m.spec.key] = it.parsed
        assigned.add(m.spec.key)
        anchors.append((n, m.spec.key))
        doc.used.add(it.parsed.index)
    bounds = [(-1, -1), *[(n, pos.get(k, -1)) for n, k in anchors], (len(items), len(order))]
    for (a, pa), (b, pb) in zip(bounds, bounds[1:], strict=False):
        window = items[a + 1 : b]
        if not window:
            continue
        labels_: list[_Item] = []
        seen: set[str] = set()
        groups: list[_Item] = []
        for it in window:
            m = it.match
            if m is not None and m.spec.key not in assigned:
                if m.spec.key not in seen:
                    seen.add(m.spec.key)
                    labels_.append(it)
            elif (
                m is None
                and _is_value_group(it)
                and any(_trim(it.parsed.values, w) is not None for w in widths)
            ):
                groups.append(it)
        if not groups:
            continue
        candidates = [k for k in order[pa + 1 : pb] if k not in assigned] if pb > pa else []
        if labels_ and len(labels_) == len(groups):
            pairs = [(lab.match.spec.key, g) for lab, g in zip(labels_, groups, strict=True)]
        elif len(candidates) == len(groups):
            pairs = list(zip(candidates, groups, strict=True))
        else:
            pairs = []
            free = list(labels_)
            for g in groups:
                if not free:
                    break
                near = min(free, key=lambda lab, g=g: abs(lab.parsed.index - g.parsed.index))
                free.remove(near)
                pairs.append((near.match.spec.key, g))
        placed: set[int] = set()
        for key, g in pairs:
            spec = specs[key]
            vals = _trim(g.parsed.values, spec.width)
            if vals is None:
                continue
            _set_row(doc, spec, vals, doc.lines[g.parsed.index].where)
            read_from[key] = g.parsed
            assigned.add(key)
            doc.used.add(g.parsed.index)
            placed.add(id(g))
        for g in groups:
            if id(g) not in placed:
                doc.note(
                    "values_unplaced",
                    f"一行数字“{doc.lines[g.parsed.index].text.strip()}”无法对应到表格的行，未读取",
                    where=doc.lines[g.parsed.index].where,
                )
    _drop_wrapped(doc, read_from, specs)


def _row_sum_holds(values: list[Value | None]) -> bool:
    numbers = [v.number if v is not None else None for v in values]
    if any(n is None for n in numbers):
        return False
    return sum(numbers[:-1]) == numbers[-1]


def _one_printing(doc: _Doc, items: list[_Item], table: str) -> list[_Item]:
    """The items of one printing of a table that a report prints more than once.

    Some reports print last year's table beside this year's (“2023年” then
    “2024年”).  A row label printed again with its values starts another
    printing.  The printing captioned with the report's year is read; when no
    caption tells, the rows printed with different values are not read at all.
    """
    starts = []
    seen: set[str] = set()
    for n, it in enumerate(items):
        m = it.match
        if m is None or not it.parsed.has_number():
            continue
        if m.spec.key in seen:
            starts.append(n)
            seen = set()
        seen.add(m.spec.key)
    if not starts:
        return items
    bounds = [0, *starts, len(items)]
    printings = [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    # first line of each printing: where its first labelled row with values is
    firsts = [next(it.parsed.index for it in p if it.match is not None) for p in printings]
    years: list[int | None] = []
    for k, first in enumerate(firsts):
        if k:
            lo = max(it.parsed.index for it in printings[k - 1] if it.match is not None) + 1
        else:
            lo = max(0, first - 12)
        found = None
        for i in range(lo, first):
            key = doc.keys[i]
            m = _YEAR_RE.search(key)
            if m and len(key) <= 30:
                found = int(m.group(1))
        years.append(found)
    year = doc.report.year
    chosen = [p for p, y in zip(printings, years, strict=True) if y is not None and y == year]
    where = doc.lines[items[starts[0]].parsed.index].where
    if len(chosen) == 1:
        doc.note(
            "table_repeated",
            f"{table}印了 {len(printings)} 份（含其他年度的对比表），按标注 {year} 年的一份读取",
            where=where,
        )
        return chosen[0]
    # No caption: keep the rows every printing agrees on, drop the others.
    printed: dict[str, list[tuple]] = {}
    for p in printings:
        for it in p:
            if it.match is not None and it.parsed.has_number():
                printed.setdefault(it.match.spec.key, []).append(
                    tuple(v.printed if v is not None else None for v in it.parsed.values)
                )
    differ = {k for k, vs in printed.items() if len(set(vs)) > 1}
    if not differ:
        return printings[0]
    cells = [c for k in differ for c in doc_specs_cells(k, table)]
    doc.note(
        "table_repeated",
        f"{table}印了 {len(printings)} 份且数值不同，无法确定哪一份是本年度的，这些行未读取",
        cells,
        where,
    )
    return [it for it in printings[0] if it.match is None or it.match.spec.key not in differ]


def doc_specs_cells(key: str, table: str) -> list[str]:
    specs = lb.T2_SPECS if table == "表二" else lb.T3_SPECS
    spec = next((s for s in specs if s.key == key), None)
    return spec.cell_keys() if spec is not None else []


def _bare_value(it: _Item) -> bool:
    return it.match is None and not it.parsed.label and len(it.parsed.values) == 1


def _drop_wrapped(doc: _Doc, read_from: dict[str, Parsed], specs: dict[str, lb.RowSpec]) -> None:
    """Unread rows whose numbers may have wrapped inside too narrow cells.

    "12345" in a narrow PDF column prints as "1234" with "5" on the next line;
    the text then shows a full row of wrong numbers followed by a line with a
    few stray digits.  Which column they belong to is unknowable from text,
    so the row is left unread (the PDF reader then tries the ruled table).
    """
    last = len(doc.lines)
    for key, p in read_from.items():
        spec = specs[key]
        if p.positional or p.merged or spec.width < 3 or len(p.values) != spec.width:
            continue
        j = p.index + 1
        while j < last and not doc.keys[j]:
            j += 1
        if j >= last:
            continue
        nxt = doc.parse(j)
        count = sum(1 for v in nxt.values if v is not None and v.number is not None)
        if nxt.positional or not 0 < count < spec.width or len(nxt.label) > 40:
            continue
        other = lb.T2_MATCHER.match(nxt.label) or lb.T3_MATCHER.match(nxt.label)
        if other is not None and other.spec.key != key and other.how in (lb.EXACT, lb.KEYWORD):
            continue  # the next row, with fewer columns (行政许可 after 行政规范性文件)
        for cell in spec.cell_keys():
            doc.report.cells.pop(cell, None)
            doc.report.raw.pop(cell, None)
            doc.report.provenance.pop(cell, None)
        doc.note(
            "values_wrapped",
            f"“{spec.label}”一行的数字可能在栏内折行（下一行另有 {count} 个数），无法确定各栏，未读取",
            spec.cell_keys(),
            p.where,
        )


def _merge_cell_per_line(items: list[_Item], width: int | None = None) -> list[_Item]:
    """Values printed one per line (a table copied out of a web page or a PDF viewer).

    A label line followed by exactly its row's number of bare values takes them;
    other runs of bare values are cut into rows of ``width`` when they divide
    evenly, and paired like any value line.  A PDF viewer's copy does not keep
    the row order of such cells, so for table 3 a row is only formed when its
    总计 equals the sum of the six applicant columns (rule 3); otherwise the
    values are left unread rather than guessed.
    """
    out: list[_Item] = []
    i = 0
    while i < len(items):
        it = items[i]
        m = it.match
        if m is not None and not it.parsed.values:
            run = items[i + 1 : i + 1 + m.spec.width]
            if len(run) == m.spec.width and all(_bare_value(r) for r in run):
                values = [r.parsed.values[0] for r in run]
                if width is None or _row_sum_holds(values):
                    out.append(_Item(dataclasses.replace(it.parsed, values=values, merged=True), m))
                    i += 1 + m.spec.width
                    continue
        if width and _bare_value(it):
            j = i
            while j < len(items) and _bare_value(items[j]):
                j += 1
            run = items[i:j]
            chunks = [run[k : k + width] for k in range(0, len(run), width)]
            rows = [[r.parsed.values[0] for r in chunk] for chunk in chunks]
            if len(run) % width == 0 and all(_row_sum_holds(v) for v in rows):
                for chunk, values in zip(chunks, rows, strict=True):
                    out.append(
                        _Item(
                            dataclasses.replace(chunk[0].parsed, values=values, merged=True), None
                        )
                    )
                i = j
                continue
            out.extend(run)
            i = j
            continue
        out.append(it)
        i += 1
    return out


def _is_value_group(it: _Item) -> bool:
    # A line of values with no label, or with a label that is a fragment of a
    # wrapped or vertical label (unmatched); at least one real number.
    if not any(v is not None and v.number is not None for v in it.parsed.values):
        return False
    return len(it.parsed.label) <= 40 and not it.parsed.label.endswith((".", "。"))


def _mark_used(doc: _Doc, items: list[_Item]) -> None:
    for it in items:
        if it.match is not None:
            doc.used.add(it.parsed.index)


# --- Table 2 ------------------------------------------------------------------

_ITEM_RE = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项(.*)$")
# A count with its unit inside a label ("同意公开答复9件", "受理申请26件"): a line of
# prose that names a row, never a row label of the tables.
_PROSE_COUNT_RE = re.compile(r"\d(?:件|条|个|次|元|万元|%|人次)")


def _is_prose(label: str) -> bool:
    return _PROSE_COUNT_RE.search(label) is not None


_SPACE_RE = re.compile(r"\s+")
_T2_HEADER_KEY = label_key(fmt.T2_HEADER)


def _read_t2(doc: _Doc) -> int:
    rng = _table_range(doc, 2)
    region_keys = [doc.keys[i] for i in rng]
    hits = {kw for kw in _FORMAT_2019_KEYWORDS for k in region_keys if kw in k}
    if len(hits) >= 2:
        doc.report.format = fmt.FORMAT_2019
        doc.note(
            "format_2019",
            "表二为 2019 年试行格式（国办公开办函〔2019〕60号），与 2021 年格式的栏目不同，未按 2021 年格式读取表二",
        )
        lines = [i for i in rng if any(kw in doc.keys[i] for kw in _FORMAT_2019_KEYWORDS)]
        _mark_span(doc, rng, None, lines + [i for i in rng if doc.parse(i).values])
        return 1
    items: list[_Item] = []
    first_header = None
    for i, key, p in _rows_in(doc, rng):
        printed = _SPACE_RE.sub("", unicodedata.normalize("NFKC", doc.lines[i].text))
        m_item = _ITEM_RE.search(printed)
        if (m_item or key.startswith(_T2_HEADER_KEY)) and not p.has_number():
            first_header = i if first_header is None else first_header
            doc.used.add(i)
            if m_item and m_item.group(2) and not m_item.group(2).startswith(_T2_HEADER_KEY):
                _item_typo(doc, m_item, i)
            continue
        if not p.label and not p.values:
            continue
        match = lb.T2_MATCHER.match(p.label, fuzzy=p.has_number()) if p.label else None
        if match is not None and _is_prose(p.label):
            match = None
        if match is not None and p.values and len(p.label) > 30:
            match = None  # prose that happens to name a row
        if match is not None and match.how in (lb.KEYWORD, lb.FUZZY):
            _typo_note(doc, match, p)
        if match is None and p.label and not p.values:
            continue
        if match is None and p.label and len(p.label) > 2:
            continue  # prose line ending in a number
        items.append(_Item(p, match))
    items = _merge_cell_per_line(items)
    items = _one_printing(doc, items, "表二")
    specs = {s.key: s for s in lb.T2_SPECS}
    _pair(doc, items, [s.key for s in lb.T2_SPECS], specs)
    _mark_used(doc, items)
    _mark_span(
        doc, rng, first_header, [it.parsed.index for it in items if it.parsed.index in doc.used]
    )
    return sum(1 for it in items if it.match is not None)


def _item_typo(doc: _Doc, m: re.Match, i: int) -> None:
    printed = doc.lines[i].text.strip().split("\t")[0].strip()
    if m.group(2).startswith("规章") or m.group(2).startswith("行政"):
        return
    item = f"第二十条第（{m.group(1)}）项"
    cells = [k for row in fmt.T2_ROWS if row.article_item == item for k in _t2_keys(row)]
    doc.note(
        "label_typo",
        f"表二标题印为“{printed}”，按“{item}”读取",
        cells,
        doc.lines[i].where,
    )


def _t2_keys(row: fmt.T2Row) -> list[str]:
    if row.has_columns:
        return [f"t2.{row.key}.{c}" for c, _ in fmt.T2_DOC_COLUMNS]
    return [f"t2.{row.key}"]


# --- Table 3 ------------------------------------------------------------------

_T3_HEADER_WORDS = (
    fmt.T3_APPLICANT_GROUP_LABEL,
    "勾稽关系",  # a piece of fmt.T3_NOTE
    fmt.T3_COLUMN_LABEL["natural"],
    fmt.T3_ORG_GROUP_LABEL,
    fmt.T3_COLUMN_LABEL["commercial"],
)


def _read_t3(doc: _Doc) -> int:
    rng = _table_range(doc, 3)
    parsed: list[Parsed] = []
    matches: list[lb.Match | None] = []
    groups: list[str | None] = []
    group: str | None = None
    full_layout = False
    other_heading = False
    first_header = None
    header_text = []
    for i, key, p in _rows_in(doc, rng):
        g = lb.group_of(p.label) if p.label else None
        if g is not None:
            group = g
            other_heading = other_heading or g == "other"
        m = lb.T3_MATCHER.match(p.label, group=group, fuzzy=p.has_number()) if p.label else None
        if m is not None and (len(p.label) > 60 or _is_prose(p.label)):
            m = None
        if m is not None and m.spec.key in fmt.T3_OTHER_SUBROWS:
            full_layout = True
        if m is None and first_header is None and any(w in key for w in _T3_HEADER_WORDS):
            first_header = i
        if (
            m is None
            and not p.has_number()
            and any(w in key for w in _T3_HEADER_WORDS + ("社会", "公益"))
        ):
            header_text.append(key)
        parsed.append(p)
        matches.append(m)
        groups.append(g)
    # No 其他处理 sub-row anywhere, yet the heading (or the rows around it) is there.
    found = {m.spec.key for m in matches if m is not None}
    one_row = not full_layout and (other_heading or {"declined_confirmation", "total"} <= found)
    items: list[_Item] = []
    for p, m, g in zip(parsed, matches, groups, strict=True):
        if m is None and g == "other" and one_row and p.label and "处理" in p.label:
            m = lb.Match(lb.T3_OTHER_ONE_ROW_SPEC, lb.EXACT, p.label)
        if m is None and p.label and not p.values:
            continue
        if m is None and p.label and len(p.label) > 40:
            continue
        if m is not None and m.how in (lb.KEYWORD, lb.FUZZY):
            _typo_note(doc, m, p)
        items.append(_Item(p, m))
    items = _drop_transposed(doc, items)
    if not any(it.match is not None for it in items):
        return 0
    report = doc.report
    if one_row:
        report.one_row_other = True
        doc.note(
            "outdated_layout_other_one_row",
            "表三“（六）其他处理”印为一行，没有 2021 年格式的三个子项（2019 年试行格式的版式）",
            [f"t3.{fmt.T3_OTHER_ONE_ROW}.{c}" for c, _ in fmt.T3_COLUMNS],
        )
    header = "".join(header_text)
    if "社会组织" in header.replace("公益", "") and "公益" not in header:
        doc.note(
            "column_label",
            f"表三申请人一栏印为“社会组织”，按“{fmt.T3_COLUMN_LABEL['public_interest']}”读取",
            [f"t3.{k}.public_interest" for k in fmt.T3_ROW_KEYS],
        )
    if 3 not in doc.headings:
        # no heading to end the table: it ends with its last row (and a value line)
        last = max(it.parsed.index for it in items if it.match is not None)
        items = [it for it in items if it.parsed.index <= last + 2]
    items = _merge_cell_per_line(items, len(fmt.T3_COLUMNS))
    items = _one_printing(doc, items, "表三")
    order = lb.t3_order(one_row_other=one_row)
    specs = {s.key: s for s in lb.T3_SPECS}
    specs[fmt.T3_OTHER_ONE_ROW] = lb.T3_OTHER_ONE_ROW_SPEC
    _pair(doc, items, order, specs)
    _mark_used(doc, items)
    _mark_span(
        doc, rng, first_header, [it.parsed.index for it in items if it.parsed.index in doc.used]
    )
    return sum(1 for it in items if it.match is not None)


# Applicant columns as printed, also abbreviated: the row labels of a transposed table 3.
_T3_COLUMN_WORDS = frozenset(
    label_key(w)
    for w in (
        *fmt.T3_COLUMN_LABEL.values(),
        "社会组织",
        "企业",
        "科研",
        "公益组织",
        "法律服务",
        "合计",
    )
)


def _drop_transposed(doc: _Doc, items: list[_Item]) -> list[_Item]:
    """Table 3 printed with rows and columns swapped: an applicant type per line, 20+ numbers.

    Which number belongs to which of the 25 rows depends on a header the
    engine does not map, so none is read.
    """
    swapped = [
        it
        for it in items
        if len(it.parsed.values) >= 20 and strip_enumerators(it.parsed.label) in _T3_COLUMN_WORDS
    ]
    if len(swapped) < 2:
        return items
    doc.note(
        "table_transposed",
        "表三行列互换印出（申请人类型为行），无法按国家格式的行列对应，未读取",
        where=doc.lines[swapped[0].parsed.index].where,
    )
    drop = {id(it) for it in swapped}
    return [it for it in items if id(it) not in drop]


# --- Table 4 ------------------------------------------------------------------

_T4_BLOCK_WORDS = (
    ("litigation_after", ("复议后起诉",)),
    ("litigation_direct", ("未经复议", "直接起诉")),
    ("reconsideration", ("行政复议",)),
)
_T4_WIDTH = len(fmt.T4_COLUMNS)


def _t4_sums_hold(stream: list[tuple[Value | None, int]]) -> bool:
    numbers = [v.number if v is not None else None for v, _ in stream]
    for b in range(len(fmt.T4_BLOCKS)):
        block = numbers[b * _T4_WIDTH : (b + 1) * _T4_WIDTH]
        if any(n is None for n in block) or sum(block[:-1]) != block[-1]:
            return False
    return True


def _own_grid(
    stream: list[tuple[Value | None, int]], pieces: list[int], total: int
) -> list[tuple[Value | None, int]]:
    """Table 4's values when the stream runs on into another table.

    A table printed right after table 4 (信息处理费: 通知收取件数 / 金额) adds its
    numbers to the stream.  When the stream holds more than ``total`` values and
    the first pieces (grids) hold exactly ``total`` — blanks at the ends not
    counted — those pieces are table 4 and the rest belongs to another table.
    """
    if len(stream) <= total:
        return stream
    for end in [*pieces[1:], len(stream)]:
        head = stream[:end]
        values = [v for v, _ in head]
        while values and values[-1] is None:
            values.pop()
        while values and values[0] is None:
            values.pop(0)
        if len(values) == total:
            return head
        if len(values) > total:
            break
    return stream


def _read_t4(doc: _Doc) -> int:
    rng = _table_range(doc, 4)
    if doc.headings.get(4) is None:
        t3_lines = [i for i in doc.used if i in rng]
        rng = range(max(t3_lines) + 1 if t3_lines else rng.start, rng.stop)
    first_header = None
    blocks: dict[str, tuple[list[Value | None], int]] = {}
    stream: list[tuple[Value | None, int]] = []
    used: list[int] = []
    # Where the stream may end: the values of one table come from its own grid.
    # A new piece starts with another grid (HTML/DOCX/PDF table, a run of
    # tab-separated lines) or after a line of numbers that is not table 4's.
    pieces: list[int] = []  # index in ``stream`` where each piece starts
    grid: object = object()
    skipped = False
    for i in rng:
        key = doc.keys[i]
        if not key:
            continue
        if first_header is None and ("行政复议" in key or "结果维持" in key) and len(key) < 60:
            first_header = i
        p = doc.parse(i)
        if not p.values or not any(v is not None and v.number is not None for v in p.values):
            continue
        if p.label:
            block = next((b for b, kws in _T4_BLOCK_WORDS if any(k in p.label for k in kws)), None)
            vals = _trim(p.values, _T4_WIDTH)
            if block and vals is not None and len(p.label) <= 20:
                blocks[block] = (vals, i)
                used.append(i)
                continue
            if len(p.label) > 4:
                skipped = True
                continue  # prose, or a row of another table ("通知收取件数 1 0 1")
        if skipped or doc.lines[i].grid != grid:
            pieces.append(len(stream))
            grid, skipped = doc.lines[i].grid, False
        stream.extend((v, i) for v in p.values)
        used.append(i)
    if first_header is None and not blocks and 4 not in doc.headings:
        return 0
    found = 0
    if blocks:
        for block, (vals, i) in blocks.items():
            for (col, _), v in zip(fmt.T4_COLUMNS, vals, strict=True):
                _set_cell(doc, f"t4.{block}.{col}", v, doc.lines[i].where)
            found += 1
    elif stream:
        total = len(fmt.T4_BLOCKS) * _T4_WIDTH
        stream = _own_grid(stream, pieces, total)
        used = [i for i in used if i <= stream[-1][1]]
        while len(stream) > total and stream[-1][0] is None:
            stream.pop()
        while len(stream) > total and stream[0][0] is None:
            stream.pop(0)
        lines_used = len({i for _, i in stream})
        if len(stream) == total and lines_used > 5 and not _t4_sums_hold(stream):
            # One number per line (a PDF viewer's copy, pdftotext without -layout):
            # the reading order of such cells is not the row order, so the
            # block totals have to confirm it before anything is read.
            doc.note(
                "values_unplaced",
                "表四的数字逐个分行印出，且各栏合计对不上，无法确认顺序，未读取",
                where=doc.lines[stream[0][1]].where,
            )
        elif len(stream) == total:
            keys = fmt.t4_keys()
            for key, (v, i) in zip(keys, stream, strict=True):
                _set_cell(doc, key, v, doc.lines[i].where)
            found = 1
        else:
            doc.note(
                "values_unplaced",
                f"表四应有 {total} 个数，读到 {len(stream)} 个，未读取",
                where=doc.lines[stream[0][1]].where,
            )
    _mark_span(doc, rng, first_header, used)
    return found
