"""The pure text side: normalisation, tokens, query parsing, highlighting (hand-computed)."""

from __future__ import annotations

from gongkai.search.text import (
    grams,
    highlight,
    index_string,
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


def test_fts_input_adds_4grams_after_the_bigrams():
    assert grams("惠农补贴资金") == ["惠农补贴", "农补贴资", "补贴资金"]
    assert grams("宅基地") == []
    assert index_string("宅基地") == "宅基 基地 地"
    assert index_string("2024年") == "20 02 24 4年 年 2024 024年"


def test_query_parsing():
    q = parse_query("  低保   2024年 低保 ")
    assert q.terms == ("低保", "2024年")
    assert q.fts5() == '"低保" AND "2024 024年"'
    assert parse_query("保").fts5() == '"保"*'
    assert parse_query("宅基地").fts5() == '"宅基 基地"'
    assert parse_query("2024").fts5() == '"2024"'
    assert parse_query("甘政发〔2024〕3号").fts5() == '"甘政发2 政发20 发202 2024 0243 243号"'
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
