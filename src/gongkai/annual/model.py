"""The report model: one shape for a report read from a file or computed from records.

Readers build it, the checker reads it, writers print it, the Django apps map
database rows into it.  It holds what was found and never invents a value: a
cell the reader could not find is simply absent from ``cells`` (``missing_keys``
lists it), a cell printed blank or unreadable is absent too and its raw text,
if any, stays in ``raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.annual import format as fmt

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    """One problem in a report.

    ``code`` is stable (documented in docs/annual-report-json.md), ``cells``
    are canonical cell keys, ``location`` a free-form place in the source
    (e.g. ``第3页``, ``第57行``, ``一、总体情况``), ``message`` is for a clerk.
    """

    code: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    location: str | None = None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
            "location": self.location,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data["message"],
            cells=tuple(data.get("cells") or ()),
            location=data.get("location"),
        )


@dataclass
class SectionText:
    number: int  # 1..6, see fmt.SECTIONS
    heading: str  # as printed
    text: str  # prose of the section (tables excluded where the reader can tell)


@dataclass
class Report:
    organization: str | None = None
    year: int | None = None
    format: str = fmt.FORMAT_2021  # fmt.FORMAT_2021 or fmt.FORMAT_2019
    one_row_other: bool = False  # 其他处理 printed as one row (t3.other.*)
    title: str | None = None
    level: str | None = None  # fmt.LEVELS key when known
    cells: dict[str, fmt.CellValue] = field(default_factory=dict)
    # Where each value came from: key -> e.g. "第3页 表格2 第5行" / "第57行".
    provenance: dict[str, str] = field(default_factory=dict)
    # Printed text of cells that were present but not numbers (e.g. "—", "/").
    raw: dict[str, str] = field(default_factory=dict)
    # Cells read by OCR (gongkai.annual.ocr): key -> the recogniser's confidence, 0..1.
    confidence: dict[str, float] = field(default_factory=dict)
    sections: dict[int, SectionText] = field(default_factory=dict)
    source: str | None = None  # file name or "records"
    source_format: str | None = None  # text, html, docx, pdf, json, xlsx, records
    # Observations the reader made (label typos, non-standard columns,
    # outdated layout); the checker reports them with its own findings.
    notes: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def expected_keys(self) -> list[str]:
        if self.format != fmt.FORMAT_2021:
            return []
        return fmt.all_keys(one_row_other=self.one_row_other)

    def missing_keys(self) -> list[str]:
        return [k for k in self.expected_keys() if k not in self.cells]

    def get(self, key: str) -> fmt.CellValue | None:
        return self.cells.get(key)

    def prose(self) -> str:
        """All section texts joined, for prose rules (figures, copy-forward)."""
        return "\n".join(s.text for _, s in sorted(self.sections.items()))

    def set_cell(self, key: str, value: fmt.CellValue, where: str | None = None) -> None:
        if fmt.is_decimal_key(key) and not isinstance(value, Decimal):
            value = Decimal(str(value))
        self.cells[key] = value
        if where:
            self.provenance[key] = where
