"""The review aid: find personal data and classification markings before publication.

条例第十五条 (personal privacy, trade secrets) and 第十四条 (state secrets) make the
body responsible for what it publishes; 第十七条 requires a review before
publication.  This scanner does not decide — it points a reviewer at what needs
a second look, with offsets so the UI can highlight and mask.

Kinds (``Hit.kind``) and how each is recognised (docs/privacy.md has examples):

- ``id_card``: an 18-character resident ID number (GB 11643-1999) standing alone
  (no digit directly before or after), with a known province code, a real
  birth date in 1900-2099 and a valid mod 11-2 check character.  Numbers with a
  wrong check character are not reported (see docs/privacy.md).  15-digit
  legacy numbers are not scanned: they carry no check digit, so they cannot be
  told from other 15-digit numbers, and they ceased to be valid in 2013.
- ``id_card_suspect`` (severity low): an 18-character ID-shaped run (17 digits
  and a digit or X) that is NOT a valid ID (wrong check character, impossible
  date or province) but stands where an ID number is written: at most 6
  non-digit characters after 身份证 / 身份证号 / 身份证号码 / 身份证件号码 /
  公民身份号码, or in a table column whose header is such a keyword
  (:func:`scan_table`, or tab-separated text pasted from a spreadsheet).  A
  mistyped ID is still someone's ID: the reviewer sees it as a hint and
  :func:`mask` hides it like an ID.  Without that context an invalid number is
  not reported (no false positives on other 18-digit numbers).
- ``mobile``: ``1[3-9]`` + 9 digits, not inside a longer digit run, optionally
  ``+86``/``86`` before it and a space or hyphen as 3-4-4.
- ``bank_card``: 16-19 digits (or groups of four separated by one space or
  hyphen), not inside a longer run, passing the Luhn check, and neither a valid
  ID number nor an ID-shaped 18-digit run (a mistyped ID is not a card).
- ``landline``: ``0AA(A)-NNNNNNN(N)`` or ``(0AA)NNNNNNNN``, extension allowed.
- ``classification_marker``: 绝密/机密/秘密 followed by ★ (``秘密★1年``), or
  standing alone on a line/cell, or after ``密级：``  — severity high;
  内部资料/内部文件/内部使用/内部参考/注意保管/不得外传 anywhere — high on a line of
  their own, medium in prose; the phrase 国家秘密 in prose — low, except in
  保守国家秘密(法).  Ordinary words such as 商业秘密 or the law's name are not hits.
- ``address``: a place name ending in 省/市/县/区/镇/乡/村/社区/路/街/小区/... followed
  by house-level numbers (X组, X号, X栋, X单元, X室 ...), e.g. ``张家村3组12号``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import mul
from typing import NamedTuple

ID_CARD = "id_card"
ID_SUSPECT = "id_card_suspect"
MOBILE = "mobile"
BANK_CARD = "bank_card"
BANK_SUSPECT = "bank_card_suspect"
LANDLINE = "landline"
CLASSIFICATION_MARKER = "classification_marker"
ADDRESS = "address"

HIGH = "high"
MEDIUM = "medium"
LOW = "low"

LABELS = {
    ID_CARD: "身份证号码",
    ID_SUSPECT: "疑似身份证号码（校验位或日期有误）",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    BANK_SUSPECT: "疑似银行卡号或账号（标明为卡号、账号）",
    LANDLINE: "固定电话",
    CLASSIFICATION_MARKER: "密级或内部标志",
    ADDRESS: "住址",
}
PERSONAL_KINDS = frozenset(
    {ID_CARD, ID_SUSPECT, MOBILE, BANK_CARD, BANK_SUSPECT, LANDLINE, ADDRESS}
)
_DIGIT_KINDS = frozenset({ID_CARD, ID_SUSPECT, MOBILE, BANK_CARD, BANK_SUSPECT, LANDLINE})
ALL_KINDS = frozenset(LABELS)


class Hit(NamedTuple):
    """One finding.  ``start``/``end`` index ``text`` (or the cell, for tables);
    ``line`` is 1-based; ``row``/``column`` are 0-based indexes into the rows
    given to :func:`scan_table` (None for :func:`scan`)."""

    kind: str
    text: str
    start: int
    end: int
    line: int
    label: str
    severity: str
    row: int | None = None
    column: int | None = None


# --- checks -------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes, plus 83 (台湾居民居住证 830000).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plausible_birth(ymd: str) -> bool:
    year, month, day = int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8])
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and day >= 1):
        return False
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS_IN_MONTH[month - 1]


def id_shaped(number: str) -> bool:
    """18 characters with a province code and a plausible birth date (check not tested)."""
    return len(number) == 18 and number[:2] in _PROVINCES and _plausible_birth(number[6:14])


def id_checksum_ok(number: str) -> bool:
    total = sum(map(mul, map(int, number[:17]), _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def valid_id_number(number: str) -> bool:
    """GB 11643 resident ID: shape, birth date and the mod 11-2 check character."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and (number[17].isdigit() or number[17] in "Xx")
        and id_shaped(number)
        and id_checksum_ok(number)
    )


def _is_mobile(digits: str) -> bool:
    return digits[0] == "1" and digits[1] in "3456789"


_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check of a digit string, as used by bank card numbers (ISO/IEC 7812)."""
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLE)))
    return (kept + doubled) % 10 == 0


# --- patterns -----------------------------------------------------------------

# A run of 8-30 digits with an optional X, not touching other digits.  Longer
# runs do not match at all (the lookarounds reject every shorter slice).  Runs
# shorter than 11 or longer than 19 digits are only ever reported where a label
# or a column header says they are bank account numbers.
_DIGIT_RUN = re.compile(
    r"(?<![0-9])(?P<prefix>(?:\+|00)86[ -]?)?(?P<num>[0-9]{8,30}[Xx]?)(?![0-9])"
)
# Numbers written with separators, in one pass: mobile 3-4-4, card in groups of
# four, landline with area code.  A run of four-digit groups may be longer than
# a card (a row number or an amount printed next to it in a space-separated
# list): ``_card_window`` picks the card out of it.
_SEPARATED = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<mobile>(?:(?:\+|00)86[ -]?)?1[3-9][0-9](?P<msep>[ -])[0-9]{4}(?P=msep)[0-9]{4})"
    r"|(?P<card>[0-9]{4}(?P<csep>[ -])[0-9]{4}(?:(?P=csep)[0-9]{4}){2,}"
    r"(?:(?P=csep)[0-9]{1,3})?)"
    r"|(?P<landline>(?<!-)(?:[(（]0[1-9][0-9]{1,2}[)）][ -]?|0[1-9][0-9]{1,2}-)[2-9][0-9]{6,7}"
    r"(?:-[0-9]{1,6})?)"
    r")(?![0-9])"
)

_SPACE = r"[ \t\u3000]"
_MARK_WORD = r"(?:绝密|机密|秘密)"
_MARK_STAR = re.compile(
    _MARK_WORD
    + _SPACE
    + r"*★"
    + _SPACE
    + r"*(?:[0-9０-９一二三四五六七八九十]+(?:年|个月|月|天|日)|长期|启用前)?"
)
_MARK_LINE = re.compile(
    r"(?m)(?:^|(?<=\t))"
    + _SPACE
    + r"*(?:密级[:：]"
    + _SPACE
    + r"*)?"
    + _MARK_WORD
    + _SPACE
    + r"*(?=\t|$)"
)
_MARK_LEVEL = re.compile(r"密级[:：]" + _SPACE + r"*" + _MARK_WORD)
_INTERNAL = re.compile(r"内部资料|内部文件|内部使用|内部参考|注意保管|不得外传")
_INTERNAL_LINE = re.compile(
    r"(?m)(?:^|(?<=\t))"
    + _SPACE
    + r"*(?:内部资料|内部文件|内部使用|内部参考|注意保管|不得外传|[ \t\u3000，,、])+(?=\t|$)"
)
# Not in the law's name, nor in the duty "保守国家秘密", nor in a review's own
# negative finding ("不涉及国家秘密").
_STATE_SECRET = re.compile(r"(?<!保守)(?<!不涉及)(?<!未涉及)(?<!不属于)(?<!不含)国家秘密(?!法)")

# Addresses: a place name ending in a place suffix, directly followed by
# house-level numbers.  The regex finds the house part (anchored on the suffix
# character before it); the place name is then found by walking back over
# Chinese characters (linear time — a forward regex with nested lazy segments
# backtracks exponentially on long runs of place characters).  The walk stops
# at common function characters, so "他住在张家村3组" starts at 张家村.
_STOP = frozenset("在住于的是和与及为从到向由往自")
_SUFFIX_CHARS = "省市州盟县旗区镇乡村屯寨庄湾坪岗沟坝营堡铺路街道巷弄里苑院园会厦场寓"
_NUMBER = r"(?:第?[0-9０-９]+|第?[一二三四五六七八九十]{1,3})"
# Village groups (村民小组, 生产队, 社) are public administrative units, not
# personal data: a group number alone is no address hit and masking keeps it.
_GROUP_UNITS = frozenset({"村民小组", "小组", "组", "队", "社"})
_UNIT = r"(?:村民小组|小组|组|队|社|号楼|号院|号|栋|幢|座|单元|层|楼|室)"
_HOUSE_UNIT_CHARS = frozenset("号栋幢座单元层楼室")
_HOUSE = re.compile(rf"(?<=[{_SUFFIX_CHARS}])(?:{_NUMBER}{_UNIT}[-－—]?)+")
_SUFFIX_SET = frozenset(_SUFFIX_CHARS)
PLACE_MAX_SEGMENT = 10  # name characters between two place suffixes
PLACE_MAX = 40  # characters of the whole place name
_ADDRESS_TAIL = re.compile(rf"(?:{_NUMBER}{_UNIT}[-－—]?)+$")
_NUMBER_UNIT = re.compile(rf"({_NUMBER})({_UNIT})")
_VILLAGE_LEVEL = re.compile(r"(?:居委会|村委会|社区|街道|村|乡|镇)")


# --- scanning -----------------------------------------------------------------


class _Lines:
    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


# An ID keyword ending at most 6 non-digit characters before a number.
_ID_KEYWORD_BEFORE = re.compile(r"(?:身份证|身份号码)[^0-9]{0,6}$")
_ID_LOOKBEHIND = 16
# A table header naming the ID column.
_ID_HEADER = re.compile(
    r"^[ \t\u3000]*(?:公民身份号码|身份证件?号码?|身份号码)(?:（[^）]*）)?[ \t\u3000]*$"
)

# A label (or a column header) says what a number is, and the label decides:
# - bank card and account numbers (银行卡号, 账号, 卡号, 存折, 惠农一卡通账号 ...) are
#   someone's bank data whatever their checksum — a 存折 passbook number of a
#   rural credit cooperative has no check digit at all (条例第十五条 personal data);
# - order, serial and reference numbers (订单号, 流水号, 单号, 编号 ...) are not bank
#   cards even when they happen to pass the Luhn check.
# 账号 of a login (微信账号, 用户账号) is not a bank account; 账户名 is a name.
# The login-account exclusions are checked on the few matches (``_label_kind``).
_BANK_WORD = r"(?:[账帐](?:号|户(?!名))|卡号|存折号?)"
_OTHER_WORD = (
    r"(?:[单编文]号|编码|(?:流水|凭证|交易|批次|合同|档案|证书|登记|备案|许可证|发票|票据)号)"
)
_NUMBER_LABEL = re.compile(rf"(?P<bank>{_BANK_WORD})|(?P<other>{_OTHER_WORD})")
# Where a label may start: one character class and a short literal, which the
# regex engine scans ten times faster than the full alternation above.
_LABEL_START = re.compile(
    r"[账帐卡存单编文流凭交批合档证登备许发票]"
    r"(?:号|户|折|码|水号|证号|易号|次号|同号|案号|书号|记号|可证号|票号|据号)"
)
_NOT_BANK_BEFORE = ("微信", "用户", "登录", "邮箱", "QQ", "qq")
_LABEL_GAP = 10  # at most this many characters between a label and its number
# A label does not reach across a line, a sentence or a list separator.
_LABEL_BREAK = re.compile(r"[0-9\n。；;！!？?，,、]")
_HEADER = re.compile(
    rf"[ \t\u3000]*[^\t\n0-9]{{0,10}}?(?:(?P<bank>{_BANK_WORD})|(?P<other>{_OTHER_WORD}))"
    r"码?(?:[（(][^）)]*[）)])?[ \t\u3000]*$"
)

_ID_COL = "id"
_BANK_COL = "bank"
_OTHER_COL = "other"


def _label_kind(text: str, m: re.Match[str]) -> str:
    if m.lastgroup == "bank":
        if text.endswith(_NOT_BANK_BEFORE, 0, m.start()):
            return _OTHER_COL  # a login account: says what the number is, and it is no card
        return _BANK_COL
    return _OTHER_COL


# Cheap first test of a cell (every cell of a table goes through it): a header
# has no digits before the 号/户/折/码/证 of its keyword.
_HEADER_HINT = re.compile(r"[^0-9]{0,14}?[号户折码证]").match


def _header_kind(cell: str) -> str | None:
    """What a column header says its numbers are (``id`` / ``bank`` / ``other``)."""
    if len(cell) > 30 or not _HEADER_HINT(cell):
        return None
    if _ID_HEADER.match(cell):
        return _ID_COL
    m = _HEADER.match(cell)
    return _label_kind(cell, m) if m else None


def _in_cells(cells: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(cells, (start, 1 << 62)) - 1
    return i >= 0 and cells[i][0] <= start and end <= cells[i][1]


Cells = dict[str, list[tuple[int, int]]]


class _Context:
    """Where a number stands: in which kind of column, after which label."""

    def __init__(self, text: str, cells: Cells) -> None:
        self.text = text
        self.id_cells = cells.get(_ID_COL, [])
        self.bank_cells = cells.get(_BANK_COL, [])
        self.other_cells = cells.get(_OTHER_COL, [])
        self.label_ends: list[int] = []
        self.label_kinds: list[str] = []
        label = _NUMBER_LABEL.match
        for hint in _LABEL_START.finditer(text):
            m = label(text, hint.start())
            if m is not None:
                self.label_ends.append(m.end())
                self.label_kinds.append(_label_kind(text, m))
        self.bank_possible = bool(self.bank_cells) or _BANK_COL in self.label_kinds
        self.other_possible = bool(self.other_cells) or _OTHER_COL in self.label_kinds
        self.any = bool(self.label_ends or self.bank_cells or self.other_cells)

    def in_id_context(self, start: int, end: int) -> bool:
        text = self.text
        if _ID_KEYWORD_BEFORE.search(text, max(0, start - _ID_LOOKBEHIND), start):
            return True
        return _in_cells(self.id_cells, start, end)

    def number_kind(self, start: int, end: int) -> str | None:
        """``bank`` / ``other`` when a label before the number, or else its column
        header, says what it is; ``None`` when nothing does."""
        if not self.any:
            return None
        i = bisect_right(self.label_ends, start) - 1
        if i >= 0:
            label_end = self.label_ends[i]
            if start - label_end <= _LABEL_GAP and not _LABEL_BREAK.search(
                self.text, label_end, start
            ):
                return self.label_kinds[i]
        if _in_cells(self.bank_cells, start, end):
            return _BANK_COL
        if _in_cells(self.other_cells, start, end):
            return _OTHER_COL
        return None


def _tsv_cells(text: str) -> Cells:
    """Spans of the cells under an ID, bank or other-number header in
    tab-separated text (a table pasted from a spreadsheet)."""
    cells: Cells = {}
    columns: dict[int, str] = {}
    offset = 0
    for line in text.split("\n"):
        if "\t" in line:
            parts = line.split("\t")
            headers = {
                c: k
                for c, part in enumerate(parts)
                if _HEADER_HINT(part) and (k := _header_kind(part))
            }
            if headers:
                columns = headers
                for kind in headers.values():
                    cells.setdefault(kind, [])
            elif columns:
                starts = list(accumulate([len(p) + 1 for p in parts], initial=offset))
                for c, kind in columns.items():
                    if c < len(parts):
                        cells[kind].append((starts[c], starts[c] + len(parts[c])))
        else:
            columns = {}  # the table ended
        offset += len(line) + 1
    return cells


# --- tables in HTML and in space-separated text -----------------------------------
#
# A 公示 pasted from Word into an item body is an HTML table; text copied out of
# a PDF has spaces between the cells.  Their column headers count like a
# spreadsheet's (review #9 F9).  The cells' spans index the text as given, so
# hits and masking work on the HTML itself.
#
# Only the table tags are looked at, with one regex pass: html.parser took 3.7 s
# on the 10,000-row benchmark table (this pass: under 0.1 s), and lxml gives no
# source offsets.  Comments are skipped; attribute values may hold ">" in quotes.
# Tags are read as Word and browsers write them; a cell left open closes at the
# next cell, row or table tag.
_TABLE_TAG = re.compile(
    r"<(?P<close>/?)(?P<tag>table|tr|td|th)\b"
    # Possessive, and never past another "<" outside quotes: a stray "<td" or
    # quote costs a few characters, never a rescan of the text (linear time).
    r"(?P<attrs>(?:[^>\"'<]|\"[^\"]{0,500}\"|'[^']{0,500}')*+)>",
    re.IGNORECASE,
)
_HAS_TABLE_TAG = re.compile(r"<t[dh][\s>]", re.IGNORECASE)
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?\s*([0-9]{1,3})", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|#12288|#x3000);", re.IGNORECASE)
_WHITE = re.compile(r"[\s\u3000]+")
_HEADER_CHARS = re.compile(r"[号户折码证]").search
_HEADER_RAW_MAX = 600  # a header cell with Word's markup; longer cells hold no header


def _cell_header(text: str, start: int, end: int) -> str | None:
    """The header kind of the HTML cell ``text[start:end]`` (its inner markup)."""
    if end - start > _HEADER_RAW_MAX or not _HEADER_CHARS(text, start, end):
        return None
    plain = _WHITE.sub("", _ENTITY.sub(" ", _ANY_TAG.sub("", text[start:end])))
    return _header_kind(plain) if plain and _HEADER_HINT(plain) else None


class _HtmlTable:
    __slots__ = ("columns", "row", "col", "cell_start", "cell_span")

    def __init__(self) -> None:
        self.columns: dict[int, str] = {}  # column index -> header kind
        self.row: list[tuple[int, int, int]] = []  # (column, start, end) of this row's cells
        self.col = 0
        self.cell_start = -1
        self.cell_span = 1


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """Where the HTML comments are (an unclosed one runs to the end)."""
    spans = []
    pos = text.find("<!--")
    while pos != -1:
        end = text.find("-->", pos + 4)
        end = len(text) if end == -1 else end + 3
        spans.append((pos, end))
        pos = text.find("<!--", end)
    return spans


def _html_cells(text: str) -> Cells:
    """Spans of the cells under an ID, bank or other-number header in HTML tables."""
    cells: Cells = {}
    stack: list[_HtmlTable] = []

    def close_cell(table: _HtmlTable, at: int) -> None:
        if table.cell_start >= 0:
            table.row.append((table.col, table.cell_start, at))
            table.col += table.cell_span
            table.cell_start = -1

    def close_row(table: _HtmlTable, at: int) -> None:
        close_cell(table, at)
        if table.row:
            headers = {}
            for col, start, end in table.row:
                kind = _cell_header(text, start, end)
                if kind:
                    headers[col] = kind
            if headers:
                table.columns = headers
            elif table.columns:
                for col, start, end in table.row:
                    kind = table.columns.get(col)
                    if kind:
                        cells.setdefault(kind, []).append((start, end))
        table.row = []
        table.col = 0

    comments = _comment_spans(text)
    for m in _TABLE_TAG.finditer(text):
        if comments and _in_cells(comments, m.start(), m.start()):
            continue
        closing, tag, attrs = m.group(1, 2, 3)
        tag = tag.lower()
        if tag == "table":
            if not closing:
                stack.append(_HtmlTable())
            elif stack:
                close_row(stack.pop(), m.start())
            continue
        if not stack:
            stack.append(_HtmlTable())  # a row or cell without <table>: a fragment
        table = stack[-1]
        if tag == "tr":
            close_row(table, m.start())
        elif closing:  # </td>, </th>
            close_cell(table, m.start())
        else:  # <td>, <th>
            close_cell(table, m.start())
            table.cell_start = m.end()
            span = _COLSPAN.search(attrs) if attrs else None
            table.cell_span = max(1, int(span.group(1))) if span else 1
    while stack:  # unclosed tables end with the text
        close_row(stack.pop(), len(text))
    for spans in cells.values():
        spans.sort()
    return cells


_SPACED_TOKEN = re.compile(r"[^ \t\u3000\xa0]+")
_HAS_SPACE = re.compile(r"[^ \t\u3000\xa0\n<][ \u3000\xa0]+[^ \t\u3000\xa0\n]")


def _spaced_cells(text: str) -> Cells:
    """Spans of the cells under an ID, bank or other-number header in lines whose
    cells are separated by spaces.  A header line (two or more cells, one of them
    a header) opens the table; a line with the header's number of cells is a row
    (a line with another number is not guessed at); a line with fewer than two
    cells — a blank line, a sentence — ends the table.  Lines with a tab or a
    tag are left to the other readers."""
    cells: Cells = {}
    columns: dict[int, str] = {}
    width = 0
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        if "\t" in line or "<" in line or not _HAS_SPACE.search(line):
            columns = {}
            continue
        tokens = [(m.start() + start, m.end() + start) for m in _SPACED_TOKEN.finditer(line)]
        headers = {}
        for c, (s, e) in enumerate(tokens):
            token = text[s:e]
            if _HEADER_HINT(token) and (kind := _header_kind(token)):
                headers[c] = kind
        if headers:
            columns, width = headers, len(tokens)
        elif columns and len(tokens) == width:
            for c, kind in columns.items():
                cells.setdefault(kind, []).append(tokens[c])
    return cells


def _table_cells(text: str) -> Cells:
    """Column context from every way a table is written in text: tab-separated,
    HTML, space-separated."""
    found: list[Cells] = []
    if "\t" in text:
        found.append(_tsv_cells(text))
    if "<" in text and _HAS_TABLE_TAG.search(text):
        found.append(_html_cells(text))
    if (" " in text or "\u3000" in text) and _HAS_SPACE.search(text):
        found.append(_spaced_cells(text))
    if len(found) == 1:
        return found[0]
    merged: Cells = {}
    for part in found:
        for kind, spans in part.items():
            merged.setdefault(kind, []).extend(spans)
    for spans in merged.values():
        spans.sort()
    return merged


def _card_window(text: str, start: int, end: int, sep: str) -> tuple[int, int] | None:
    """The Luhn-valid card inside a run of four-digit groups, as (start, end).

    A run of exactly four groups (and a short last group of 1-3 digits) is the
    card itself.  A longer run is a card with another number printed next to
    it in a space-separated list (a four-digit row number before, an amount
    after): only a window at either end of the run is tried, never one in the
    middle of a long run of groups (years, codes)."""
    parts = text[start:end].split(sep)
    starts = []
    pos = start
    for part in parts:
        starts.append(pos)
        pos += len(part) + 1
    full = len(parts) - (len(parts[-1]) < 4)
    windows = [(0, len(parts))] if full == 4 else [(0, 4), (full - 4, len(parts))]
    if full > 4 and full < len(parts):
        windows.append((full - 4, full))
    for first, stop in windows:
        digits = "".join(parts[first:stop])
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            return starts[first], starts[stop - 1] + len(parts[stop - 1])
    return None


# Every number the two patterns above can match is written with these
# characters only, and is at least 8 of them long.  Both patterns open with a
# look-behind, which keeps the regex engine from skipping ahead to a likely
# start: on a long text (an HTML table is mostly markup) they are run only
# inside such segments — the same matches (the look-behinds still see the
# character before a segment, and the character after one is never a digit),
# at a third of the cost.
_NUMERIC_SEGMENT = re.compile(r"[0-9+(（][0-9+ \-()（）Xx]{7,}")


def _numeric_segments(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NUMERIC_SEGMENT.finditer(text)]


def _digit_hits(text: str, out: list[tuple[str, int, int, str]], ctx: _Context) -> None:
    segments = _numeric_segments(text)
    for m in (m for s, e in segments for m in _DIGIT_RUN.finditer(text, s, e)):
        start, end = m.span()
        digits = m.group("num")
        n = len(digits)
        if m.group("prefix"):  # +86 / 0086: only a mobile number may follow
            if n == 11 and _is_mobile(digits):
                out.append((MOBILE, start, end, HIGH))
            continue
        if n == 18:
            if valid_id_number(digits):
                out.append((ID_CARD, start, end, HIGH))
                continue
            if digits[:17].isdigit() and ctx.in_id_context(start, end):
                out.append((ID_SUSPECT, start, end, LOW))
                continue
        if digits[-1] in "Xx":
            continue
        if n == 11 and _is_mobile(digits):
            out.append((MOBILE, start, end, HIGH))
            continue
        if n == 13 and digits.startswith("86") and _is_mobile(digits[2:]):
            out.append((MOBILE, start, end, HIGH))
            continue
        card = 16 <= n <= 19 and luhn_ok(digits)
        if card and not ctx.other_possible and not (n == 18 and id_shaped(digits)):
            out.append((BANK_CARD, start, end, HIGH))  # no label could say otherwise
            continue
        if not card and not ctx.bank_possible:
            continue
        where = ctx.number_kind(start, end)
        if where == _BANK_COL:
            out.append(
                (BANK_CARD, start, end, HIGH) if card else (BANK_SUSPECT, start, end, MEDIUM)
            )
        elif card and where is None and not (n == 18 and id_shaped(digits)):
            out.append((BANK_CARD, start, end, HIGH))
    for m in (m for s, e in segments for m in _SEPARATED.finditer(text, s, e)):
        kind = m.lastgroup
        if kind == "card":
            where = ctx.number_kind(m.start(), m.end())
            if where == _OTHER_COL:
                continue
            span = _card_window(text, m.start(), m.end(), m.group("csep"))
            if span is not None:
                out.append((BANK_CARD, span[0], span[1], HIGH))
            elif where == _BANK_COL:
                out.append((BANK_SUSPECT, m.start(), m.end(), MEDIUM))
        elif kind == "mobile":
            out.append((MOBILE, m.start(), m.end(), HIGH))
        else:
            out.append((LANDLINE, m.start(), m.end(), MEDIUM))


def _marker_hits(text: str, out: list[tuple[str, int, int, str]]) -> None:
    # Offsets already reported: the stronger patterns run first and a weaker one
    # never reports the same words again (markers are a few characters long).
    covered: set[int] = set()

    def add(start: int, end: int, severity: str) -> None:
        span = range(start, end)
        if any(i in covered for i in span):
            return
        covered.update(span)
        out.append((CLASSIFICATION_MARKER, start, end, severity))

    for m in _MARK_STAR.finditer(text):
        add(m.start(), m.end(), HIGH)
    for m in _MARK_LEVEL.finditer(text):
        add(m.start(), m.end(), HIGH)
    for m in _MARK_LINE.finditer(text):
        s, e = _strip_span(text, m.start(), m.end())
        add(s, e, HIGH)
    if "内部" in text or "注意保管" in text or "不得外传" in text:
        for m in _INTERNAL_LINE.finditer(text):
            s, e = _strip_span(text, m.start(), m.end())
            if s < e:
                add(s, e, HIGH)
        for m in _INTERNAL.finditer(text):
            add(m.start(), m.end(), MEDIUM)
    if "国家秘密" in text:
        for m in _STATE_SECRET.finditer(text):
            add(m.start(), m.end(), LOW)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u3000，,、":
        start += 1
    while end > start and text[end - 1] in " \t\u3000，,、":
        end -= 1
    return start, end


def _place_start(text: str, suffix_at: int) -> int:
    """Leftmost start of the place name whose last character is ``text[suffix_at]``."""
    start = suffix_at
    segment = 0
    j = suffix_at - 1
    while j >= 0 and suffix_at - j < PLACE_MAX:
        ch = text[j]
        if not "\u4e00" <= ch <= "\u9fff" or ch in _STOP:
            break
        if ch in _SUFFIX_SET:
            segment = 0
        else:
            segment += 1
            if segment > PLACE_MAX_SEGMENT:
                break
        start = j
        j -= 1
    return start


def _address_hits(text: str, out: list[tuple[str, int, int, str]]) -> None:
    for m in _HOUSE.finditer(text):
        if _HOUSE_UNIT_CHARS.isdisjoint(m.group()):
            continue  # village/group level only (张家村3组): nothing personal
        start = _place_start(text, m.start() - 1)
        if m.start() - start >= 2:  # at least a name and its suffix
            out.append((ADDRESS, start, m.end(), MEDIUM))


# Full-width digits and signs (１３８…, －, ＋, （）) are common in documents typed with
# a Chinese input method.  The mapping is one character to one, so offsets found
# in the normalised text index the original text too.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－＋", "0123456789Xx-+")
_ANY_FULLWIDTH = re.compile("[０-９Ｘｘ－＋]")


def _raw_hits(
    text: str,
    kinds: frozenset[str],
    cells: Cells | None = None,
    allow: _Allow | None = None,
) -> list[tuple[str, int, int, str]]:
    original = text
    if _ANY_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH)
    found: list[tuple[str, int, int, str]] = []
    if kinds & _DIGIT_KINDS:
        if cells is None:
            wants_columns = kinds & {ID_SUSPECT, BANK_CARD, BANK_SUSPECT}
            cells = _table_cells(text) if wants_columns else {}
        _digit_hits(text, found, _Context(text, cells))
    if CLASSIFICATION_MARKER in kinds and (
        "密" in text or "内部" in text or "保管" in text or "外传" in text
    ):
        _marker_hits(text, found)
    if ADDRESS in kinds:
        _address_hits(text, found)
    found = [f for f in found if f[0] in kinds]
    if allow:
        found = [f for f in found if not allow.allows(f[0], original[f[1] : f[2]])]
    found.sort(key=lambda f: (f[1], -f[2]))
    # Drop hits nested inside an earlier, longer one (e.g. a landline inside a card run).
    result: list[tuple[str, int, int, str]] = []
    reach = -1
    for f in found:
        if f[1] < reach and f[2] <= reach:
            continue
        result.append(f)
        reach = max(reach, f[2])
    return result


# A landline as the scanner finds it: area code, local number, extension.
_LANDLINE_PARTS = re.compile(
    r"[(（]?(?P<area>0[1-9][0-9]{1,2})[)）]?[ -]?(?P<local>[2-9][0-9]{6,7})(?:-[0-9]{1,6})?"
)


def _landline_parts(piece: str) -> tuple[str, str] | None:
    """(area code, local number) of a landline hit, extension dropped."""
    m = _LANDLINE_PARTS.fullmatch(piece.translate(_FULLWIDTH))
    return (m["area"], m["local"]) if m else None


class _Allow:
    """What the body publishes about itself — its office phone, fax, address
    (条例第十二条: the 公开指南 publishes them) — is not personal data: such
    numbers and addresses are never hits, however they are spelt.

    A landline entry with an area code allows that area code and local number
    as a pair (0999-86340015 does not allow 0371-86340015, another city's
    subscriber); a number written without an area code allows that local
    number under any area code."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.numbers: set[str] = set()  # mobiles, and numbers without an area code
        self.landlines: set[tuple[str, str]] = set()  # (area code, local number)
        self.addresses: list[str] = []
        wanted = frozenset({LANDLINE, MOBILE, ADDRESS})
        for entry in entries:
            text = (entry or "").translate(_FULLWIDTH)
            taken: list[tuple[int, int]] = []
            for kind, s, e, _ in _raw_hits(text, wanted):
                piece = text[s:e]
                if kind == ADDRESS:
                    self.addresses.append(piece)
                    continue
                taken.append((s, e))
                if kind == MOBILE:
                    self.numbers.add(_digits(piece)[-11:])
                elif (parts := _landline_parts(piece)) is not None:
                    self.landlines.add(parts)
            for m in re.finditer(r"[0-9]{7,}", text):
                if not any(s <= m.start() < e for s, e in taken):
                    self.numbers.add(m.group())

    def __bool__(self) -> bool:
        return bool(self.numbers or self.landlines or self.addresses)

    def allows(self, kind: str, piece: str) -> bool:
        if kind == MOBILE:
            return _digits(piece)[-11:] in self.numbers
        if kind == LANDLINE:
            if _digits(piece) in self.numbers:  # the entry written without separators
                return True
            parts = _landline_parts(piece)
            return parts is not None and (parts in self.landlines or parts[1] in self.numbers)
        if kind == ADDRESS:
            return any(piece.endswith(a) or a.endswith(piece) for a in self.addresses)
        return False


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.translate(_FULLWIDTH))


def _allow(allow: Iterable[str] | None) -> _Allow | None:
    if allow is None:
        return None
    if isinstance(allow, str):
        allow = [allow]
    return _Allow(allow)


def _kinds(kinds: Iterable[str] | None) -> frozenset[str]:
    if kinds is None:
        return ALL_KINDS
    chosen = frozenset(kinds)
    unknown = chosen - ALL_KINDS
    if unknown:
        raise ValueError(f"未知的类型：{'、'.join(sorted(unknown))}")
    return chosen


def scan(
    text: str, *, kinds: Iterable[str] | None = None, allow: Iterable[str] | None = None
) -> list[Hit]:
    """Every hit in ``text``, in order of position.

    ``allow``: what the body publishes about itself (its office phone, fax and
    address, as written in its 公开指南) — phone numbers and addresses matching
    them are not hits.
    """
    wanted = _kinds(kinds)
    lines = _Lines(text)
    return [
        Hit(kind, text[s:e], s, e, lines.line(s), LABELS[kind], severity)
        for kind, s, e, severity in _raw_hits(text, wanted, None, _allow(allow))
    ]


def scan_table(
    rows: Iterable[Sequence[object]],
    *,
    kinds: Iterable[str] | None = None,
    allow: Iterable[str] | None = None,
) -> list[Hit]:
    """Scan a 公示 table (rows of cells); hits carry 0-based ``row``/``column`` and
    offsets within the cell.  ``None`` cells are skipped, others go through ``str``.

    The table is joined into one text with a newline between cells and scanned
    once, so a hit never spans two cells and a marker alone in a cell counts as
    being in marking position.
    """
    wanted = _kinds(kinds)
    parts: list[str] = []
    starts: list[int] = []
    places: list[tuple[int, int]] = []
    # Cells under a header such as 身份证号, 银行卡号 or 订单号 (from that header's
    # row on): a mistyped ID there is an ``id_card_suspect``, any number under
    # 银行卡号 is bank data, a number under 订单号 is no card.
    cells: Cells = {}
    columns: dict[int, str] = {}
    offset = 0
    for r, row in enumerate(rows):
        if isinstance(row, str | bytes):
            raise ValueError(f"第{r + 1}行应为单元格列表，而不是一段文字")
        headers = {
            c: k
            for c, cell in enumerate(row)
            if isinstance(cell, str) and _HEADER_HINT(cell) and (k := _header_kind(cell))
        }
        if headers:
            columns = headers
        for c, cell in enumerate(row):
            if cell is None:
                continue
            value = cell if isinstance(cell, str) else str(cell)
            if not value:
                continue
            parts.append(value)
            starts.append(offset)
            places.append((r, c))
            if not headers and c in columns:
                cells.setdefault(columns[c], []).append((offset, offset + len(value)))
            offset += len(value) + 1
    text = "\n".join(parts)
    hits: list[Hit] = []
    for kind, s, e, severity in _raw_hits(text, wanted, cells, _allow(allow)):
        i = bisect_right(starts, s) - 1
        base = starts[i]
        cell = parts[i]
        if e - base > len(cell):  # cannot happen with newline separators; be safe
            continue
        cs, ce = s - base, e - base
        r, c = places[i]
        hits.append(
            Hit(
                kind, cell[cs:ce], cs, ce, cell.count("\n", 0, cs) + 1, LABELS[kind], severity, r, c
            )
        )
    return hits


# --- masking ------------------------------------------------------------------


def _mask_digits(value: str, keep_first: int, keep_last: int) -> str:
    """Mask digits of ``value`` except the first/last ones, keeping separators."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit() or ch in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else ch for i, ch in enumerate(value))


def _mask_number_unit(u: re.Match[str]) -> str:
    if u[2] in _GROUP_UNITS:
        return u[0]  # 3组, 第三村民小组: public units, kept
    return "*" * len(u[1]) + u[2]


def mask_hit(hit: Hit) -> str:
    """The replacement text for one hit.

    ID 110101********1234 (first 6, last 4); mobile 138****5678 (first 3, last 4;
    a +86 prefix and separators stay); bank card ``6222 **** **** 1234`` whatever
    its length (the length is not disclosed); landline keeps the area code and
    the last 2 digits; address keeps everything up to the village/community level
    (村/社区/居委会/镇/乡/街道) and replaces house-level numbers with ``*``;
    classification markers become ``■`` (only when asked for: they are review
    findings, not data to hide).
    """
    text = hit.text
    if hit.kind in (ID_CARD, ID_SUSPECT):
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if hit.kind == MOBILE:
        prefix = ""
        core = text
        if len(re.sub(r"\D", "", text)) > 11:
            digits_seen = 0
            for i in range(len(text) - 1, -1, -1):
                if text[i].isdigit():
                    digits_seen += 1
                    if digits_seen == 11:
                        prefix, core = text[:i], text[i:]
                        break
        return prefix + _mask_digits(core, 3, 4)
    if hit.kind in (BANK_CARD, BANK_SUSPECT):
        digits = re.sub(r"\D", "", text)
        return f"{digits[:4]} **** **** {digits[-4:]}"
    if hit.kind == LANDLINE:
        m = re.match(r"[(（]?0[0-9]{2,3}[)）]?[ -]?", text)
        head = m.group() if m else ""
        return head + _mask_digits(text[len(head) :], 0, 2)
    if hit.kind == ADDRESS:
        tail_match = _ADDRESS_TAIL.search(text)
        cut = tail_match.start() if tail_match else len(text)
        keep = cut
        for village in _VILLAGE_LEVEL.finditer(text, 0, cut):
            keep = village.end()
        masked = "*" * (cut - keep) + _NUMBER_UNIT.sub(_mask_number_unit, text[cut:])
        return text[:keep] + masked
    return "■" * len(text)


def mask(
    text: str, kinds: Iterable[str] | None = None, *, allow: Iterable[str] | None = None
) -> str:
    """``text`` with every hit of ``kinds`` (default: the personal kinds) masked;
    ``allow`` as for :func:`scan` (the body's own phone, fax, address stay)."""
    wanted = PERSONAL_KINDS if kinds is None else _kinds(kinds)
    pieces: list[str] = []
    pos = 0
    for hit in scan(text, kinds=wanted, allow=allow):
        if hit.start < pos:
            continue
        pieces.append(text[pos : hit.start])
        pieces.append(mask_hit(hit))
        pos = hit.end
    pieces.append(text[pos:])
    return "".join(pieces)


def mask_table(
    rows: Iterable[Sequence[object]],
    kinds: Iterable[str] | None = None,
    *,
    allow: Iterable[str] | None = None,
) -> list[list[object]]:
    """A copy of ``rows`` with every hit of :func:`scan_table` masked in its cell
    (column headers such as 银行卡号 count; non-string cells kept as they are)."""
    rows = [list(row) for row in rows]
    wanted = PERSONAL_KINDS if kinds is None else _kinds(kinds)
    by_cell: dict[tuple[int, int], list[Hit]] = {}
    for hit in scan_table(rows, kinds=wanted, allow=allow):
        by_cell.setdefault((hit.row, hit.column), []).append(hit)
    out: list[list[object]] = []
    for r, row in enumerate(rows):
        new_row: list[object] = []
        for c, cell in enumerate(row):
            hits = by_cell.get((r, c))
            if not hits or not isinstance(cell, str):
                new_row.append(cell)
                continue
            pieces: list[str] = []
            pos = 0
            for hit in hits:
                if hit.start < pos:
                    continue
                pieces.append(cell[pos : hit.start])
                pieces.append(mask_hit(hit))
                pos = hit.end
            pieces.append(cell[pos:])
            new_row.append("".join(pieces))
        out.append(new_row)
    return out
