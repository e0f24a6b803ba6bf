"""HTML, DOCX and PDF readers and format detection, on documents built in the test."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import zipfile

import pytest

from gongkai.annual import format as fmt
from gongkai.annual import jsonio
from gongkai.annual.readers import ReadError, detect_format, read_bytes, read_path
from gongkai.annual.readers.docx import docx_lines
from gongkai.annual.readers.html import html_lines, read_html
from gongkai.annual.tests.fixtures.pdf import make_pdf, text_to_rows
from gongkai.annual.tests.fixtures.reports import (
    ORG,
    YEAR,
    make_cells,
    render_docx,
    render_html,
    render_text,
)
from gongkai.annual.writers.xlsx import write_xlsx


@functools.lru_cache(maxsize=8)
def _docx(seed: int | None, one_row_other: bool = False) -> bytes:
    # python-docx merges cells slowly; build each test document once
    cells = {} if seed is None else make_cells(seed, one_row_other=one_row_other)
    return render_docx(cells, one_row_other=one_row_other)


# --- detection -----------------------------------------------------------------


def test_detect_by_content_not_extension():
    cells = make_cells(1)
    assert detect_format(_docx(21), "report.pdf") == "docx"
    assert detect_format(make_pdf([[[(40, "一、总体情况")]]]), "report.txt") == "pdf"
    assert detect_format(render_html(cells).encode(), "report.txt") == "html"
    assert detect_format(render_text(cells).encode(), "report.html") == "text"
    assert detect_format(b'{"cells": {}}', "x.txt") == "json"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_format(buf.getvalue()) == "xlsx"


# --- HTML ------------------------------------------------------------------------


@pytest.mark.parametrize("nested", [True, False])
def test_html_with_rowspan_colspan_reads_exact_cells(nested):
    cells = make_cells(11)
    report = read_bytes(render_html(cells, nested=nested).encode(), name="r.html")
    assert report.cells == cells
    assert report.organization == ORG
    assert report.year == YEAR
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.source_format == "html"
    assert report.provenance["t3.granted.natural"].startswith("表格")
    assert "321" in report.sections[1].text
    assert [n.code for n in report.notes] == []


def test_html_gbk_declared_in_meta_and_one_row_other():
    cells = make_cells(12, one_row_other=True)
    page = render_html(cells, one_row_other=True).replace('charset="utf-8"', 'charset="gbk"')
    report = read_bytes(page.encode("gbk"))
    assert report.one_row_other
    assert report.cells == cells


def test_html_blank_cells_are_missing():
    cells = make_cells(13)
    cells.pop("t3.partial.research")
    report = read_html(render_html(cells))
    assert report.cells == cells
    assert report.missing_keys() == ["t3.partial.research"]


def test_html_grid_expands_spans_and_br():
    lines = html_lines(
        "<p>一、总体情况</p><table><tr><td rowspan=2>甲</td><td colspan=2>乙<br>丙</td></tr>"
        "<tr><td>1</td><td>&nbsp;2</td></tr></table><p>尾</p>"
    )
    # one entry per cell covering the row: a colspan is one cell, a rowspan a blank below
    assert [ln.cells for ln in lines if ln.cells] == [["甲", "乙 丙"], ["", "1", "2"]]
    assert [ln.text for ln in lines if not ln.cells] == ["一、总体情况", "尾"]


# --- DOCX ---------------------------------------------------------------------------


def test_docx_with_merged_cells_reads_exact_cells():
    cells = make_cells(21)
    report = read_bytes(_docx(21), name="r.docx")
    assert report.cells == cells
    assert report.organization == ORG
    assert report.year == YEAR
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.source_format == "docx"
    assert report.provenance["t4.litigation_after.total"] == "表格3 第4行"


def test_docx_merged_cells_are_not_repeated():
    data = _docx(21)
    rows = [ln.cells for ln in docx_lines(data) if ln.cells]
    note_rows = [r for r in rows if any(fmt.T3_NOTE in c for c in r)]
    assert len(note_rows) == 1  # vMerge continuation rows are blank, not the note again
    assert sum(c == fmt.T3_NOTE for c in note_rows[0]) == 1  # gridSpan once


def test_docx_one_row_other():
    cells = make_cells(23, one_row_other=True)
    report = read_bytes(_docx(23, True))
    assert report.one_row_other
    assert report.cells == cells


def test_docx_blank_template_built_in_code():
    report = read_bytes(_docx(None))
    assert report.cells == {}
    assert len(report.missing_keys()) == 200
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def _bomb(path, size_mb: int) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(size_mb):
                fh.write(chunk)
    return path.read_bytes()


def test_zip_bomb_docx_is_refused_from_the_directory(tmp_path):
    data = _bomb(tmp_path / "bomb.docx", 1024)  # 1 GB of zeros, ~5 MB on disk
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(ReadError, match="压缩"):
        read_bytes(data)
    with pytest.raises(ReadError):
        read_path(tmp_path / "bomb.docx")


def test_docx_without_body_and_broken_xml():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(ReadError):
        read_bytes(buf.getvalue())


# --- PDF ------------------------------------------------------------------------------


@pytest.mark.parametrize("wrap", [False, True])
def test_pdf_text_layer_reads_exact_cells(wrap):
    cells = make_cells(31)
    text = render_text(cells, sep="  ", wrap_values=wrap)
    data = make_pdf(text_to_rows(text, per_page=45))
    report = read_bytes(data, name="r.pdf")
    assert report.cells == cells
    assert report.organization == ORG
    assert report.year == YEAR
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.source_format == "pdf"
    assert report.provenance["t3.new.natural"].startswith("第")
    assert "页" in report.provenance["t3.new.natural"]


def test_pdf_one_row_other_split_across_pages():
    cells = make_cells(32, one_row_other=True)
    text = render_text(cells, sep="  ", wrap_values=True, one_row_other=True)
    report = read_bytes(make_pdf(text_to_rows(text, per_page=30)))
    assert report.one_row_other
    assert report.cells == cells


def test_truncated_encrypted_and_empty_pdf():
    text = render_text(make_cells(33), sep="  ")
    data = make_pdf(text_to_rows(text))
    for cut in (len(data) // 2, 200, 20):
        with pytest.raises(ReadError, match="PDF"):
            read_bytes(data[:cut])
    with pytest.raises(ReadError, match="密码|加密"):
        read_bytes(make_pdf(text_to_rows(text), encrypt=True))
    with pytest.raises(ReadError, match="文字层"):
        read_bytes(make_pdf([[[(40, "")]]]))
    with pytest.raises(ReadError):
        read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 50)


def test_pdf_that_is_not_a_report():
    data = make_pdf([[[(40, "关于召开全体职工大会的通知")], [(40, "请各部门准时参加。")]]])
    with pytest.raises(ReadError, match="不是政府信息公开工作年度报告"):
        read_bytes(data)


# --- JSON / XLSX dispatch (modules of the writers' helper) ------------------------


def test_json_dispatch_round_trip():
    cells = make_cells(41)
    report = read_bytes(render_text(cells).encode())
    data = jsonio.dumps(report).encode()
    back = read_bytes(data, name="r.json")
    assert back.cells == cells


def test_bad_json_is_a_read_error():
    with pytest.raises(ReadError):
        read_bytes(b'{"cells": [1, 2, 3]', name="r.json")


def test_html_2019_format_page():
    from gongkai.annual.tests.fixtures.reports import render_2019_html

    cells = make_cells(14, one_row_other=True)
    cells["t3.granted.research"] = None
    report = read_html(render_2019_html({k: v for k, v in cells.items() if v is not None}))
    expected = {k: v for k, v in cells.items() if not k.startswith("t2.") and v is not None}
    assert report.format == fmt.FORMAT_2019
    assert report.cells == expected
    assert report.one_row_other
    assert report.organization == f"{ORG}办公室"
    assert report.year == YEAR
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert {"format_2019", "outdated_layout_other_one_row"} <= {n.code for n in report.notes}


def test_pdf_page_numbers_and_running_heads_are_not_values():
    cells = make_cells(34)
    text = render_text(cells, sep="  ", wrap_values=True)
    rows = text_to_rows(text, per_page=23, page_numbers=True, running_head="青山县人民政府")
    report = read_bytes(make_pdf(rows))
    assert report.cells == cells
    assert [n.code for n in report.notes] == []


def test_pdf_with_kangxi_radicals_and_fullwidth_digits():
    cells = make_cells(35)
    text = render_text(cells, sep="  ", kangxi=True, fullwidth=True, spaced_headings=True)
    report = read_bytes(make_pdf(text_to_rows(text)))
    assert report.cells == cells
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert "⼀" not in report.sections[1].text


def test_html_cell_paragraphs_do_not_glue_numbers():
    lines = html_lines("<table><tr><td><p>1</p><p>2</p></td><td>3</td></tr></table>")
    assert lines[0].cells == ["1 2", "3"]


def test_xlsx_dispatch_round_trip():
    cells = make_cells(42)
    report = read_bytes(render_text(cells).encode())
    back = read_bytes(write_xlsx(report), name="r.xlsx")
    assert back.cells == cells


def test_foreign_xlsx_is_a_read_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError):
        read_bytes(buf.getvalue())


def _small(seed: int) -> dict:
    return {k: v % 100 if isinstance(v, int) else v for k, v in make_cells(seed).items()}


def test_pdf_blank_cells_are_placed_by_the_ruled_table():
    from gongkai.annual.tests.fixtures.pdf import render_grid_pdf

    cells = _small(50)
    blanks = ["t3.granted.research", "t3.withheld_law.natural", "t4.litigation_direct.other"]
    for key in blanks:
        cells.pop(key)
    report = read_bytes(render_grid_pdf(cells))
    # the text layer cannot tell which column is blank; the table rules can
    assert report.cells == cells
    assert sorted(report.missing_keys()) == sorted(blanks)
    assert report.provenance["t3.granted.natural"] == "第1页 表格1 第4行"
    assert [n.code for n in report.notes] == []


def test_pdf_complete_grid_reads_from_text_alone():
    from gongkai.annual.tests.fixtures.pdf import render_grid_pdf

    cells = _small(51)
    report = read_bytes(render_grid_pdf(cells))
    assert report.cells == cells
    assert "表格" not in report.provenance["t3.granted.natural"]  # no second pass needed


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_printed_by_libreoffice_from_docx(tmp_path):
    """A real PDF export: ruled tables, labels wrapped char by char, 12345 split in
    narrow cells, table 3 split over pages.  Text alone cannot place everything;
    the ruled tables can."""
    docs = {"full": (make_cells(61), False), "one_row": (make_cells(62, one_row_other=True), True)}
    for name, (cells, one_row) in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(render_docx(cells, one_row_other=one_row))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in docs),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "html",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "full.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name, (cells, one_row) in docs.items():
        report = read_path(tmp_path / f"{name}.pdf")
        assert report.cells == cells
        assert report.one_row_other == one_row
        assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
        assert report.organization == ORG
    # LibreOffice's HTML splits table 4 into sliver columns (colspan=2 on 总计)
    report = read_path(tmp_path / "full.html")
    assert report.source_format == "html"
    assert report.cells == docs["full"][0]


def test_html_sliver_columns_do_not_shift_values():
    # Word/LibreOffice exports split a column into slivers: 总计 and its value
    # then carry colspan=2, which must not read as an extra blank cell.
    cells = make_cells(15)
    page = render_html(cells, nested=False)
    t4_total = str(cells["t4.reconsideration.total"])
    page = page.replace(
        "<td>总计</td><td>未经复议直接起诉", "<td colspan=2>总计</td><td>未经复议直接起诉"
    )
    values = "".join(f"<td>{cells[k]}</td>" for k in fmt.t4_keys())
    assert values in page
    sliver = values.replace(f"<td>{t4_total}</td>", f'<td colspan="2">{t4_total}</td>', 1)
    report = read_html(page.replace(values, sliver))
    assert report.cells == cells


def test_html_title_element_names_the_report():
    cells = make_cells(16)
    page = render_html(cells, nested=False)
    page = page.replace(f"<h1>{ORG}{YEAR}年政府信息公开工作年度报告</h1>", "")
    page = page.replace(
        "<title>年度报告</title>",
        f"<title>{ORG}{YEAR}年政府信息公开工作年度报告_青山县人民政府网</title>",
    )
    report = read_html(page)
    assert report.organization == ORG
    assert report.year == YEAR
    assert report.title == f"{ORG}{YEAR}年政府信息公开工作年度报告"
    assert report.cells == cells
