"""Bulk import of items and of the catalogue from XLSX or CSV (adoption).

Two steps: :func:`dry_run` reads the file and reports, row by row, every
problem in Chinese without writing anything; :func:`import_run` repeats the
check and, only when no row has an error, writes every row in one
transaction (all or nothing).  Columns are documented in docs/disclosure.md;
:func:`template_xlsx` produces the downloadable template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.bounds import RANGE_TEXT, date_in_range
from gongkai.core.errors import Forbidden
from gongkai.organizations.models import Organization, Unit
from gongkai.spreadsheets import xlsx_append, xlsx_put  # text stays text, never formulas

from . import permissions as perms
from . import services
from .law import ARTICLE_ITEM_CHOICES
from .models import Category, ImportJob, Item
from .services import import_decline, sanitise_body

# Writes live in services (re-exported here for the views and tests that call
# ``imports.import_decline``).
__all__ = ["import_check", "import_decline", "import_run", "dry_run", "template_xlsx"]

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    label: str
    required: bool = False
    help: str = ""
    example: str = ""


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("标题", True, "政府信息的标题", "关于2023年耕地地力保护补贴发放情况的公示"),
    Column("文号", False, "", "甘政发〔2023〕12号"),
    Column("内容概述", False, "一句话概述", "公示本镇耕地地力保护补贴发放情况"),
    Column("正文", False, "纯文本", "根据有关规定，现将补贴发放情况公示如下……"),
    Column("形成日期", True, "格式 2023-05-06", "2023-05-06"),
    Column("公开属性", False, "主动公开/依申请公开/不予公开，空白为主动公开", "主动公开"),
    Column("不公开理由", False, "公开属性不是主动公开时必填", ""),
    Column("法律依据", False, "公开属性不是主动公开时必填", ""),
    Column("目录代码", False, "公开目录中的类目代码", "B17"),
    Column(
        "条例依据",
        False,
        "如“第二十条（七）”或“第二十一条 社会救助”",
        "第二十一条 贯彻落实农业农村政策",
    ),
    Column("类型", False, "通知公告/政策文件/规范性文件/政策解读/预决算/公示公告/其他", "公示公告"),
    Column("承办科室", False, "本机关已有的科室名称", ""),
    Column("主题词", False, "", "补贴 公示"),
    Column("公示期开始", False, "格式 2023-05-06", "2023-05-06"),
    Column("公示期结束", False, "格式 2023-05-12", "2023-05-12"),
    Column(
        "公开日期",
        False,
        "已在原网站公开的填写公开日期（导入为已公开，仅限公开办负责人或机关管理员）；空白则导入为草稿",
        "2023-05-06",
    ),
    Column("索引号", False, "原有索引号（仅已公开的信息）；空白则自动编号", ""),
)

CATALOGUE_COLUMNS: tuple[Column, ...] = (
    Column("类目代码", True, "字母、数字或连字符，机关内唯一", "B17"),
    Column("类目名称", True, "", "涉农补贴"),
    Column("上级类目代码", False, "空白为顶级类目", "B"),
    Column("排序", False, "整数，小的在前", "17"),
    Column("是否适用", False, "是/否，空白为是", "是"),
    Column("不适用理由", False, "“否”时必填", ""),
    Column("公开内容（要素）", False, "", "补贴对象、标准、金额"),
    Column("公开依据", False, "", "《中华人民共和国政府信息公开条例》"),
    Column("公开时限", False, "", "信息形成或变更之日起20个工作日内"),
    Column("公开渠道和载体", False, "", "政府网站、公示栏"),
)

COLUMNS = {ImportJob.Kind.ITEMS: ITEM_COLUMNS, ImportJob.Kind.CATALOGUE: CATALOGUE_COLUMNS}


@dataclass
class RowResult:
    number: int  # the row number as the clerk sees it in the spreadsheet (header = 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    parsed: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    def summary(self) -> dict:
        """What the import page shows, as stored in ``ImportJob.report`` (JSON)."""

        def label(row: RowResult) -> str:
            if self.kind == ImportJob.Kind.ITEMS:
                return str(row.parsed.get("title", ""))
            return f"{row.parsed.get('code', '')} {row.parsed.get('name', '')}".strip()

        return {
            "ok": self.ok,
            "error_count": self.error_count,
            "file_errors": list(self.file_errors),
            "rows": [
                {"number": r.number, "label": label(r), "errors": r.errors} for r in self.rows
            ],
        }


# --- reading the file -------------------------------------------------------------
#
# Import bombs (issue #9): a 656 KB XLSX that unpacks to 192 MB must be refused
# before anything parses it.  In order, and each with its own Chinese message:
#
# 1. XLSX: the archive's declared sizes (zipfile's central directory, read
#    without unpacking): entry count, duplicate names, each entry's size, the
#    total, and the compression ratio of large entries.  zipfile never inflates
#    an entry past its declared size, so what follows is bounded by these numbers.
# 2. XLSX: the package's own map, [Content_Types].xml and every ``.rels`` part,
#    is read (small, bounded) to learn each part's declared type and role.  A
#    part without a declared type is refused.  Every part openpyxl may parse —
#    whatever its name: openpyxl finds the shared strings through
#    [Content_Types].xml and the sheets through the rels, so ``xl/strings.bin``
#    is a shared-strings part — is streamed once through expat with no tree.
#    Only parts declared with a binary type (images, printer settings …) that
#    no relationship of an XML type points at are left out; they are never
#    parsed and are bounded by step 1.  While streaming, across the whole
#    archive: rows, columns, shared strings, elements, the elements openpyxl
#    keeps in memory, each cell's text and the total text are counted, and the
#    first limit passed stops the scan.  A DOCTYPE (entity expansion) is refused.
# 3. Only then openpyxl (read_only, values only, at most MAX_COLUMNS columns),
#    stopped at MAX_SHEET_ROWS row positions.
# CSV: bytes, rows, columns and cell length, checked while reading.
#
# Memory (target: a 20 MB upload raises the server's memory by at most 100 MB,
# measured in bench/imports.py).  Text is what openpyxl and the trial run keep:
# every shared string (openpyxl holds the whole table) and every cell of every
# row.  Python stores a string at 1, 2 or 4 bytes per character, the widest
# character deciding (one emoji makes the whole string 4 bytes per character),
# so the bound assumes 4: MAX_TOTAL_CHARS characters are at most 48 MB.  The
# elements openpyxl keeps as a tree (every element of the workbook, styles and
# other parts it parses whole; the emptied <si> of the shared strings and <row>
# of a sheet) are bounded by MAX_RETAINED_ELEMENTS.

# Excel's own limit for one cell; a CSV cell may not be longer either.
MAX_CELL_CHARS = 32767
MAX_COLUMNS = 50
# Row positions read from a sheet, empty rows included (data rows: MAX_ROWS).
MAX_SHEET_ROWS = MAX_ROWS + 200
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 200
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_BYTES = 160 * 1024 * 1024
# Text and XML compress about 3-20 times; a bomb compresses hundreds of times.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small entries may compress as they like
MAX_SHARED_STRINGS = MAX_SHEET_ROWS * MAX_COLUMNS
# Every element of every XML part (time), and those openpyxl keeps (memory).
MAX_XML_ELEMENTS = 4 * MAX_SHEET_ROWS * MAX_COLUMNS
MAX_RETAINED_ELEMENTS = MAX_SHARED_STRINGS + 100_000
# All text of the workbook: 12 million characters, at most 48 MB as Python
# strings.  5,000 rows with a 正文 of 2,200 Chinese characters each fit.
MAX_TOTAL_CHARS = 12_000_000
# [Content_Types].xml and the rels are read whole; real ones are a few KB.
MAX_MAP_BYTES = 1024 * 1024
SCAN_CHUNK = 64 * 1024

LIMITS_TEXT = f"每个文件最多{MAX_ROWS}行、{MAX_COLUMNS}列，每个单元格最多{MAX_CELL_CHARS}个字符"
UNREADABLE = "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。"
CONTENT_TYPES = "[Content_Types].xml"
_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
# Relationship types whose targets openpyxl never parses as XML (read_only).
_BINARY_RELS = frozenset(
    {"image", "printerSettings", "vbaProject", "oleObject", "package", "thumbnail", "font"}
)


class TooBig(ValueError):
    """A file past one of the import limits; the message is Chinese."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise TooBig(
            f"该 Excel 文件包含{len(infos)}个内部文件，超过上限{MAX_ARCHIVE_ENTRIES}个，"
            "不像正常的表格，未读取。请另存为新的 .xlsx 文件后再上传。"
        )
    names = [info.filename.lower() for info in infos]
    if len(set(names)) != len(names):
        # zipfile (and so openpyxl) reads the last of two same-named entries.
        raise TooBig("该 Excel 文件含有重名的内部文件，不像正常的表格，未读取。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise TooBig(
                f"该 Excel 文件的压缩比异常（{info.file_size // max(info.compress_size, 1)}倍，"
                f"上限{MAX_RATIO}倍），可能是“压缩炸弹”，未读取。"
                "请在 Excel 中删除多余的空行空列、另存为新文件后再上传。"
            )
        if info.file_size > MAX_ENTRY_BYTES or total > MAX_ARCHIVE_BYTES:
            limit = MAX_ENTRY_BYTES if info.file_size > MAX_ENTRY_BYTES else MAX_ARCHIVE_BYTES
            raise TooBig(
                f"该 Excel 文件解压后超过{_mb(limit)}，未读取。{LIMITS_TEXT}，请拆分后再上传。"
            )


_REF_RE = re.compile(r"([A-Za-z]{0,3})(\d{0,7})")


def _position(ref: str | None, default: int) -> int:
    """A row number ("r" of a row); anything unreadable counts as very far."""
    if ref is None:
        return default
    return int(ref) if ref.isdigit() and len(ref) <= 7 else 10**7


def _column(ref: str | None, default: int) -> int:
    """The column of a cell reference such as "AB12" (1-based)."""
    if ref is None:
        return default
    match = _REF_RE.fullmatch(ref)
    if match is None or not match.group(1):
        return 10**7
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Budget:
    """What the scan has counted so far, over the whole archive."""

    def __init__(self) -> None:
        self.elements = 0
        self.retained = 0
        self.strings = 0
        self.chars = 0


def _too_much() -> TooBig:
    return TooBig(f"该 Excel 文件的内容过多，未读取。{LIMITS_TEXT}。")


def _scan_xml(
    stream, part: str, budget: _Budget | None = None, transient=frozenset(), on_start=None
) -> None:
    """Stream one XML part through expat, counting into ``budget``; raise TooBig at
    the first limit.  Elements inside one of ``transient`` (openpyxl empties a
    sheet's <row> and a shared string's <si> once read) are not kept in memory."""
    budget = budget or _Budget()
    counts = {"rows": 0, "cells": 0, "text": 0}
    # Depth inside a transient element (0: outside) and inside a cell (<c>, <si>).
    depth = {"transient": 0, "cell": 0}

    def start(tag, attrs):
        local = tag.rsplit("}", 1)[-1]
        budget.elements += 1
        if budget.elements > MAX_XML_ELEMENTS:
            raise _too_much()
        if depth["transient"]:
            depth["transient"] += 1
        else:
            budget.retained += 1
            if budget.retained > MAX_RETAINED_ELEMENTS:
                raise _too_much()
            if local in transient:
                depth["transient"] = 1
        if depth["cell"]:
            depth["cell"] += 1
        else:
            counts["text"] = 0  # outside a cell, text is counted per element
        if on_start is not None:
            on_start(local, attrs)
        if local == "row":
            counts["rows"] += 1
            counts["cells"] = 0
            # openpyxl fills the gap up to a row's number ("r") and would drop
            # rows past its max_row silently: both are refused here instead.
            number = _position(attrs.get("r"), counts["rows"])
            counts["row"] = number
            if counts["rows"] > MAX_SHEET_ROWS or number > MAX_SHEET_ROWS:
                raise TooBig(
                    f"一次最多导入{MAX_ROWS}行，表格第{min(number, 10**7)}行仍有内容或格式，"
                    "未读取。请删除多余的行或拆分文件。"
                )
        elif local == "c":
            depth["cell"] = max(depth["cell"], 1)
            counts["text"] = 0
            counts["cells"] += 1
            column = _column(attrs.get("r"), counts["cells"])
            if counts["cells"] > MAX_COLUMNS or column > MAX_COLUMNS:
                raise TooBig(
                    f"第{counts.get('row', counts['rows'])}行超过{MAX_COLUMNS}列，未读取。"
                    "请删除多余的列后再上传。"
                )
        elif local == "si":
            depth["cell"] = max(depth["cell"], 1)
            counts["text"] = 0
            budget.strings += 1
            if budget.strings > MAX_SHARED_STRINGS:
                raise TooBig(f"该 Excel 文件的文字单元格过多，未读取。{LIMITS_TEXT}。")

    def end(tag):
        if depth["transient"]:
            depth["transient"] -= 1
        if depth["cell"]:
            depth["cell"] -= 1

    def text(data):
        counts["text"] += len(data)
        budget.chars += len(data)
        if counts["text"] > MAX_CELL_CHARS:
            raise TooBig(f"有单元格超过{MAX_CELL_CHARS}个字符（Excel 单元格的上限），未读取。")
        if budget.chars > MAX_TOTAL_CHARS:
            raise TooBig(
                f"该 Excel 文件的文字总数超过{MAX_TOTAL_CHARS // 10000}万字，未读取。"
                "请拆分成几个文件后再上传。"
            )

    def doctype(*args):
        raise TooBig("该 Excel 文件含有不允许的文档类型声明（DOCTYPE），未读取。")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        while chunk := stream.read(SCAN_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ValueError(UNREADABLE) from None


def _read_map_part(archive: zipfile.ZipFile, name: str, budget: _Budget, on_start) -> None:
    """Scan a small package-map part ([Content_Types].xml, a .rels) and collect from it."""
    info = archive.getinfo(name)
    if info.file_size > MAX_MAP_BYTES:
        raise TooBig(f"该 Excel 文件的内部清单超过{_mb(MAX_MAP_BYTES)}，不像正常的表格，未读取。")
    with archive.open(info) as stream:
        _scan_xml(stream, name, budget, on_start=on_start)


def _rels_base(rels_name: str) -> str:
    """The folder a .rels part's relative targets start from: "xl/_rels/workbook.xml.rels"
    describes "xl/workbook.xml", so its targets are relative to "xl"."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder


def _package_map(archive: zipfile.ZipFile, budget: _Budget) -> tuple[dict, dict, dict]:
    """Declared content type by extension and by part, and relationship types by target."""
    if CONTENT_TYPES not in archive.NameToInfo:
        raise ValueError(UNREADABLE)
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}

    def content_type(local, attrs):
        if local == "Default" and "Extension" in attrs:
            defaults[attrs["Extension"].lower()] = attrs.get("ContentType", "")
        elif local == "Override" and "PartName" in attrs:
            overrides[attrs["PartName"].lstrip("/").lower()] = attrs.get("ContentType", "")

    _read_map_part(archive, CONTENT_TYPES, budget, content_type)
    targets: dict[str, set[str]] = {}
    for info in archive.infolist():
        if not info.filename.lower().endswith(".rels"):
            continue
        base = _rels_base(info.filename)

        def relationship(local, attrs, base=base):
            if local != "Relationship" or attrs.get("TargetMode") == "External":
                return
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            path = posixpath.normpath(path).lower()
            targets.setdefault(path, set()).add(attrs.get("Type", "").rsplit("/", 1)[-1])

        _read_map_part(archive, info.filename, budget, relationship)
    return defaults, overrides, targets


def _is_xml_type(content_type: str) -> bool:
    return content_type.endswith("+xml") or content_type in ("application/xml", "text/xml")


def _scan_archive(archive: zipfile.ZipFile) -> None:
    budget = _Budget()
    defaults, overrides, targets = _package_map(archive, budget)
    for info in archive.infolist():
        name = info.filename.lower()
        if name == CONTENT_TYPES.lower() or name.endswith(".rels") or info.is_dir():
            continue  # read above
        extension = name.rsplit(".", 1)[-1] if "." in posixpath.basename(name) else ""
        declared = overrides.get(name, defaults.get(extension))
        if declared is None:
            raise TooBig(
                f"该 Excel 文件含有未声明类型的内部文件（{info.filename[:60]}），"
                "不像正常的表格，未读取。请另存为新的 .xlsx 文件后再上传。"
            )
        roles = targets.get(name, set())
        if not _is_xml_type(declared) and not name.endswith(".xml") and roles <= _BINARY_RELS:
            continue  # an image or the like: openpyxl never parses it as XML
        # What openpyxl throws away once read (read_only): a sheet's rows, the
        # shared strings' <si>; everything else it keeps as a tree.
        keeps = []
        if declared == _SHARED_STRINGS_TYPE:
            keeps.append(frozenset({"si"}))
        if roles & {"worksheet"}:
            keeps.append(frozenset({"row"}))
        if roles - {"worksheet", "sharedStrings"} or not keeps:
            keeps.append(frozenset())
        transient = frozenset.intersection(*keeps)
        with archive.open(info) as stream:
            _scan_xml(stream, info.filename, budget, transient=transient)


def _read_xlsx(source) -> list[list[str]]:
    import openpyxl

    try:
        with zipfile.ZipFile(source) as archive:
            _check_archive(archive)
            _scan_archive(archive)
    except TooBig:
        raise
    except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, EOFError …: one message
        # Issue #9 review: a damaged deflate stream raises zlib.error, which must
        # not become a 500 (at upload, and on every GET of the job).
        raise ValueError(UNREADABLE) from None
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any broken workbook gets one message
        raise ValueError(UNREADABLE) from exc
    rows: list[list[str]] = []
    try:
        sheet = workbook.worksheets[0]
        # The scan above has made sure no row or column lies past these bounds.
        for values in sheet.iter_rows(
            max_col=MAX_COLUMNS, max_row=MAX_SHEET_ROWS, values_only=True
        ):
            rows.append(_bounded_row([_cell(v) for v in values], len(rows) + 1))
    except TooBig:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet openpyxl cannot read
        raise ValueError(UNREADABLE) from exc
    finally:
        workbook.close()
    return rows


def _bounded_row(row: list[str], number: int) -> list[str]:
    while row and not row[-1]:
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise TooBig(f"第{number}行超过{MAX_COLUMNS}列，请删除多余的列后再上传。")
    for cell in row:
        if len(cell) > MAX_CELL_CHARS:
            raise TooBig(
                f"第{number}行有单元格超过{MAX_CELL_CHARS}个字符（Excel 单元格的上限），"
                "请缩短后再上传。"
            )
    return row


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(content).best()
    if best is None:
        raise ValueError("无法识别 CSV 文件的文字编码，请另存为 UTF-8 编码的 CSV。")
    return str(best)


def _read_csv(source) -> list[list[str]]:
    if isinstance(source, bytes | bytearray):
        content = bytes(source[: MAX_CSV_BYTES + 1])
    else:
        content = source.read(MAX_CSV_BYTES + 1)
    if len(content) > MAX_CSV_BYTES:
        raise TooBig(f"CSV 文件超过{_mb(MAX_CSV_BYTES)}，未读取。请拆分后再上传。")
    text = _decode(content)
    del content
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if len(rows) >= MAX_SHEET_ROWS:
                raise TooBig(f"一次最多导入{MAX_ROWS}行，请拆分文件。")
            if len(row) > MAX_COLUMNS and any(c.strip() for c in row[MAX_COLUMNS:]):
                raise TooBig(f"第{reader.line_num}行超过{MAX_COLUMNS}列，请删除多余的列后再上传。")
            rows.append(_bounded_row([c.strip() for c in row[:MAX_COLUMNS]], reader.line_num))
    except csv.Error:
        # e.g. a field past the csv module's own limit (131,072 characters).
        raise TooBig(
            f"第{reader.line_num}行无法读取（单元格过长或引号不配对）。"
            f"每个单元格最多{MAX_CELL_CHARS}个字符。"
        ) from None
    return rows


def read_table(content, kind: str) -> list[list[str]]:
    """Rows of cell strings from XLSX or CSV (bytes or a binary file); raises
    ValueError (Chinese), :class:`TooBig` when a limit is passed."""
    if kind == "xlsx":
        if isinstance(content, bytes | bytearray):
            content = io.BytesIO(content)
        return _read_xlsx(content)
    return _read_csv(content)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_RE = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})")


def _parse_date(text: str) -> dt.date:
    cleaned = text.strip().replace("/", "-").replace(".", "-").replace(" ", "")
    cleaned = cleaned.replace("年", "-").replace("月", "-").replace("日", "")
    match = _DATE_RE.fullmatch(cleaned)
    try:
        if match is None:
            raise ValueError
        day = dt.date(*(int(p) for p in match.groups()))
    except ValueError:
        raise ValueError(f"“{text[:40]}”不是有效日期，请写成 2024-05-06") from None
    if not date_in_range(day):
        raise ValueError(f"“{text[:40]}”超出合理范围，应在 {RANGE_TEXT} 之间")
    return day


def _choice(text: str, choices, what: str) -> str:
    for value, label in choices:
        if text in (value, str(label)):
            return value
    labels = "、".join(str(label) for _, label in choices)
    raise ValueError(f"{what}“{text}”无法识别，可选：{labels}")


def _article(text: str) -> str:
    for key, label in ARTICLE_ITEM_CHOICES:
        if text == key or label == text or label.startswith(text):
            return key
    raise ValueError(f"条例依据“{text}”无法识别，请写成“第二十条（七）”或“第二十一条 社会救助”")


def _rows(content: bytes, file_kind: str, kind: str, report: Report) -> list[RowResult]:
    try:
        table = read_table(content, file_kind)
    except ValueError as exc:
        report.file_errors.append(str(exc))
        return []
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        report.file_errors.append("文件是空的。")
        return []
    header = [h.strip().rstrip("*＊").strip() for h in table[0]]
    columns = COLUMNS[kind]
    missing = [c.label for c in columns if c.required and c.label not in header]
    if missing:
        report.file_errors.append(
            "第1行（表头）缺少必需的列：" + "、".join(missing) + "。请使用下载的模板。"
        )
        return []
    known = {c.label for c in columns}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        report.file_errors.append("表头中有无法识别的列：" + "、".join(unknown) + "。")
    if len(table) - 1 > MAX_ROWS:
        report.file_errors.append(f"一次最多导入{MAX_ROWS}行，请拆分文件。")
        return []
    results = []
    for offset, row in enumerate(table[1:], start=2):
        values = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        results.append(RowResult(offset, values))
    return results


# --- validation -------------------------------------------------------------------------


def _check_item_row(row: RowResult, org: Organization, ctx: dict) -> None:
    v = row.values
    data: dict[str, Any] = {}

    def need(label: str) -> str:
        value = v.get(label, "").strip()
        if not value:
            row.errors.append(f"“{label}”不能为空")
        return value

    data["title"] = need("标题")[:300]
    for label, name in (
        ("文号", "document_number"),
        ("内容概述", "summary"),
        ("主题词", "subject_words"),
    ):
        data[name] = v.get(label, "").strip()
    data["body"] = sanitise_body(v.get("正文", ""), Item.BodyFormat.PLAIN)
    for label, name, required in (
        ("形成日期", "formed_on", True),
        ("公示期开始", "notice_from", False),
        ("公示期结束", "notice_to", False),
        ("公开日期", "published_on", False),
    ):
        text = need(label) if required else v.get(label, "").strip()
        data[name] = None
        if text:
            try:
                data[name] = _parse_date(text)
            except ValueError as exc:
                row.errors.append(f"“{label}”{exc}")
    for label, name, parse in (
        ("公开属性", "attribute", lambda t: _choice(t, Item.Attribute.choices, "公开属性")),
        ("类型", "kind", lambda t: _choice(t, Item.Kind.choices, "类型")),
        ("条例依据", "article_item", _article),
    ):
        text = v.get(label, "").strip()
        if text:
            try:
                data[name] = parse(text)
            except ValueError as exc:
                row.errors.append(str(exc))
    data.setdefault("attribute", Item.Attribute.PROACTIVE)
    data.setdefault("kind", Item.Kind.OTHER)
    data["attribute_reason"] = v.get("不公开理由", "").strip()
    data["attribute_basis"] = v.get("法律依据", "").strip()
    if data["attribute"] != Item.Attribute.PROACTIVE:
        if not data["attribute_reason"]:
            row.errors.append("公开属性不是“主动公开”时，“不公开理由”必填")
        if not data["attribute_basis"]:
            row.errors.append("公开属性不是“主动公开”时，“法律依据”必填")
        if data.get("published_on"):
            row.errors.append("只有主动公开的信息才能填写“公开日期”")
    code = v.get("目录代码", "").strip()
    data["category"] = None
    if code:
        data["category"] = ctx["categories"].get(code)
        if data["category"] is None:
            row.errors.append(f"目录代码“{code}”在本机关的公开目录中不存在")
    unit_name = v.get("承办科室", "").strip()
    data["unit"] = None
    if unit_name:
        data["unit"] = ctx["units"].get(unit_name)
        if data["unit"] is None:
            row.errors.append(f"承办科室“{unit_name}”不存在，请先在机关设置中添加")
    nf, nt = data.get("notice_from"), data.get("notice_to")
    if bool(nf) != bool(nt):
        row.errors.append("公示期需同时填写开始和结束日期")
    elif nf and nt and nf > nt:
        row.errors.append("公示期结束日期不能早于开始日期")
    index_number = v.get("索引号", "").strip()
    data["index_number"] = index_number
    if index_number:
        if not data.get("published_on"):
            row.errors.append("填写了“索引号”的行必须同时填写“公开日期”")
        elif index_number in ctx["index_numbers"]:
            row.errors.append(f"索引号“{index_number}”已被使用")
        elif index_number in ctx["seen_index"]:
            row.errors.append(f"索引号“{index_number}”与第{ctx['seen_index'][index_number]}行重复")
        ctx["seen_index"].setdefault(index_number, row.number)
    if (
        data.get("published_on")
        and data.get("formed_on")
        and data["published_on"] < data["formed_on"]
    ):
        row.errors.append("公开日期不能早于形成日期")
    if data.get("published_on") and data["published_on"] > ctx["today"]:
        row.errors.append("公开日期不能晚于今天")
    if data.get("published_on") and not ctx["may_record_history"]:
        # 条例第十七条: an item becomes public only after review and approval; only
        # the office head or the body's administrator may vouch for old history.
        row.errors.append(
            "只有公开办负责人或机关管理员可以导入已公开的历史信息；"
            "请清空“公开日期”和“索引号”导入为草稿，或请他们导入本文件"
        )
    row.parsed = data


_CODE_OK = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


def _check_category_row(row: RowResult, org: Organization, ctx: dict) -> None:
    v = row.values
    code = v.get("类目代码", "").strip()
    name = v.get("类目名称", "").strip()
    if not code:
        row.errors.append("“类目代码”不能为空")
    elif not set(code) <= _CODE_OK or len(code) > 20:
        row.errors.append(f"类目代码“{code}”只能由字母、数字和连字符组成，最长20位")
    elif code in ctx["categories"]:
        row.errors.append(f"类目代码“{code}”在本机关已存在")
    elif code in ctx["seen_codes"]:
        row.errors.append(f"类目代码“{code}”与第{ctx['seen_codes'][code]}行重复")
    if not name:
        row.errors.append("“类目名称”不能为空")
    parent = v.get("上级类目代码", "").strip()
    if parent and parent not in ctx["categories"] and parent not in ctx["seen_codes"]:
        row.errors.append(f"上级类目代码“{parent}”既不在本机关目录中，也不在本文件的前面几行中")
    order_text = v.get("排序", "").strip() or "0"
    try:
        order = int(order_text)
        if order < 0:
            raise ValueError
    except ValueError:
        row.errors.append(f"“排序”应为不小于0的整数，而不是“{order_text}”")
        order = 0
    applies_text = v.get("是否适用", "").strip() or "是"
    if applies_text not in ("是", "否"):
        row.errors.append(f"“是否适用”只能填“是”或“否”，而不是“{applies_text}”")
    applies = applies_text != "否"
    reason = v.get("不适用理由", "").strip()
    if not applies and not reason:
        row.errors.append("“是否适用”为“否”时，“不适用理由”必填")
    if code and code not in ctx["seen_codes"]:
        ctx["seen_codes"][code] = row.number
    row.parsed = {
        "code": code,
        "name": name[:100],
        "parent_code": parent,
        "order": order,
        "applies": applies,
        "not_applicable_reason": "" if applies else reason[:300],
        "content_elements": v.get("公开内容（要素）", ""),
        "basis": v.get("公开依据", ""),
        "time_limit": v.get("公开时限", "")[:200],
        "channels": v.get("公开渠道和载体", "")[:300],
    }


def dry_run(
    *,
    organization: Organization,
    kind: str,
    content,
    file_kind: str,
    acting_user,
    today: dt.date | None = None,
) -> Report:
    """Check every row and report every problem for ``acting_user`` (who uploads
    the file); writes nothing.  ``today`` defaults to the local date."""
    report = Report(kind=kind)
    report.rows = _rows(content, file_kind, kind, report)
    ctx = {
        "categories": {c.code: c for c in Category.objects.filter(organization=organization)},
        "units": {u.name: u for u in Unit.objects.filter(organization=organization)},
        "index_numbers": set(
            Item.objects.filter(organization=organization)
            .exclude(index_number="")
            .values_list("index_number", flat=True)
        ),
        "seen_index": {},
        "seen_codes": {},
        "today": today or timezone.localdate(),
        "may_record_history": perms.can_import_history(acting_user, organization),
    }
    check = _check_item_row if kind == ImportJob.Kind.ITEMS else _check_category_row
    for row in report.rows:
        check(row, organization, ctx)
    if not report.rows and not report.file_errors:
        report.file_errors.append("文件中除表头外没有数据行。")
    return report


# --- the import itself ---------------------------------------------------------------


class ImportFailed(ValidationError):
    pass


def publishing_rows(report: Report) -> int:
    """Rows with a 公开日期: imported as already published, visible at once."""
    return sum(1 for row in report.rows if row.parsed.get("published_on"))


def import_check(*, job: ImportJob, content, acting_user, now: dt.datetime) -> ImportJob:
    """The trial run of ``job``'s file (``content``: bytes or a binary file), stored
    on the job so that the import page shows it without reading the file again.
    A file that cannot be read is stored as a file error, never raised."""
    report = dry_run(
        organization=job.organization,
        kind=job.kind,
        content=content,
        file_kind=job.file_kind,
        acting_user=acting_user,
        today=timezone.localdate(now),
    )
    job.report = report.summary()
    job.row_count = len(report.rows)
    job.error_count = report.error_count
    job.publishes = publishing_rows(report) if job.kind == ImportJob.Kind.ITEMS else 0
    job.checked_at = now
    job.save(update_fields=["report", "row_count", "error_count", "publishes", "checked_at"])
    return job


def _confirm_refusal(job: ImportJob, acting_user, publishes: int) -> str | None:
    """Why ``acting_user`` may not write ``job`` (None: they may)."""
    if not publishes:
        if perms.can_maintain(acting_user, job.organization):
            return None
        return "您不能为本机关导入数据。"
    if perms.can_confirm_import(acting_user, job):
        return None
    if getattr(acting_user, "pk", None) == job.created_by_id:
        return (
            f"该文件有{publishes}行已公开的历史信息（填写了“公开日期”），导入后立即在网站公开，"
            "须由上传人以外的审批领导确认导入。已等待审批领导确认。"
        )
    return "该文件有已公开的历史信息，只有本机关的审批领导（上传人以外）可以确认导入。"


@transaction.atomic
def import_run(*, job: ImportJob, content, file_kind: str, acting_user, now: dt.datetime) -> Report:
    """Import every row or none: repeats the dry run, then writes in this transaction.

    Rows with a 公开日期 are published at once (adoption of the old website's
    history), so a file with such rows is written only when a 审批领导 other
    than the uploader confirms it (条例第十七条: review and approval before
    publication, by different people; review of issue #9, F2).  A file of
    drafts only is written by anyone who maintains the body's data, as before.
    """
    org = job.organization
    job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job.pk)
    if job.imported_at is not None:
        raise ImportFailed("该文件已经导入过，不能重复导入。")
    if job.declined_at is not None:
        raise ImportFailed("审批领导未同意导入该文件，请修改后重新上传。")
    if not (perms.can_maintain(acting_user, org) or perms.can_confirm_import(acting_user, job)):
        raise Forbidden("您不能为本机关导入数据。")
    # The rows are checked as the uploader: only a 公开办负责人 or administrator
    # may vouch for history (permissions.can_import_history).
    report = dry_run(
        organization=org,
        kind=job.kind,
        content=content,
        file_kind=file_kind,
        acting_user=job.created_by,
        today=timezone.localdate(now),
    )
    if not report.ok:
        raise ImportFailed(
            f"文件中有{report.error_count}处错误，未导入任何数据。请修改后重新上传。"
        )
    publishes = publishing_rows(report) if job.kind == ImportJob.Kind.ITEMS else 0
    refusal = _confirm_refusal(job, acting_user, publishes)
    if refusal:
        raise Forbidden(refusal)
    services.import_job_write(
        job=job,
        rows=[(row.number, row.parsed) for row in report.rows],
        publishes=publishes,
        acting_user=acting_user,
        now=now,
    )
    return report


def template_xlsx(kind: str) -> bytes:
    """The downloadable template: header (required columns marked *), help row, example."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "导入"
    columns = COLUMNS[kind]
    for i, column in enumerate(columns, start=1):
        cell = xlsx_put(
            sheet.cell(row=1, column=i), column.label + ("*" if column.required else "")
        )
        cell.font = Font(bold=True)
        if column.help:
            cell.comment = Comment(column.help, "gongkai")
        xlsx_put(sheet.cell(row=2, column=i), column.example)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.label) * 3)
    notes = workbook.create_sheet("说明")
    xlsx_append(notes, ["列", "必填", "说明"])
    for column in columns:
        xlsx_append(notes, [column.label, "是" if column.required else "", column.help])
    xlsx_append(notes, [])
    xlsx_append(notes, ["第2行是示例，导入前请删除或改成真实数据。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
