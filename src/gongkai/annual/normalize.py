"""Text normalisation shared by the readers of published annual reports.

Published reports come out of Word, WPS, CMS editors and PDF text layers with
the same words spelled in many code points: full-width digits and brackets,
Kangxi radicals (U+2F00-U+2FDF) and CJK radical supplements (U+2E80-U+2EFF)
that WPS PDFs emit instead of the unified ideographs, CJK compatibility
ideographs, spaced-out characters, "1." / "1、" / "1．".  Two levels:

* :func:`fix_cjk` only repairs the ideographs (radicals -> unified ideographs)
  and removes zero-width characters; it keeps the printed punctuation, so it is
  what prose sections are stored with.
* :func:`label_key` reduces a printed label to a comparison key: NFKC, no
  whitespace, one bracket and enumerator style, no quotes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# CJK Radicals Supplement characters that stand for an ordinary character.
# NFKC maps the Kangxi radicals (U+2F00 block) but leaves most of these alone.
_RADICAL_SUPPLEMENT = {
    "⺁": "厂",
    "⺇": "几",
    "⺊": "卜",
    "⺌": "小",
    "⺟": "母",
    "⺠": "民",
    "⺩": "王",
    "⺮": "竹",
    "⺯": "糸",
    "⺷": "羊",
    "⻁": "虎",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻉": "贝",
    "⻊": "足",
    "⻋": "车",
    "⻑": "長",
    "⻓": "长",
    "⻔": "门",
    "⻗": "雨",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
    "⻳": "龟",
}


def _build_cjk_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = (
        (0x2E80, 0x2EFF),  # CJK Radicals Supplement
        (0x2F00, 0x2FDF),  # Kangxi Radicals
        (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
        (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
    )
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            mapped = _RADICAL_SUPPLEMENT.get(ch) or unicodedata.normalize("NFKC", ch)
            if mapped != ch:
                table[cp] = mapped
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):  # zero-width, soft hyphen
        table[cp] = ""
    table[0x00A0] = " "  # &nbsp;
    table[0x3000] = " "  # ideographic space
    return table


_CJK_TABLE = _build_cjk_table()
# Cheap test first: most text has none of these and translate() is per character.
_NEEDS_FIX_RE = re.compile(
    "[\u00a0\u00ad\u200b-\u200d\u2060\u2e80-\u2fdf\u3000\uf900-\ufaff\ufeff\U0002f800-\U0002fa1f]"
)


def fix_cjk(text: str) -> str:
    """Radicals and compatibility ideographs -> unified ideographs; no punctuation change."""
    if _NEEDS_FIX_RE.search(text) is None:
        return text
    return text.translate(_CJK_TABLE)


_SPACE_RE = re.compile(r"\s+")
# After NFKC: brackets are ASCII; unify enumerator punctuation and drop quotes.
_KEY_TABLE = str.maketrans(
    {
        "、": ".",
        "﹑": ".",
        "。": ".",
        ",": ".",
        ";": ".",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "“": "",
        "”": "",
        '"': "",
        "‘": "",
        "’": "",
        "'": "",
        "「": "",
        "」": "",
        ":": "",
        "-": "",
        "—": "",
        "–": "",
        "_": "",
        "·": "",
    }
)


def label_key(text: str) -> str:
    """A printed label reduced for comparison (NFKC, no spaces/quotes, one enumerator style)."""
    # Row labels, headers and cell texts repeat in every report: a reader of
    # thousands of reports computes each short key once.  Prose lines are
    # unique, so they bypass the cache instead of evicting the labels.
    if len(text) <= _CACHED_LENGTH:
        return _cached_label_key(text)
    return _label_key(text)


_CACHED_LENGTH = 80


@functools.lru_cache(maxsize=8192)
def _cached_label_key(text: str) -> str:
    return _label_key(text)


def _label_key(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", fix_cjk(text))
    text = _SPACE_RE.sub("", text)
    return text.translate(_KEY_TABLE)


_NUMERALS = "一二三四五六七八九十"
# An enumerator inside a label key: (一) 一. 1. (1) ①
ENUMERATOR_RE = re.compile(
    rf"\([{_NUMERALS}\d]{{1,3}}\)\.?|[{_NUMERALS}]{{1,3}}\.|(?<![\d.])\d{{1,2}}\.(?!\d)|[①-⑳]"
)


def label_segments(key: str) -> list[str]:
    """Split a label key at its enumerators: '(三)不予公开1.属于国家秘密' -> ['不予公开', '属于国家秘密']."""
    return [s for s in ENUMERATOR_RE.split(key) if s]


def strip_enumerators(key: str) -> str:
    return ENUMERATOR_RE.sub("", key)
