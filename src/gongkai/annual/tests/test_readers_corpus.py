"""The dev corpus in ../shared: every report with a truth file reads to exactly its truth."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.readers import read_path
from gongkai.annual.tests.corpus import CORPUS, SEED, needs_corpus

TRUTHS = sorted(p.name.removesuffix(".truth.json") for p in CORPUS.glob("*.truth.json"))

pytestmark = needs_corpus


def _truth_cells(data: dict) -> dict:
    return {
        k: Decimal(str(v)) if fmt.is_decimal_key(k) else int(v) for k, v in data["cells"].items()
    }


@pytest.mark.parametrize("name", TRUTHS)
def test_corpus_reads_exactly_the_truth(name):
    data = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))
    source = (CORPUS / data["file"]).resolve()
    if not source.exists():
        pytest.skip(f"{data['file']} is absent")
    report = read_path(source)
    assert report.cells == _truth_cells(data)
    assert report.organization == data["organization"]
    assert report.year == data["year"]
    assert report.format == data["format"]
    assert sorted(report.sections) == data["sections_present"]
    assert report.one_row_other == any(k.startswith("t3.other.") for k in data["cells"])
    assert report.missing_keys() == []
    rules = {p["rule"] for p in data["known_problems"]}
    codes = {n.code for n in report.notes}
    if "outdated_layout_other_one_row" in rules:
        assert "outdated_layout_other_one_row" in codes
    if "label_typo" in rules:
        assert "label_typo" in codes
    if not rules:
        assert codes == set()
    for number, section in report.sections.items():
        assert section.heading.startswith(fmt.SECTION_BY_NUMBER[number].numeral)


def test_seed_all_cells_and_notes():
    report = read_path(SEED)
    assert len(report.cells) == 200
    assert set(report.cells.values()) == {0}
    assert sorted(report.sections) == [1, 2, 3, 4, 5]
    assert report.organization == "甘河滩镇人民政府"
    assert report.year == 2024
    codes = [n.code for n in report.notes]
    assert "column_label" in codes
    assert "title_without_year" in codes
    typo_cells = {c for n in report.notes if n.code == "label_typo" for c in n.cells}
    assert {"t3.other_no_correction.total", "t2.penalty", "t2.coercion"} <= typo_cells
    assert "甘河滩镇坚持" in report.sections[1].text
    assert "工作改进情况" in report.sections[5].text
    assert report.provenance["t3.new.natural"] == "第50行"


def test_hongzequ_prose_and_provenance():
    report = read_path(CORPUS / "hongzequ-2023.pdf")
    assert "受理政府信息公开申请 21 件" in report.sections[1].text.replace("\n", "")
    assert "信息处理费 0 元" in report.sections[6].text.replace("\n", "")
    assert "本年新收" not in report.sections[3].text
    assert report.provenance["t4.litigation_after.upheld"].startswith("第4页")
    assert report.cells["t4.reconsideration.total"] == 0  # printed 0, kept as printed


def test_blank_template_docx():
    report = read_path(CORPUS / "template-2021.docx")
    assert report.cells == {}
    assert report.raw == {}
    assert len(report.missing_keys()) == 200
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def test_truncated_corpus_pdf():
    from gongkai.annual.readers import ReadError, read_bytes

    data = (CORPUS / "huaian-2024.pdf").read_bytes()
    with pytest.raises(ReadError):
        read_bytes(data[: len(data) // 3])
