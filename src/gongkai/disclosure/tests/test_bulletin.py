import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.disclosure.bulletin import bulletin_docx
from gongkai.disclosure.factories import PublishedItemFactory

pytestmark = pytest.mark.django_db


def test_bulletin_docx_read_back(org):
    item = PublishedItemFactory(
        organization=org,
        title="关于2024年耕地地力保护补贴发放情况的公示",
        body="根据有关规定，现将补贴发放情况公示如下。\n张三 1亩 120元",
        notice_from=dt.date(2024, 5, 6),
        notice_to=dt.date(2024, 5, 12),
    )
    doc = docx.Document(io.BytesIO(bulletin_docx(item, issued_on=dt.date(2024, 5, 6))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(x.mm)
        for x in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [37, 35, 28, 26]
    paragraphs = [p for p in doc.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == item.title
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = paragraphs[1].runs[0]
    assert body.font.size == Pt(16)
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    texts = [p.text for p in paragraphs]
    assert "张三 1亩 120元" in texts
    assert any("公示期：2024年5月6日至2024年5月12日" in t for t in texts)
    assert org.name in texts and "2024年5月6日" in texts
    assert any(t == f"索引号：{item.index_number}" for t in texts)


def test_bulletin_html_body_becomes_paragraphs(org):
    item = PublishedItemFactory(
        organization=org, body_format="html", body="<p>甲&amp;乙</p><p>第二段</p>"
    )
    doc = docx.Document(io.BytesIO(bulletin_docx(item, issued_on=dt.date(2024, 5, 6))))
    texts = [p.text for p in doc.paragraphs]
    assert "甲&乙" in texts and "第二段" in texts
    assert not any("<p>" in t for t in texts)
