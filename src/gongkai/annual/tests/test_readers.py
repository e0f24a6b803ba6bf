"""The text reader and the shared engine, on reports built in code (no ../shared needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.normalize import fix_cjk, label_key
from gongkai.annual.readers import ReadError, read_bytes, read_path
from gongkai.annual.readers.engine import parse_value
from gongkai.annual.readers.labels import KEYWORD, PARTIAL, T3_MATCHER
from gongkai.annual.readers.text import read_text
from gongkai.annual.tests.fixtures.reports import (
    ORG,
    YEAR,
    make_cells,
    render_2019_text,
    render_text,
)


def codes(report) -> list[str]:
    return [n.code for n in report.notes]


STYLES = {
    "tabs": {},
    "space_runs": {"sep": "   "},
    "pdf_like_wrapped": {"sep": " ", "wrap_values": True},
    "enum_dunhao": {"enum": "、"},
    "enum_fullwidth_dot": {"enum": "．", "sep": "  "},
    "spaced_headings_fullwidth_kangxi": {
        "spaced_headings": True,
        "fullwidth": True,
        "kangxi": True,
        "thousands": True,
    },
    "wrapped_thousands": {"sep": "  ", "wrap_values": True, "thousands": True},
}


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("seed", [1, 7])
def test_text_styles_read_exact_cells(style, seed):
    cells = make_cells(seed)
    report = read_text(render_text(cells, **STYLES[style]))
    assert report.cells == cells
    assert report.organization == ORG
    assert report.year == YEAR
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.format == fmt.FORMAT_2021
    assert not report.one_row_other
    assert codes(report) == []
    assert report.missing_keys() == []


def test_fees_is_decimal_and_provenance_names_the_line():
    cells = make_cells(3)
    report = read_text(render_text(cells))
    assert isinstance(report.cells["t2.fees"], Decimal)
    assert report.provenance["t3.new.natural"].startswith("第")
    assert report.provenance["t3.new.natural"].endswith("行")


def test_one_row_other_layout():
    cells = make_cells(5, one_row_other=True)
    for style in ({}, {"sep": " ", "wrap_values": True}):
        report = read_text(render_text(cells, one_row_other=True, **style))
        assert report.one_row_other
        assert report.cells == cells
        assert "t3.other.total" in report.cells
        assert not any(k.startswith("t3.other_other") for k in report.cells)
        assert codes(report) == ["outdated_layout_other_one_row"]
        assert report.missing_keys() == []


def test_2019_format_is_said_and_table2_not_forced():
    cells = make_cells(9, one_row_other=True)
    report = read_text(render_2019_text(cells))
    assert report.format == fmt.FORMAT_2019
    assert "format_2019" in codes(report)
    assert not any(k.startswith("t2.") for k in report.cells)
    expected = {k: v for k, v in cells.items() if not k.startswith("t2.")}
    assert report.cells == expected


def test_social_org_column_is_noted():
    cells = make_cells(2)
    report = read_text(render_text(cells, social_org=True))
    assert report.cells == cells
    (note,) = [n for n in report.notes if n.code == "column_label"]
    assert note.severity == "warning"
    assert "t3.new.public_interest" in note.cells


def test_title_without_year_takes_most_frequent_year_of_section_one():
    cells = make_cells(2)
    text = render_text(cells, year=None)
    report = read_text(text)
    assert report.year == YEAR
    assert "title_without_year" in codes(report)


def test_missing_section_six():
    report = read_text(render_text(make_cells(4), section6=False))
    assert sorted(report.sections) == [1, 2, 3, 4, 5]


def test_sections_hold_prose_not_tables():
    report = read_text(render_text(make_cells(4)))
    assert "321" in report.sections[1].text
    assert "培训" in report.sections[5].text
    assert "本年新收" not in report.sections[3].text
    assert "结果维持" not in report.sections[4].text
    assert report.sections[3].heading == "三、收到和处理政府信息公开申请情况"


def test_blank_is_missing_and_dash_is_raw():
    cells = make_cells(6)
    printed = dict(cells)
    printed["t3.granted.research"] = None  # blank cell
    printed["t3.withheld_secret.natural"] = "—"
    printed["t4.reconsideration.pending"] = "/"
    report = read_text(render_text(printed))
    assert "t3.granted.research" not in report.cells
    assert "t3.granted.research" not in report.raw
    assert "t3.withheld_secret.natural" not in report.cells
    assert report.raw["t3.withheld_secret.natural"] == "—"
    assert report.raw["t4.reconsideration.pending"] == "/"
    assert set(report.missing_keys()) == {
        "t3.granted.research",
        "t3.withheld_secret.natural",
        "t4.reconsideration.pending",
    }
    assert report.cells["t3.granted.total"] == cells["t3.granted.total"]


def test_zero_stays_zero():
    cells = {k: 0 for k in fmt.all_keys()}
    cells["t2.fees"] = Decimal("0")
    report = read_text(render_text(cells))
    assert report.cells == cells


SEED_LIKE = """\
甘草镇政府信息公开工作年度报告

单位名称：甘草镇人民政府

一、总体情况

2024年，甘草镇坚持以人民为中心。2024年未收到申请。

二、主动公开政府信息情况

第二十条第(一)项\t\t\t
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t2\t0\t7
第二十条第(五)项\t
信息内容\t本年处理决定数量
行政许可\t3
第二十条第(六)项-\t
信息内容\t本年处理决定数量
行政处罚\t1,024
行政强制\t0
第二十条第(八)项\t
信息内容\t本年收费金额(单位:万元)
行政事业性收费\t0

三、收到和处理政府信息公开申请情况

(本列数据的勾稽关系为: 第一项加第二项之和, 等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t
\t自然人\t法人或其他组织\t\t\t\t\t总计
\t\t商业企业\t科研机构\t社会组织\t法律服务机构\t其他\t
本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0

三、 本 年 度 办 理 结 果\t(一) 予以公开\t1\t0\t0\t0\t0\t0\t1\t
\t(二) 部分公开(区分处理的,只计这一情形,不计其他情形)\t0\t0\t0\t0\t0\t0\t0\t
\t(三) 不予 公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2. 其他法律行政止公开\t0\t0\t0\t0\t0\t0\t0
\t\t3. 危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
\t\t4. 保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
\t\t5. 属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t\t6. 属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
\t\t7. 属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
\t\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0

\t(四) 无法 提供\t1. 本机关不掌握 相关政府信息\t0\t0\t0\t0\t0\t0\t0
\t\t2. 没有现成信息 需要另行制作\t0\t0\t0\t0\t0\t0\t0
\t\t3. 补正后申请内 容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t(五) 不予 处理\t1. 信访举报投诉 类申请\t0\t0\t0\t0\t0\t0\t0
\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t3. 要求提供公开 出版物\t0\t0\t0\t0\t0\t0\t0
\t\t4. 无正当理由大 量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t5. 要求行政机关 确认或重新出具 已获取信息\t0\t0\t0\t0\t0\t0\t0
\t(六) 其他处 理\t1. 申请人无正当 理由逾期不补、行 政机关不理再处 理其政府信息公开 申请\t0\t0\t0\t0\t0\t0\t0

\t2. 申请人逾期未按收费通知要求缴纳费用, 行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
\t3. 其他\t0\t0\t0\t0\t0\t0\t0
(七) 总计\t\t1\t0\t0\t0\t0\t0\t1
四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0

四、政府信息公开行政复议、行政诉讼情况

行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0

五、存在的主要问题及改进情况

一是队伍专业化水平还需提高。
"""


def test_seed_like_quirks():
    report = read_text(SEED_LIKE)
    assert report.organization == "甘草镇人民政府"
    assert report.year == 2024
    assert len(report.cells) == 200
    assert report.cells["t2.penalty"] == 1024
    assert report.cells["t2.normative.in_force"] == 7
    assert report.cells["t3.granted.natural"] == 1
    assert report.cells["t3.total.total"] == 1
    assert report.cells["t4.reconsideration.upheld"] == 1
    assert report.cells["t4.reconsideration.total"] == 1
    assert sorted(report.sections) == [1, 2, 3, 4, 5]
    found = codes(report)
    assert "column_label" in found
    assert "title_without_year" in found
    typos = [n for n in report.notes if n.code == "label_typo"]
    typo_cells = {c for n in typos for c in n.cells}
    assert "t2.penalty" in typo_cells  # 第二十条第(六)项-
    assert "t3.withheld_law.natural" in typo_cells  # 其他法律行政止公开
    assert "t3.other_no_correction.natural" in typo_cells  # 逾期不补、不理再处理
    # the comma instead of 、 is punctuation, not a typo
    assert "t3.other_unpaid.natural" not in typo_cells
    assert all("印为" in n.message for n in typos)


def test_kangxi_radicals_and_compatibility_ideographs_are_unified():
    assert fix_cjk("⼀⼆⼈⽅⻓⻅") == "一二人方长见"
    assert fix_cjk("\uf900") == "豈"
    assert label_key("（一）予以公开") == "(一)予以公开"
    assert label_key("１．属于 国家秘密") == "1.属于国家秘密"


@pytest.mark.parametrize(
    ("printed", "value"),
    [("0", 0), ("１２", 12), ("3,119", 3119), ("96171.6", Decimal("96171.6")), ("—", None)],
)
def test_parse_value(printed, value):
    v = parse_value(printed)
    assert v is not None
    assert v.number == value


@pytest.mark.parametrize("printed", ["规章", "一、", "第3项", "-5x", ""])
def test_parse_value_rejects_text(printed):
    assert parse_value(printed) is None


def test_matcher_context_and_kinds():
    m = T3_MATCHER.match(label_key("3.其他"), group="other")
    assert m is not None and m.spec.key == "other_other"
    assert T3_MATCHER.match(label_key("3.其他"), group="declined") is None
    m = T3_MATCHER.match(label_key("2.其他法律行政止公开"))
    assert m.spec.key == "withheld_law" and m.how == KEYWORD
    m = T3_MATCHER.match(label_key("5.要求行政机关确认或重 新出具"))
    assert m.spec.key == "declined_confirmation" and m.how == PARTIAL
    # a piece shared by two rows is no match
    assert T3_MATCHER.match(label_key("行政机关不再处理其政府信")) is None
    m = T3_MATCHER.match(label_key("1.本机关不章握相关政府信息"), fuzzy=True)
    assert m is not None and m.spec.key == "unable_not_held"


# --- bytes, encodings, bad input ----------------------------------------------


def test_gbk_and_utf16_text_are_decoded():
    cells = make_cells(8)
    text = render_text(cells)
    for data in (
        text.encode("gbk"),
        text.encode("gb18030"),
        text.encode("utf-16"),
        text.encode("utf-16-le"),
        text.encode("utf-8-sig"),
    ):
        report = read_bytes(data, name="r.txt")
        assert report.cells == cells
        assert report.source_format == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\n",
        bytes(range(256)) * 40,
        b"\x00\x01\x02\x03garbage\xff\xfe\x00" * 100,
        "这是一份会议通知。请各单位准时参加。".encode(),
        "<html><body><p>欢迎访问本网站</p></body></html>".encode(),
        b"PK\x03\x04 not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    ],
)
def test_unreadable_bytes_raise_read_error_in_chinese(data):
    with pytest.raises(ReadError) as exc:
        read_bytes(data)
    message = str(exc.value)
    assert "\n" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_read_text_rejects_non_report():
    with pytest.raises(ReadError):
        read_text("今天天气很好。\n明天也很好。")


def test_read_path_size_limit_checked_before_reading(tmp_path):
    small = tmp_path / "r.txt"
    small.write_text(render_text(make_cells(1)), encoding="utf-8")
    with pytest.raises(ReadError, match="太大"):
        read_path(small, max_bytes=100)
    assert read_path(small).cells == make_cells(1)
    sparse = tmp_path / "huge.pdf"
    with sparse.open("wb") as fh:
        fh.seek(200 * 1024 * 1024 - 1)
        fh.write(b"\0")
    with pytest.raises(ReadError, match="太大"):
        read_path(sparse)  # would need 200 MB of memory if it were read first


def test_read_path_missing_file(tmp_path):
    with pytest.raises(ReadError, match="找不到"):
        read_path(tmp_path / "nope.pdf")
    with pytest.raises(ReadError):
        read_path(tmp_path)  # a directory


def test_markdown_pipe_tables():
    cells = make_cells(15)
    text = render_text(cells)
    piped = "\n".join(
        "| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line
        for line in text.splitlines()
    )
    piped = piped.replace("| 信息内容 |", "|---|---|\n| 信息内容 |", 1)
    report = read_text(piped)
    assert report.cells == cells


def test_total_row_printed_as_heji():
    cells = make_cells(16)
    report = read_text(render_text(cells).replace("（七）总计", "（七）合计"))
    assert report.cells == cells


def _one_cell_per_line(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if "\t" in line:
            lines.extend(c for c in line.split("\t") if c.strip())
        else:
            lines.append(line)
    return lines


def test_table_copied_one_cell_per_line():
    cells = make_cells(17, row_sums=True)
    report = read_text("\n".join(_one_cell_per_line(render_text(cells))))
    # tables 2 and 3 row by row; table 4's 15 numbers in order
    assert report.cells == cells


def test_one_cell_per_line_in_doubtful_order_is_not_guessed():
    cells = make_cells(17, row_sums=True)
    lines = _one_cell_per_line(render_text(cells))
    at = lines.index(fmt.T3_ROW_BY_KEY["granted"].label)
    lines[at + 1], lines[at + 7] = lines[at + 7], lines[at + 1]  # a scrambled row
    at = lines.index("复议后起诉")
    t4 = at + 1 + 2 * len(fmt.T4_COLUMNS)
    lines[t4 + 1], lines[t4 + 6] = lines[t4 + 6], lines[t4 + 1]
    report = read_text("\n".join(lines))
    wrong = {k for k, v in report.cells.items() if cells[k] != v}
    assert wrong == set()
    assert not any(k.startswith("t3.granted.") for k in report.cells)
    assert not any(k.startswith("t4.") for k in report.cells)
    assert "values_unplaced" in codes(report)


def test_values_printed_with_units():
    cells = make_cells(18)
    text = render_text(cells).replace("\t0\t", "\t0件\t")
    report = read_text(text)
    assert report.cells == cells


@pytest.mark.parametrize(
    ("head", "org", "year"),
    [
        ("青山县人民政府\n2023 年政府信息公开\n工作年度报告", "青山县人民政府", 2023),
        (
            "首页 > 政务公开 > 年度报告\n2023年青山县交通运输局政府信息公开工作年度报告",
            "青山县交通运输局",
            2023,
        ),
        (
            "青山县人民政府办公室关于2023年度政府信息公开工作年度报告的公告",
            "青山县人民政府办公室",
            2023,
        ),
        ("政府信息公开工作年度报告\n发布机关：青山县民政局", "青山县民政局", None),
    ],
)
def test_title_variants(head, org, year):
    text = render_text(make_cells(19), org="", year=None)
    text = head + "\n" + text.split("\n", 2)[2]
    report = read_text(text)
    assert report.organization == org
    assert report.year == (year or YEAR)


@pytest.mark.parametrize("style", [{}, {"sep": " ", "wrap_values": True}])
def test_tables_without_section_headings(style):
    cells = make_cells(20)
    text = render_text(cells, **style)
    for section in fmt.SECTIONS:
        text = text.replace(section.title + "\n", "")
    report = read_text(text)
    assert report.cells == cells
    assert report.sections == {}
    assert codes(report) == []


def test_one_row_other_with_wrapped_heading():
    cells = make_cells(21, one_row_other=True)
    text = render_text(cells, sep=" ", one_row_other=True)
    values = " ".join(str(cells[f"t3.other.{c}"]) for c, _ in fmt.T3_COLUMNS)
    assert f"（六）其他处理 {values}" in text
    text = text.replace(f"（六）其他处理 {values}", f"（六）其他\n处理 {values}")
    report = read_text(text)
    assert report.one_row_other
    assert report.cells == cells


def test_numbers_wrapped_in_narrow_cells_are_not_guessed():
    cells = make_cells(22, row_sums=True)
    text = render_text(cells, sep=" ")
    row = fmt.T3_ROW_BY_KEY["carried"].label
    values = [str(cells[f"t3.carried.{c}"]) for c, _ in fmt.T3_COLUMNS]
    printed = f"{row} {' '.join(values)}"
    assert printed in text
    cut = [v[:-1] if len(v) > 1 else v for v in values]  # 12345 -> 1234 / 5
    tails = [v[-1] for v in values if len(v) > 1]
    if not tails:
        values[0] = "12345"
        cut[0], tails = "1234", ["5"]
        cells["t3.carried.natural"] = 12345
    wrapped = f"{row[:10]} {' '.join(cut)}\n{row[10:]} {' '.join(tails)}"
    report = read_text(text.replace(printed, wrapped))
    assert not any(k.startswith("t3.carried.") for k in report.cells)
    assert "values_wrapped" in codes(report)
    wrong = {k for k, v in report.cells.items() if cells[k] != v}
    assert wrong == set()


def test_headings_without_numerals_from_automatic_numbering():
    cells = make_cells(23)
    text = render_text(cells)
    for section in fmt.SECTIONS:
        text = text.replace(section.title, section.heading)
    report = read_text(text)
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.cells == cells
    assert "321" in report.sections[1].text


def test_caches_give_the_uncached_answer():
    from gongkai.annual.normalize import _label_key
    from gongkai.annual.readers.engine import _parse_value
    from gongkai.annual.readers.labels import T2_MATCHER

    long_label = "（三）不予公开 " * 20  # longer than the cache limit: computed directly
    for text in ["（三）不予公开", "三、 本 年 度 办 理 结 果", long_label]:
        assert label_key(text) == _label_key(text)
        assert label_key(text) == label_key(text)
    for token in ["１２", "1,234", "3件", "—", "abc", "9" * 40]:
        assert parse_value(token) == _parse_value(token)
    key = label_key("行政许可")
    first = T2_MATCHER.match(key)
    assert first is not None and first.spec.key == "licensing"
    assert T2_MATCHER.match(key) is first  # the cached Match
    assert T3_MATCHER.match(label_key("3.其他"), group="other").spec.key == "other_other"
    assert T3_MATCHER.match(label_key("3.其他"), group="withheld") is None


def test_html_text_with_meta_charset_and_control_characters():
    from gongkai.annual.readers.html import html_lines

    # The page is decoded already: its <meta charset="gbk"> must not re-decode it.
    page = (
        '<html><head><meta charset="gbk"><title>某局2024年政府信息公开工作年度报告_某网</title>'
        "</head><body><p>一、总体情\x01况</p><table><tr><td>行政许可</td>"
        '<td colspan="3">12</td></tr></table></body></html>'
    )
    lines = html_lines(page)
    assert [(ln.text, ln.where) for ln in lines] == [
        ("某局2024年政府信息公开工作年度报告", "网页标题"),
        ("一、总体情况", "段落1"),
        ("行政许可\t12", "表格1 第1行"),
    ]
    assert lines[2].cells == ["行政许可", "12"]
