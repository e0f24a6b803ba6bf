"""JSON writer: the documented contract of gongkai.annual.jsonio (with findings)."""

from __future__ import annotations

from gongkai.annual import jsonio
from gongkai.annual.model import Finding, Report


def write_json(report: Report, findings: list[Finding] | None = None) -> str:
    return jsonio.dumps(report, findings) + "\n"
