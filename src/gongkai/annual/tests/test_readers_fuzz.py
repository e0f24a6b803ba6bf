"""Property tests: arbitrary text and HTML-ish input never raises anything but ReadError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual import format as fmt
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.readers.html import read_html
from gongkai.annual.readers.text import read_text

_WORDS = [
    *(s.title for s in fmt.SECTIONS),
    *(r.label for r in fmt.T2_ROWS),
    *(r.label for r in fmt.T3_ROWS),
    *(g for _, g in fmt.T3_GROUPS),
    *(c for _, c in fmt.T3_COLUMNS),
    *(c for _, c in fmt.T4_COLUMNS),
    "行政复议",
    "第二十条第（一）项",
    "信息内容",
    "2024年",
    "单位名称：某局",
    "0",
    "12",
    "3,119",
    "—",
    "/",
    "-",
    "1.5",
    "\t",
    "  ",
    "\n",
    "- 3 -",
    "⼀",
]
_TAGS = [
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    '<td rowspan="3">',
    '<td colspan="99999">',
    "<br>",
    "<p>",
    "</p>",
    "<div>",
    "<th>",
    "&nbsp;",
    "<script>",
    "<!--",
    "-->",
    "<?xml version='1.0' encoding='gbk'?>",
    "\x00",
]

report_like = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=120).map(
    "".join
)
html_like = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.sampled_from(_TAGS), st.text(max_size=6)), max_size=150
).map("".join)

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_read_error(fn, arg):
    try:
        report = fn(arg)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for key in report.cells:
        assert key in fmt.all_keys() or key in fmt.all_keys(one_row_other=True)


@FUZZ
@given(report_like)
def test_read_text_never_raises_anything_else(text):
    _only_read_error(read_text, text)


@FUZZ
@given(html_like)
def test_read_html_never_raises_anything_else(text):
    _only_read_error(read_html, text)


@FUZZ
@given(st.binary(max_size=2000))
def test_read_bytes_never_raises_anything_else(data):
    _only_read_error(read_bytes, data)


@FUZZ
@given(st.lists(st.sampled_from(_WORDS), min_size=5, max_size=80))
def test_shuffled_labels_never_crash_the_engine(words):
    _only_read_error(read_text, "\n".join(words))
