"""Readers: any published 政府信息公开工作年度报告 -> :class:`gongkai.annual.model.Report`.

``read_path`` / ``read_bytes`` detect the format from the content (magic bytes
first, the file name only as a hint) and dispatch to the text, HTML, DOCX or PDF
reader, which all feed the same row-matching engine (engine.py); JSON and XLSX
written by gongkai go to ``gongkai.annual.jsonio`` and
``gongkai.annual.writers.xlsx``.  Every failure is a :class:`ReadError` with a
one-line Chinese message; nothing else escapes.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from gongkai.annual.model import Report
from gongkai.annual.readers.errors import ReadError, ScannedError

__all__ = ["OCR_MODES", "ReadError", "detect_format", "read_bytes", "read_path"]

MAX_BYTES = 50 * 1024 * 1024

TEXT = "text"
HTML = "html"
DOCX = "docx"
PDF = "pdf"
JSON = "json"
XLSX = "xlsx"
IMAGE = "image"  # JPG, PNG, TIFF: read by OCR only
# ocr="never": no OCR (the default of the library: a web request must not OCR);
# "auto": OCR image-only PDFs and images; "always": OCR every PDF and image.
OCR_MODES = ("auto", "never", "always")

_HTML_TAGS = (b"<html", b"<!doctype html", b"<table", b"<body", b"<p", b"<div", b"<head", b"<meta")


def detect_format(data: bytes, name: str | None = None) -> str:
    """The format of ``data`` by content: pdf, docx, xlsx, json, html or text."""
    head = data[:1024]
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")):
        return IMAGE
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head:
        return PDF
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ReadError("文件是损坏的 ZIP（DOCX/XLSX）文件，无法读取") from exc
        if "word/document.xml" in names:
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
        raise ReadError("ZIP 文件既不是 DOCX 也不是 XLSX，无法读取")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError("旧版 Word/Excel（.doc/.xls）文件不能直接读取，请另存为 DOCX 或 PDF")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:5] == b"{\\rtf":
        raise ReadError("RTF 文件不能直接读取，请另存为 DOCX 或 PDF")
    if stripped[:1] == b"{" and b'"cells"' in data[:1_000_000]:
        return JSON
    lowered = head.lower()
    if any(tag in lowered for tag in _HTML_TAGS) and (
        b"</" in data[:65536].lower() or lowered.lstrip().startswith(b"<")
    ):
        return HTML
    if name and name.lower().endswith((".html", ".htm")) and b"<" in head:
        return HTML
    return TEXT


def read_bytes(data: bytes, *, name: str | None = None, ocr: str = "never") -> Report:
    """Read a report from its bytes; ``name`` (a file name) is only a hint and the source."""
    try:
        return _read_bytes(data, name, ocr)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError("文件太大，内存不足，无法读取") from exc
    except RecursionError as exc:
        raise ReadError("文件结构嵌套过深，无法读取") from exc
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but ReadError escapes
        message = str(exc).strip()
        if message and any("\u4e00" <= ch <= "\u9fff" for ch in message):
            # JSON/XLSX loaders (gongkai's own formats) speak Chinese already.
            raise ReadError(message.splitlines()[0]) from exc
        raise ReadError(f"文件无法读取（{type(exc).__name__}）") from exc


def _read_bytes(data: bytes, name: str | None, ocr: str = "never") -> Report:
    if not data or not data.strip():
        raise ReadError("文件是空的")
    kind = detect_format(data, name)
    if kind == IMAGE or (kind == PDF and ocr == "always"):
        if ocr == "never":
            raise ReadError("图片文件需要文字识别才能读取（未启用文字识别；命令行可用 --ocr auto）")
        from gongkai.annual.ocr.reader import read_scan

        report = read_scan(data, source=name, kind=kind)
    elif kind == PDF:
        from gongkai.annual.readers.pdf import read_pdf

        try:
            report = read_pdf(data, source=name)
        except ScannedError:
            if ocr == "never":
                raise
            from gongkai.annual.ocr.reader import read_scan

            report = read_scan(data, source=name, kind=PDF)
    elif kind == DOCX:
        from gongkai.annual.readers.docx import read_docx

        report = read_docx(data, source=name)
    elif kind == XLSX:
        from gongkai.annual.writers.xlsx import read_xlsx

        report = read_xlsx(data)
    elif kind == JSON:
        from gongkai.annual.jsonio import load_bytes

        report = load_bytes(data)
    elif kind == HTML:
        from gongkai.annual.readers.html import read_html_bytes

        report = read_html_bytes(data, source=name)
    else:
        from gongkai.annual.readers.decode import decode_text
        from gongkai.annual.readers.text import read_text

        report = read_text(decode_text(data), source=name)
    if report.source is None and name:
        report.source = name
    if report.source_format is None:
        report.source_format = kind
    return report


def read_path(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES, ocr: str = "never") -> Report:
    """Read a report file; the size is checked before the file is read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ReadError(f"“{p.name}”不是文件")
        if size > max_bytes:
            raise ReadError(
                f"文件太大：{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.1f} MB"
            )
        with p.open("rb") as fh:
            data = fh.read(min(size, max_bytes) + 1)  # a growing file is still capped
    except FileNotFoundError as exc:
        raise ReadError(f"找不到文件“{p}”") from exc
    except PermissionError as exc:
        raise ReadError(f"没有权限读取文件“{p}”") from exc
    except OSError as exc:
        raise ReadError(f"文件“{p.name}”无法打开（{exc.strerror or type(exc).__name__}）") from exc
    if len(data) > max_bytes:
        raise ReadError(f"文件太大：超过上限 {max_bytes / 1024 / 1024:.1f} MB")
    return read_bytes(data, name=p.name, ocr=ocr)
