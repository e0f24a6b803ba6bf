"""Shared helpers of the annual tests: the dev corpus in <repo>/../shared (optional)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual import format as fmt
from gongkai.annual.model import Report, SectionText

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_6aa6356136dd47b5.txt"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def truth(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))


def report_from_truth(name: str) -> Report:
    """A Report built from a truth file's cells, independent of the readers."""
    data = truth(name)
    cells = {}
    for key, value in data["cells"].items():
        cells[key] = Decimal(value) if fmt.is_decimal_key(key) else int(value)
    report = Report(
        organization=data["organization"],
        year=data["year"],
        format=data["format"],
        one_row_other=any(k.startswith("t3.other.") for k in cells),
        cells=cells,
        source=data["file"],
    )
    for number in data.get("sections_present", []):
        section = fmt.SECTION_BY_NUMBER[number]
        report.sections[number] = SectionText(number, section.title, "")
    return report


def pdf_prose(name: str) -> dict[int, str]:
    """Sections 1, 5 and 6 of a corpus PDF (pdfplumber text; tables are in 2-4)."""
    import pdfplumber

    with pdfplumber.open(CORPUS / f"{name}.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    out = {}
    starts = {}
    for section in fmt.SECTIONS:
        m = re.search(r"^\s*" + section.numeral + "、", text, re.M)
        if m:
            starts[section.number] = m.start()
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    for i, (number, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else len(text)
        if number in (1, 5, 6):
            out[number] = text[start:end].split("\n", 1)[-1]
    return out
