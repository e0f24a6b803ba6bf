"""The JSON contract: lossless round trip, schema, and clear errors."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual import jsonio, rules
from gongkai.annual.model import WARNING, Finding, SectionText
from gongkai.annual.readers.errors import ReadError
from gongkai.annual.sample import random_report, seed_like_report


def validate(instance, schema: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords report.schema.json uses."""
    root = root or schema
    errors: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(instance, root["$defs"][name], root, path)
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        checks = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
        }
        if not any(checks[t](instance) for t in types):
            return [f"{path}: {instance!r} is not {types}"]
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: {instance!r} != {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(instance, str):
        if not re.search(schema["pattern"], instance):
            errors.append(f"{path}: {instance!r} does not match {schema['pattern']}")
    if isinstance(instance, dict):
        for name in schema.get("required", []):
            if name not in instance:
                errors.append(f"{path}: missing {name}")
        props = schema.get("properties", {})
        for name, value in instance.items():
            if "propertyNames" in schema:
                errors += validate(name, schema["propertyNames"], root, f"{path}.<{name}>")
            if name in props:
                errors += validate(value, props[name], root, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected {name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += validate(value, schema["additionalProperties"], root, f"{path}.{name}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            errors += validate(item, schema["items"], root, f"{path}[{i}]")
    return errors


def full_report():
    report = seed_like_report()
    report.source_format = "text"
    del report.cells["t3.partial.research"]
    report.raw["t3.partial.research"] = "—"
    report.provenance["t3.new.total"] = "第57行"
    report.notes = [Finding("column_label", WARNING, "表三申请人一栏印为“社会组织”", (), "第40行")]
    report.findings = rules.check(report)
    return report


def test_round_trip_is_lossless():
    report = full_report()
    assert report.findings  # not_a_number for the raw cell
    back = jsonio.load(json.loads(jsonio.dumps(report)))
    assert back == report
    assert jsonio.load_bytes(jsonio.dumps(report).encode("utf-8")) == report


@pytest.mark.parametrize("seed", range(10))
def test_round_trip_random_reports(seed):
    report = random_report(random.Random(seed))
    assert jsonio.load(json.loads(jsonio.dumps(report))) == report


def test_fees_are_exact_strings_and_counts_are_numbers():
    report = seed_like_report()
    doc = jsonio.dump(report)
    assert doc["cells"]["t2.fees"] == "1234.567800"
    assert isinstance(doc["cells"]["t3.new.total"], int)
    back = jsonio.load(doc)
    assert str(back.cells["t2.fees"]) == "1234.567800"
    assert back.cells["t2.fees"] == Decimal("1234.5678")


def test_dump_lists_missing_cells_and_sections_by_number():
    report = full_report()
    doc = jsonio.dump(report)
    assert doc["schema_version"] == jsonio.SCHEMA_VERSION
    assert doc["missing"] == ["t3.partial.research"]  # no number: its text is in raw
    del report.cells["t4.litigation_after.total"]
    assert jsonio.dump(report)["missing"] == ["t3.partial.research", "t4.litigation_after.total"]
    assert doc["sections"]["6"]["heading"] == "六、其他需要报告的事项"
    assert doc["findings"][0]["code"] == "column_label"
    assert set(doc["findings"][1]) == {"code", "severity", "cells", "message", "location"}


def test_explicit_findings_replace_the_report_findings():
    report = seed_like_report()
    f = Finding("t4_total", "error", "表四", ("t4.reconsideration.total",))
    assert jsonio.dump(report, [f])["findings"] == [f.to_dict()]


def test_dump_follows_the_schema_file():
    schema = jsonio.schema()
    for report in (full_report(), random_report(random.Random(3), one_row_other=True)):
        assert validate(jsonio.dump(report), schema) == []


def test_the_hand_rolled_validator_catches_errors():
    schema = jsonio.schema()
    doc = jsonio.dump(seed_like_report())
    doc["cells"]["t2.fees"] = 1.5
    doc["cells"]["t3.new.total"] = "3"
    doc["cells"]["x.y"] = 1
    doc["findings"] = [{"code": "a", "severity": "fatal", "message": "m"}]
    errors = validate(doc, schema)
    assert len(errors) == 4


def test_dump_validates_with_jsonschema_when_installed():
    jsonschema = pytest.importorskip("jsonschema")
    schema = jsonio.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(jsonio.dump(full_report()))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.update(schema_version=2), "schema_version"),
        (lambda d: d["cells"].update({"t3.new.total": 3.5}), "t3.new.total 应为整数"),
        (lambda d: d["cells"].update({"t3.new.total": True}), "t3.new.total 应为整数"),
        (lambda d: d["cells"].update({"t2.fees": 1.5}), "t2.fees 应为非负小数文本"),
        (lambda d: d["cells"].update({"t2.fees": "-1"}), "t2.fees 应为非负小数文本"),
        (lambda d: d["cells"].update({"总计": 1}), "不是单元格键名"),
        (lambda d: d.update(format="2020"), "format 应为 2021 或 2019"),
        (lambda d: d.update(level="village"), "level「village」"),
        (lambda d: d.update(year="2024"), "year 应为整数"),
        (lambda d: d["sections"].update({"7": {"heading": "七", "text": ""}}), "章节编号"),
        (
            lambda d: d["findings"].append({"code": "x", "severity": "bad", "message": "m"}),
            "severity",
        ),
    ],
)
def test_load_rejects_bad_documents_with_a_chinese_line(change, fragment):
    doc = jsonio.dump(seed_like_report())
    change(doc)
    with pytest.raises(jsonio.JSONReportError) as exc:
        jsonio.load(doc)
    assert fragment in str(exc.value)
    assert str(exc.value).startswith("JSON 年度报告格式错误")
    assert isinstance(exc.value, ReadError)


def test_load_bytes_errors_and_bom():
    with pytest.raises(jsonio.JSONReportError, match="第1行"):
        jsonio.load_bytes(b'{"schema_version": 1,')
    with pytest.raises(jsonio.JSONReportError, match="UTF-8"):
        jsonio.load_bytes(b'{"a": "\xff"}')
    data = b"\xef\xbb\xbf" + jsonio.dumps(seed_like_report()).encode("utf-8")
    assert jsonio.load_bytes(data) == seed_like_report()


def test_load_minimal_hand_written_document():
    report = jsonio.load({"schema_version": 1, "format": "2021", "cells": {"t3.new.total": 3}})
    assert report.cells == {"t3.new.total": 3}
    assert report.sections == {} and report.notes == []
    report = jsonio.load(
        {
            "schema_version": 1,
            "format": "2021",
            "cells": {"t2.fees": 12},
            "sections": {"2": {"heading": "二、", "text": "x"}},
        }
    )
    assert report.cells["t2.fees"] == Decimal(12)
    assert report.sections == {2: SectionText(2, "二、", "x")}


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=40),
    fees=st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False),
    count=st.integers(min_value=-(10**12), max_value=10**12),
)
def test_round_trip_any_text_and_numbers(text, fees, count):
    report = seed_like_report()
    report.organization = text
    report.title = text or None
    report.sections[2] = SectionText(2, text, text)
    report.raw["t3.other_other.commercial"] = text
    report.cells["t2.fees"] = fees
    report.cells["t3.new.natural"] = count
    back = jsonio.load_bytes(jsonio.dumps(report).encode("utf-8"))
    assert back == report
    assert str(back.cells["t2.fees"]) == format(fees, "f")
