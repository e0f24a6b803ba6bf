"""Writers: one report, printed in the national layout as JSON, HTML, DOCX, XLSX or text.

Every writer takes its labels from ``gongkai.annual.format``; none retypes them.
``write(report, to)`` returns the bytes of the chosen format.
"""

from __future__ import annotations

from gongkai.annual.model import Report

FORMATS = ("json", "html", "docx", "xlsx", "text")
BINARY_FORMATS = frozenset({"docx", "xlsx"})
EXTENSIONS = {"json": ".json", "html": ".html", "docx": ".docx", "xlsx": ".xlsx", "text": ".txt"}
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text": "text/plain; charset=utf-8",
}


def write(report: Report, to: str) -> bytes:
    """The report in format ``to`` (one of FORMATS) as bytes (text formats in UTF-8)."""
    if to == "json":
        from gongkai.annual.writers.json import write_json

        return write_json(report).encode("utf-8")
    if to == "html":
        from gongkai.annual.writers.html import write_html

        return write_html(report).encode("utf-8")
    if to == "docx":
        from gongkai.annual.writers.docx import write_docx

        return write_docx(report)
    if to == "xlsx":
        from gongkai.annual.writers.xlsx import write_xlsx

        return write_xlsx(report)
    if to == "text":
        from gongkai.annual.writers.text import write_text

        return write_text(report).encode("utf-8")
    raise ValueError(f"未知的输出格式「{to}」，可选：{'、'.join(FORMATS)}")
