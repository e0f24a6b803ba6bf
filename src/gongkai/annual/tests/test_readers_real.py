"""Excerpts of real published reports (fixtures/real/) read to their hand-verified cells,
and the robustness cases real reports bring: comparison tables, tables of bare
numbers, transposed tables, scans, very long reports."""

from __future__ import annotations

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.readers import ReadError, read_bytes, read_path
from gongkai.annual.readers.text import read_text
from gongkai.annual.tests.fixtures import real
from gongkai.annual.tests.fixtures.pdf import make_pdf, text_to_rows
from gongkai.annual.tests.fixtures.reports import make_cells, render_text

NAMES = real.names()


def test_real_pdf_text_reads_the_same_through_a_pdf():
    # the page text of a real PDF, laid out again as a text-layer PDF
    name = "city-2024-pdf-text"
    text = real.source(name).read_text("utf-8")
    report = read_bytes(make_pdf(text_to_rows(text)))
    assert report.cells == real.expected_cells(real.expected(name))


def test_csv_like_lines_are_not_guessed():
    text = (
        "一、总体情况\n2024年本机关召开新闻发布会12场。\n二、主动公开政府信息情况\n项目,数量\n"
        "主动公开政府信息数量,180\n三、收到和处理政府信息公开申请情况\n项目,数量\n第一项,18\n"
        "第二项,27\n四、政府信息公开行政复议、行政诉讼情况\n行政复议,1\n行政诉讼,1\n"
        "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
    )
    report = read_text(text)
    assert report.cells == {}
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def test_real_fixtures_are_there():
    assert len(NAMES) >= 5


@pytest.mark.parametrize("name", NAMES)
def test_real_report_reads_exactly_what_is_printed(name):
    data = real.expected(name)
    report = read_path(real.source(name))
    want = real.expected_cells(data)
    # every printed cell read, and nothing read that is not printed (blanks stay missing)
    assert report.cells == want
    for field in ("organization", "year", "format", "one_row_other"):
        if field in data:
            assert getattr(report, field) == data[field], field
    if "sections" in data:
        assert sorted(report.sections) == data["sections"]


def _section3(text: str) -> tuple[str, str]:
    s3 = text[text.index("三、收到和处理") : text.index("四、政府信息公开行政复议")]
    heading, body = s3.split("\n", 1)
    return s3, body


def _comparison(first_caption: str, second_caption: str, *, this_year_first: bool) -> tuple:
    last_year, this_year = make_cells(1), make_cells(2)
    text = render_text(this_year)
    s3, body = _section3(text)
    _, old_body = _section3(render_text(last_year))
    a, b = (body, old_body) if this_year_first else (old_body, body)
    printed = f"三、收到和处理政府信息公开申请情况\n{first_caption}\n{a}\n{second_caption}\n{b}"
    return read_text(text.replace(s3, printed)), this_year


@pytest.mark.parametrize("this_year_first", [False, True])
def test_comparison_table_reads_the_printing_of_the_report_year(this_year_first):
    captions = ("2023年度：", "2022年度：") if this_year_first else ("2022年度：", "2023年度：")
    report, cells = _comparison(*captions, this_year_first=this_year_first)
    t3 = {k: v for k, v in report.cells.items() if k.startswith("t3.")}
    assert t3 == {k: v for k, v in cells.items() if k.startswith("t3.")}
    assert "table_repeated" in {n.code for n in report.notes}


def test_comparison_table_without_captions_reads_no_conflicting_row():
    report, _ = _comparison("", "", this_year_first=False)
    assert not any(k.startswith("t3.") for k in report.cells)
    note = next(n for n in report.notes if n.code == "table_repeated")
    assert "无法确定" in note.message
    assert "t3.new.total" in note.cells


def test_table_of_bare_numbers_is_never_placed():
    # 25 rows of 7 numbers under the table-3 heading, no row label at all
    rows = "\n".join(" ".join(str(7 * r + c + 1) for c in range(7)) for r in range(25))
    text = (
        "一、总体情况\n说明。\n二、主动公开政府信息情况\n说明。\n"
        f"三、收到和处理政府信息公开申请情况\n以下是表格数据：\n{rows}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n说明。\n五、存在的主要问题及改进情况\n说明。\n"
    )
    assert read_text(text).cells == {}


def test_transposed_table_3_reads_no_wrong_cell():
    cells = make_cells(7)
    text = render_text(cells)
    s3, _ = _section3(text)
    rows = [r.key for r in fmt.T3_ROWS if r.key]
    header = "申请人\t" + "\t".join(fmt.T3_ROW_BY_KEY[k].label for k in rows)
    body = "\n".join(
        label + "\t" + "\t".join(str(cells[f"t3.{k}.{col}"]) for k in rows)
        for col, label in fmt.T3_COLUMNS
    )
    report = read_text(text.replace(s3, f"三、收到和处理政府信息公开申请情况\n{header}\n{body}\n"))
    assert not any(k.startswith("t3.") for k in report.cells)
    assert [n.code for n in report.notes] == ["table_transposed"]


def test_abbreviated_column_headers_in_national_order():
    cells = make_cells(8)
    text = render_text(cells)
    s3, _ = _section3(text)
    short = (
        s3.replace("商业企业", "企业")
        .replace("社会公益组织", "公益组织")
        .replace("法律服务机构", "法律机构")
        .replace("总计", "合计")
    )
    report = read_text(text.replace(s3, short))
    assert report.cells == cells


def test_prose_naming_a_row_with_a_count_is_not_a_row():
    cells = make_cells(9)
    text = render_text(cells).replace(
        "一、总体情况\n",
        "一、总体情况\n申请中同意公开答复9件，部分公开答复0件，不予公开答复 2\n"
        "全年收到政府信息公开申请34件，上年结转政府信息公开 2\n",
    )
    report = read_text(text)
    assert report.cells == cells
    assert not any(n.code in ("label_typo", "row_values_mismatch") for n in report.notes)


def test_renumbered_statutory_headings():
    # prose parts numbered 一..六 of their own, then the statutory parts numbered anew
    cells = make_cells(10)
    text = render_text(cells)
    for old, new in (
        ("二、主动公开政府信息情况", "二、工作机制保障\n说明。\n一、主动公开政府信息情况"),
        ("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况"),
        ("四、政府信息公开行政复议", "三、政府信息公开行政复议"),
    ):
        text = text.replace(old, new)
    report = read_text(text)
    assert report.cells == cells
    assert [1, 2, 3, 4] == sorted(report.sections)[:4]
    assert report.sections[2].heading == "一、主动公开政府信息情况"


def test_markdown_headings_and_bold():
    cells = make_cells(11)
    text = render_text(cells)
    text = text.replace("青山县人民政府\n", "# 青山县人民政府\n", 1)
    text = text.replace("一、总体情况", "## **一、总体情况**").replace(
        "五、存在的主要问题", "### 五、存在的主要问题"
    )
    report = read_text(text)
    assert report.organization == "青山县人民政府"
    assert report.cells == cells
    assert report.sections[1].heading == "一、总体情况"
    assert 5 in report.sections


@pytest.mark.parametrize(
    "pages",
    [
        [[[(40, "")]]],
        [[[(40, "2023年政府信息公开工作年度报告")]], [[(40, "- 2 -")]]],
    ],
)
def test_scanned_pdf_is_refused_clearly(pages):
    with pytest.raises(ReadError, match="扫描件"):
        read_bytes(make_pdf(pages, scanned=True))


def test_very_long_report():
    cells = make_cells(12)
    prose = "\n".join(
        f"（{i % 9 + 1}）本机关第{i}项工作稳步推进，全年办理事项{i}件，群众满意度持续提升。"
        for i in range(20000)
    )
    text = render_text(cells).replace("一、总体情况\n", f"一、总体情况\n{prose}\n", 1)
    report = read_text(text)
    assert report.cells == cells
    assert report.notes == []
