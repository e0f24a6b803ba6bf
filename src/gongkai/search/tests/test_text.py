"""The pure text side: normalisation, tokens, query parsing, highlighting (hand-computed)."""

from __future__ import annotations

from gongkai.search.text import (
    highlight,
    index_tokens,
    normalize,
    parse_query,
    snippet,
    tokens,
)


def test_normalize_folds_width_case_and_punctuation():
    assert normalize("甘政发〔2024〕3号") == "甘政发20243号"
    assert normalize("甘政发[２０２４]３号") == "甘政发20243号"
    assert normalize("ＧＤＰ增长６．５％") == "gdp增长65"
    assert normalize("  <script>  ") == "script"
    assert normalize("") == ""


def test_tokens_are_bigrams_and_index_adds_the_last_char():
    assert tokens("宅基地") == ["宅基", "基地"]
    assert tokens("低") == ["低"]
    assert tokens("") == []
    assert index_tokens("宅基地") == ["宅基", "基地", "地"]
    assert index_tokens("低") == ["低"]


def test_query_parsing():
    q = parse_query("  低保   2024年 低保 ")
    assert q.terms == ("低保", "2024年")
    assert q.fts5() == '"低保" AND "20 02 24 4年"'
    assert parse_query("保").fts5() == '"保"*'
    # A term inside a longer one adds nothing.
    assert parse_query("宅基地 基地").terms == ("宅基地",)
    assert parse_query("〔〕！").is_empty
    assert len(parse_query("字" * 500).terms[0]) == 100
    # Quotes and FTS5 syntax never reach the engine.
    assert parse_query('"x" OR y*').fts5() == '"x"* AND "or" AND "y"*'


def test_highlight_escapes_then_marks():
    assert highlight("<b>低保</b>", ("低保",)) == "&lt;b&gt;<mark>低保</mark>&lt;/b&gt;"
    assert highlight("甘政发〔2024〕3号", ("甘政发20243号",)) == "<mark>甘政发〔2024〕3号</mark>"
    assert highlight("无关", ("低保",)) == "无关"


def test_snippet_centres_on_the_first_match():
    text = "甲" * 200 + "宅基地" + "乙" * 200
    out = snippet(text, ("宅基地",), width=20)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>宅基地</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) == 42
    assert snippet("短文本", ("没有",)) == "短文本"
    long_text = "x" * 9000 + "目标"
    assert "<mark>目标</mark>" in snippet(long_text, ("目标",))
