"""The JSON contract of a report: ``dump``/``dumps`` and ``load``/``load_bytes``.

Lossless: ``load(dump(report))`` equals ``report``.  The layout is documented in
docs/annual-report-json.md and as a JSON Schema in schema/report.schema.json.
Integers are JSON numbers; ``t2.fees`` (万元, up to six decimals in real
reports) is a string such as ``"7730.28"`` so that no float ever rounds it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from importlib import resources

from gongkai.annual import format as fmt
from gongkai.annual.model import SEVERITIES, Finding, Report, SectionText
from gongkai.annual.readers.errors import ReadError

SCHEMA_VERSION = 1
MEDIA_TYPE = "application/json"
_KEY_RE = re.compile(r"^t[234]\.[a-z_]+(\.[a-z_]+)?$")
_DECIMAL_RE = re.compile(r"^\d+(\.\d+)?$")
_META = (
    "organization",
    "year",
    "format",
    "one_row_other",
    "title",
    "level",
    "source",
    "source_format",
)


class JSONReportError(ReadError, ValueError):
    """The JSON is not a gongkai report; the message is one Chinese line for the user.

    A ReadError, so that ``readers.read_bytes`` passes the message through."""


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of the document ``dump`` produces."""
    text = (
        resources.files("gongkai.annual").joinpath("schema/report.schema.json").read_text("utf-8")
    )
    return json.loads(text)


def _cell_out(key: str, value: fmt.CellValue) -> int | str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def dump(report: Report, findings: list[Finding] | None = None) -> dict:
    """The report (and its findings: ``findings`` or else ``report.findings``) as a dict."""
    doc: dict = {"schema_version": SCHEMA_VERSION}
    for name in _META:
        doc[name] = getattr(report, name)
    doc["cells"] = {k: _cell_out(k, v) for k, v in report.cells.items()}
    doc["missing"] = report.missing_keys()
    doc["raw"] = dict(report.raw)
    doc["provenance"] = dict(report.provenance)
    if report.confidence:  # cells read by OCR (docs/annual-ocr.md)
        doc["confidence"] = dict(report.confidence)
    doc["sections"] = {
        str(n): {"heading": s.heading, "text": s.text} for n, s in sorted(report.sections.items())
    }
    doc["notes"] = [f.to_dict() for f in report.notes]
    chosen = report.findings if findings is None else findings
    doc["findings"] = [f.to_dict() for f in chosen]
    return doc


def dumps(report: Report, findings: list[Finding] | None = None, *, indent: int | None = 2) -> str:
    return json.dumps(dump(report, findings), ensure_ascii=False, indent=indent)


def _fail(message: str) -> JSONReportError:
    return JSONReportError(f"JSON 年度报告格式错误：{message}")


def _finding(item: object, where: str) -> Finding:
    if not isinstance(item, dict):
        raise _fail(f"{where} 应为对象。")
    for name in ("code", "severity", "message"):
        if not isinstance(item.get(name), str):
            raise _fail(f"{where} 缺少文本字段「{name}」。")
    if item["severity"] not in SEVERITIES:
        raise _fail(f"{where} 的 severity 应为 error 或 warning，实际为「{item['severity']}」。")
    cells = item.get("cells") or []
    if not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
        raise _fail(f"{where} 的 cells 应为单元格键名列表。")
    location = item.get("location")
    if location is not None and not isinstance(location, str):
        raise _fail(f"{where} 的 location 应为文本。")
    return Finding.from_dict(item)


def _str_map(obj: dict, name: str) -> dict[str, str]:
    value = obj.get(name) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(f"「{name}」应为 键名→文本 的对象。")
    return dict(value)


def load(obj: dict) -> Report:
    """A Report from a dict made by ``dump`` (or written by hand after the schema)."""
    if not isinstance(obj, dict):
        raise _fail("顶层应为 JSON 对象。")
    version = obj.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _fail(f"不支持的 schema_version「{version}」（本程序支持 {SCHEMA_VERSION}）。")
    report = Report()
    for name in _META:
        if name not in obj:
            continue
        value = obj[name]
        if name == "year":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise _fail(f"year 应为整数，实际为「{value}」。")
        elif name == "one_row_other":
            if not isinstance(value, bool):
                raise _fail("one_row_other 应为 true 或 false。")
        elif name == "format":
            if value not in (fmt.FORMAT_2021, fmt.FORMAT_2019):
                raise _fail(f"format 应为 2021 或 2019，实际为「{value}」。")
        elif name == "level":
            if value is not None and value not in fmt.LEVEL_LABEL:
                raise _fail(f"level「{value}」不是已知的机关层级（{'、'.join(fmt.LEVEL_LABEL)}）。")
        elif value is not None and not isinstance(value, str):
            raise _fail(f"{name} 应为文本。")
        setattr(report, name, value)
    cells = obj.get("cells") or {}
    if not isinstance(cells, dict):
        raise _fail("cells 应为 键名→数字 的对象。")
    for key, value in cells.items():
        if not _KEY_RE.match(key):
            raise _fail(f"「{key}」不是单元格键名（如 t3.new.total）。")
        if fmt.is_decimal_key(key):
            text = value if isinstance(value, str) else None
            if isinstance(value, int) and not isinstance(value, bool):
                text = str(value)
            if text is None or not _DECIMAL_RE.match(text):
                raise _fail(f'{key} 应为非负小数文本（如 "7730.28"），实际为「{value}」。')
            try:
                report.cells[key] = Decimal(text)
            except InvalidOperation as exc:  # pragma: no cover - the regex already matched
                raise _fail(f"{key}「{value}」不是数字。") from exc
        else:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _fail(f"{key} 应为整数，实际为「{value}」。")
            report.cells[key] = value
    report.raw = _str_map(obj, "raw")
    report.provenance = _str_map(obj, "provenance")
    confidence = obj.get("confidence") or {}
    if not isinstance(confidence, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
        for v in confidence.values()
    ):
        raise _fail("「confidence」应为 键名→0至1之间的数 的对象。")
    report.confidence = {k: float(v) for k, v in confidence.items()}
    sections = obj.get("sections") or {}
    if not isinstance(sections, dict):
        raise _fail("sections 应为 编号→{heading, text} 的对象。")
    for number, section in sections.items():
        if not (isinstance(number, str) and number.isdigit() and 1 <= int(number) <= 6):
            raise _fail(f"章节编号「{number}」应为 1 至 6。")
        if not isinstance(section, dict) or not all(
            isinstance(section.get(k), str) for k in ("heading", "text")
        ):
            raise _fail(f"章节 {number} 应有文本字段 heading 和 text。")
        report.sections[int(number)] = SectionText(int(number), section["heading"], section["text"])
    report.sections = dict(sorted(report.sections.items()))
    for name in ("notes", "findings"):
        items = obj.get(name) or []
        if not isinstance(items, list):
            raise _fail(f"{name} 应为列表。")
        setattr(report, name, [_finding(item, f"{name}[{i}]") for i, item in enumerate(items)])
    return report


def load_bytes(data: bytes) -> Report:
    """A Report from JSON bytes (UTF-8, with or without BOM)."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _fail("文件不是 UTF-8 编码。") from exc
    except json.JSONDecodeError as exc:
        raise _fail(f"第{exc.lineno}行第{exc.colno}列：不是有效的 JSON（{exc.msg}）。") from exc
    return load(obj)


def looks_like_json(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")
