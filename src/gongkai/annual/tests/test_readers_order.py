"""Sections out of the national order, and a table printed right after table 4 (issue #9 item 11).

A report that renumbers its parts and prints a 信息处理费 table (通知收取件数 / 金额)
straight after table 4 used to lose table 4: 18 numbers were read where 15
belong.  Each table is read from its own grid now, and a deviation in the order
or numbering of the parts is a ``section_order`` warning, not a lost table.
"""

from __future__ import annotations

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.readers import read_bytes
from gongkai.annual.readers.text import read_text
from gongkai.annual.tests.fixtures.reports import make_cells, render_html, render_text

H = {s.number: s.title for s in fmt.SECTIONS}  # "四、政府信息公开行政复议、行政诉讼情况", …
WORDS = {s.number: s.heading for s in fmt.SECTIONS}

FEE_ROWS = [
    ["信息处理费", "按件计收", "按量计收", "合计"],
    ["通知收取件数", "1", "0", "1"],
    ["金额", "100", "0", "100"],
]


# Short labels only: no row of it is skipped as prose, only its grid tells it apart.
FEE_ROWS_SHORT = [
    ["信息处理费", "件数", "金额"],
    ["本年度", "2", "180.5"],
]


def _fee_text(rows=FEE_ROWS) -> str:
    return "\n".join("\t".join(row) for row in rows)


def _fee_html(rows=FEE_ROWS) -> str:
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1">{trs}</table>'


def _order_notes(report):
    return [n for n in report.notes if n.code == "section_order"]


def _text_inserted_part(cells) -> str:
    # 五 is the body's own part on fees, so 存在的主要问题 becomes 六 and 其他 七.
    text = render_text(cells)
    text = text.replace(H[6], "七、" + WORDS[6])
    return text.replace(H[5], f"五、信息处理费收取情况\n{_fee_text()}\n\n六、{WORDS[5]}")


def _text_swapped(cells) -> str:
    # 四 and 五 swapped; the fee table follows table 4 without a heading of its own.
    text = render_text(cells)
    start, end = text.index(H[4]), text.index(H[5])
    part4 = text[start:end].replace(H[4], "五、" + WORDS[4])
    part5_end = text.index(H[6])
    part5 = text[end:part5_end].replace(H[5], "四、" + WORDS[5])
    part4 = part4.rstrip("\n") + "\n" + _fee_text() + "\n\n"
    return text[:start] + part5 + part4 + text[part5_end:]


def _html_swapped(cells) -> str:
    page = render_html(cells, nested=False)
    start, end = page.index(f"<p>{H[4]}</p>"), page.index(f"<p>{H[5]}</p>")
    part5_end = page.index(f"<p>{H[6]}</p>")
    part4 = page[start:end].replace(H[4], "五、" + WORDS[4]) + _fee_html()
    part5 = page[end:part5_end].replace(H[5], "四、" + WORDS[5])
    return page[:start] + part5 + part4 + page[part5_end:]


def _html_inserted_part(cells) -> str:
    page = render_html(cells, nested=False)
    page = page.replace(f"<p>{H[6]}</p>", f"<p>七、{WORDS[6]}</p>")
    return page.replace(
        f"<p>{H[5]}</p>",
        f"<p>五、信息处理费收取情况</p>{_fee_html()}<p>六、{WORDS[5]}</p>",
    )


def _html_fee_table_in_part_four(cells, rows) -> str:
    # The fee table straight after table 4, inside part 四, the parts in order.
    page = render_html(cells, nested=False)
    return page.replace(f"<p>{H[5]}</p>", f"{_fee_html(rows)}<p>{H[5]}</p>")


def _text_fee_table_in_part_four(cells, rows) -> str:
    return render_text(cells).replace(H[5], f"{_fee_text(rows)}\n\n{H[5]}")


def test_fee_table_after_table_4_used_to_add_three_numbers():
    cells = make_cells(21)
    report = read_text(_text_inserted_part(cells))
    assert not [n for n in report.notes if "读到 18 个" in n.message]


@pytest.mark.parametrize(
    "build, read",
    [
        (_text_inserted_part, lambda s: read_text(s)),
        (_html_inserted_part, lambda s: read_bytes(s.encode("utf-8"), name="r.html")),
    ],
    ids=["text", "html"],
)
def test_renumbered_parts_and_fee_table_keep_every_table(build, read):
    cells = make_cells(21)
    report = read(build(cells))
    assert report.cells == cells
    assert report.raw == {}
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.sections[5].heading == "六、" + WORDS[5]
    assert report.sections[6].heading == "七、" + WORDS[6]
    assert "values_unplaced" not in {n.code for n in report.notes}
    (note,) = _order_notes(report)
    assert note.severity == "warning"
    assert "五、信息处理费收取情况" in note.message
    assert f"“六、{WORDS[5]}”按第五部分" in note.message
    assert f"“七、{WORDS[6]}”按第六部分" in note.message


@pytest.mark.parametrize("build", [_text_swapped, _html_swapped], ids=["text", "html"])
def test_swapped_parts_keep_table_4_and_warn(build):
    cells = make_cells(22)
    report = read_bytes(build(cells).encode("utf-8"))
    assert report.cells == cells
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.sections[4].heading == "五、" + WORDS[4]
    assert report.sections[5].heading == "四、" + WORDS[5]
    assert "政策解读形式单一" in report.sections[5].text
    (note,) = _order_notes(report)
    assert f"“五、{WORDS[4]}”按第四部分" in note.message
    assert f"“四、{WORDS[5]}”按第五部分" in note.message
    assert note.location  # the first heading out of place


@pytest.mark.parametrize("rows", [FEE_ROWS, FEE_ROWS_SHORT], ids=["rows", "short_labels"])
@pytest.mark.parametrize(
    "build", [_html_fee_table_in_part_four, _text_fee_table_in_part_four], ids=["html", "text"]
)
def test_fee_table_in_part_four_is_not_table_4(build, rows):
    cells = make_cells(23)
    report = read_bytes(build(cells, rows).encode("utf-8"))
    assert report.cells == cells
    assert report.notes == []  # the parts are in order: nothing to warn about


def test_parts_in_national_order_give_no_section_note():
    cells = make_cells(24)
    for data in (render_text(cells), render_html(cells)):
        report = read_bytes(data.encode("utf-8"))
        assert report.cells == cells
        assert _order_notes(report) == []


def test_pdf_text_layer_with_inserted_part_and_fee_table():
    # PDF text has no grids: the part of the report's own ends table 4's lines.
    from gongkai.annual.tests.fixtures.pdf import make_pdf, text_to_rows

    cells = make_cells(25)
    text = render_text(cells, sep="  ")
    text = text.replace(H[6], "七、" + WORDS[6])
    fee = "\n".join("  ".join(row) for row in FEE_ROWS_SHORT)
    text = text.replace(H[5], f"五、信息处理费收取情况\n{fee}\n六、{WORDS[5]}")
    report = read_bytes(make_pdf(text_to_rows(text, per_page=45)), name="r.pdf")
    assert report.cells == cells
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    (note,) = _order_notes(report)
    assert "“五、信息处理费收取情况”不是国家格式的部分" in note.message
