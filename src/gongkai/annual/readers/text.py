"""Plain-text reports: one line per text line; tab-separated or |pipe| lines are table cells."""

from __future__ import annotations

import re

from gongkai.annual.model import Report
from gongkai.annual.readers.engine import Line, build_report

_RULE_RE = re.compile(r"^[\s|:\-—+]*$")  # |---|---| of a Markdown table
# Markdown a conversion pipeline wraps around headings and titles: "## 一、总体情况",
# "**二、主动公开政府信息情况**", "> 本报告……".
_MD_HEADING_RE = re.compile(r"^\s{0,3}(?:#{1,6}|>)\s+")
_MD_STRONG_RE = re.compile(r"\*\*|__")
# <!-- comments --> of a Markdown file: blanked, line numbers kept.
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)


def _blank_comments(text: str) -> str:
    if "<!--" not in text:
        return text
    return _COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def text_lines(text: str) -> list[Line]:
    """One Line per text line; a run of table lines (tabs or |pipes|) is one grid."""
    lines = []
    grid = None  # line number of the first line of the current run of table lines
    for n, raw in enumerate(_blank_comments(text).splitlines(), start=1):
        where = f"第{n}行"
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _RULE_RE.match(stripped):
                lines.append(Line("", where, grid=grid))
                continue
            grid = grid or n
            cells = stripped.strip("|").split("|")
            lines.append(Line("\t".join(cells), where, cells, grid))
        elif "\t" in raw:
            grid = grid or n
            lines.append(Line(raw, where, raw.split("\t"), grid))
        else:
            grid = None
            text = _MD_HEADING_RE.sub("", raw, count=1)
            if "**" in text or "__" in text:
                text = _MD_STRONG_RE.sub("", text)
            lines.append(Line(text, where))
    return lines


def read_text(text: str, *, source: str | None = None) -> Report:
    """Read a report printed as text (tabs, |pipes| or spaces between cells); ReadError if none."""
    if not isinstance(text, str):
        raise TypeError("read_text takes str; use read_bytes for bytes")
    return build_report(text_lines(text), source=source, source_format="text")
