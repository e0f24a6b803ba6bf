"""gongkai.officedoc: the GB/T 9704 page, fonts and paragraphs shared by every DOCX."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import officedoc
from gongkai.officedoc import (
    BODY_FONT,
    BODY_SIZE,
    CENTER,
    FALLBACKS,
    HEADING_FONT,
    RIGHT,
    TITLE_FONT,
    TITLE_SIZE,
    a4_gbt9704,
    add_paragraph,
    declare_fallbacks,
    set_normal_font,
    set_run_font,
    shape_paragraph,
)


def slots(run) -> dict[str, str]:
    fonts = run._element.rPr.rFonts
    return {name.split("}")[1]: value for name, value in fonts.attrib.items()}


def saved(document) -> Document:
    out = io.BytesIO()
    document.save(out)
    return Document(io.BytesIO(out.getvalue()))


def test_the_gb_t_9704_numbers():
    # GB/T 9704-2012 5.1, 5.2.1, 7.3.1, 7.3.3
    assert officedoc.PAGE_MM == (210, 297)
    assert officedoc.MARGINS_MM == {"top": 37, "bottom": 35, "left": 28, "right": 26}
    assert officedoc.TEXT_WIDTH_MM == 156
    assert (TITLE_SIZE.pt, BODY_SIZE.pt) == (22, 16)
    assert (TITLE_FONT, BODY_FONT, HEADING_FONT) == ("方正小标宋简体", "仿宋_GB2312", "黑体")
    assert FALLBACKS == {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}


def test_every_section_is_a4_with_the_margins():
    document = Document()
    document.add_section(WD_SECTION.NEW_PAGE)
    a4_gbt9704(document)
    sections = saved(document).sections
    assert len(sections) == 2
    for section in sections:
        # DOCX stores twips (1/1440 inch): compare to the tenth of a millimetre.
        assert [
            round(m.mm, 1)
            for m in (
                section.page_width,
                section.page_height,
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        ] == [210, 297, 37, 35, 28, 26]


def test_run_font_names_the_official_font_in_every_default_slot():
    run = Document().add_paragraph().add_run("公开")
    set_run_font(run, BODY_FONT, BODY_SIZE)
    assert slots(run) == {"ascii": BODY_FONT, "hAnsi": BODY_FONT, "eastAsia": BODY_FONT}
    assert run.font.size == Pt(16)
    assert run._element.rPr.find(qn("w:b")) is None  # bold left alone unless asked


def test_run_font_with_a_latin_fallback_cs_and_bold():
    run = Document().add_paragraph().add_run("公开")
    set_run_font(run, TITLE_FONT, TITLE_SIZE, latin="宋体", cs=True, bold=False)
    # The attribute order is what the three documents have always written.
    assert list(slots(run).items()) == [
        ("ascii", "宋体"),
        ("hAnsi", "宋体"),
        ("eastAsia", TITLE_FONT),
        ("cs", "宋体"),
    ]
    assert run._element.rPr.find(qn("w:b")).get(qn("w:val")) == "0"
    assert run.font.bold is False and run.font.size == Pt(22)


# Document() parses python-docx's template: no per-example deadline on a busy machine.
@settings(max_examples=50, deadline=None)
@given(
    text=st.text(alphabet="公开申请ABC 123：", max_size=20),
    size=st.sampled_from([Pt(9), Pt(10.5), BODY_SIZE, TITLE_SIZE]),
    font=st.sampled_from(sorted(FALLBACKS)),
    use_fallback=st.booleans(),
    cs=st.booleans(),
)
def test_run_font_slots_for_any_combination(text, size, font, use_fallback, cs):
    run = Document().add_paragraph().add_run(text)
    latin = FALLBACKS[font] if use_fallback else None
    set_run_font(run, font, size, latin=latin, cs=cs)
    expected_latin = FALLBACKS[font] if use_fallback else font
    got = slots(run)
    assert got.pop("eastAsia") == font
    assert got == {"ascii": expected_latin, "hAnsi": expected_latin} | (
        {"cs": expected_latin} if cs else {}
    )
    assert run.font.size == size and run.text == text


@pytest.mark.parametrize(
    ("size", "chars", "points"),
    [(BODY_SIZE, 2, 32), (BODY_SIZE, 4, 64), (TITLE_SIZE, 2, 44), (Pt(10.5), 0, 0)],
)
def test_indents_are_counted_in_characters_of_the_size(size, chars, points):
    paragraph = Document().add_paragraph()
    shape_paragraph(paragraph, size=size, first_line_chars=chars, right_chars=chars)
    fmt = paragraph.paragraph_format
    assert fmt.first_line_indent == Pt(points) and fmt.right_indent == Pt(points)


def test_an_argument_left_at_none_writes_nothing():
    paragraph = Document().add_paragraph()
    shape_paragraph(paragraph)
    assert paragraph._p.pPr is None


def test_line_spacing_is_exact_and_space_after_follows_it():
    paragraph = Document().add_paragraph()
    shape_paragraph(paragraph, line_spacing=Pt(28), space_after=Pt(0), align=RIGHT)
    fmt = paragraph.paragraph_format
    assert fmt.line_spacing == Pt(28) and fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    spacing = paragraph._p.pPr.find(qn("w:spacing"))
    # The letters' body lines have always been written in this order.
    assert list(spacing.attrib) == [qn("w:line"), qn("w:lineRule"), qn("w:after")]
    assert paragraph.alignment == RIGHT


def test_add_paragraph_into_a_document_and_into_a_table_cell():
    document = Document()
    p = add_paragraph(document, "标题", font=TITLE_FONT, size=TITLE_SIZE, align=CENTER)
    assert p.text == "标题" and p.alignment == CENTER
    assert slots(p.runs[0])["eastAsia"] == TITLE_FONT and p.runs[0].font.size == Pt(22)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    q = add_paragraph(cell, "正文", first_line_chars=2, latin=FALLBACKS[BODY_FONT])
    assert cell.paragraphs[-1].text == "正文"
    assert slots(q.runs[0]) == {"ascii": "仿宋", "hAnsi": "仿宋", "eastAsia": BODY_FONT}
    assert q.paragraph_format.first_line_indent == Pt(32)


def test_an_empty_line_has_a_formatted_run_without_text():
    p = add_paragraph(Document(), "")
    assert len(p.runs) == 1 and p.text == ""
    assert slots(p.runs[0])["eastAsia"] == BODY_FONT


@pytest.mark.parametrize(("name", "size"), [("宋体", None), (BODY_FONT, BODY_SIZE)])
def test_normal_style_font(name, size):
    document = Document()
    before = document.styles["Normal"].font.size
    set_normal_font(document, name, size)
    normal = saved(document).styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == name
    assert fonts.get(qn("w:ascii")) == name and fonts.get(qn("w:hAnsi")) == name
    assert normal.font.size == (size if size is not None else before)


def test_fallbacks_are_declared_in_the_font_table():
    document = Document()
    declare_fallbacks(document, FALLBACKS)
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        table = zf.read("word/fontTable.xml").decode("utf-8")
    assert table.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
    for name, alt in FALLBACKS.items():
        assert (
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        ) in table


def test_without_declare_fallbacks_the_font_table_is_python_docx_s_own():
    out = io.BytesIO()
    Document().save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        table = zf.read("word/fontTable.xml").decode("utf-8")
    assert "altName" not in table and TITLE_FONT not in table


def test_officedoc_never_imports_django():
    code = (
        "import sys\n"
        "import gongkai.officedoc\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
