"""Scanned reports -> Report: image-only PDFs and page images (JPG, PNG, TIFF).

Each page is rendered (PDF) or decoded (image), straightened, its ruled tables
rebuilt cell by cell and every text read by the OCR engine (page.py); the
lines then go through the same row-matching engine as every other format, so
the cells land in the same canonical keys.

Nothing read by OCR is trusted silently (docs/annual-ocr.md):

- every cell keeps the recogniser's confidence (``Report.confidence``);
- a cell below ``LOW_CONFIDENCE`` is a warning ``ocr_low_confidence``;
- when a sum of the table's own arithmetic fails and OCR-read cells take part,
  a warning ``ocr_arithmetic`` names the least certain of them as the likely
  misread.  The arithmetic only points at a cell; it never fills in or
  corrects a value.
- text the recogniser returned that is not a number stays in ``raw`` and the
  cell stays missing -- never 0.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal

from gongkai.annual.model import ERROR, WARNING, Finding, Report
from gongkai.annual.readers.engine import Line, build_report, parse_value
from gongkai.annual.readers.errors import ReadError

MAX_PAGES = 60
# Render scale for PDF pages: 200 dpi keeps 五号 table digits well above the
# recogniser's comfort size without making the detector's input huge.
PDF_DPI = 200
LOW_CONFIDENCE = 0.7
MAX_PIXELS = 60_000_000  # a decompression bomb is refused, not decoded

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")

_MSG_NOTHING = (
    "扫描件经文字识别后仍没有找到年度报告的章节或统计表（图片可能太模糊，或不是年度报告）"
)
_WHERE_RE = re.compile(r"^第(\d+)页 表格(\d+) 第(\d+)行$")


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC)


def _image_pages(data: bytes) -> Iterator:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if n > MAX_PAGES:
                raise ReadError(f"图片页数太多（上限 {MAX_PAGES} 页）")
            if frame.width * frame.height > MAX_PIXELS:
                raise ReadError("图片像素太多，无法读取")
            yield frame.convert("L")
    except ReadError:
        raise
    except Image.DecompressionBombError as exc:
        raise ReadError("图片像素太多，无法读取") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError("图片文件已损坏或格式不支持，无法读取") from exc


def _pdf_pages(data: bytes) -> Iterator:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError("PDF 文件已损坏、不完整或设有密码，无法读取") from exc
    try:
        if len(pdf) > MAX_PAGES:
            raise ReadError(f"扫描件页数太多（{len(pdf)} 页，文字识别上限 {MAX_PAGES} 页）")
        for page in pdf:
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=render_scale(width, height), grayscale=True)
                yield bitmap.to_pil().convert("L")
            finally:
                page.close()
    finally:
        pdf.close()


def render_scale(width_pt: float, height_pt: float) -> float:
    """PDF_DPI, or less for an outsized page, so that no page exceeds MAX_PIXELS."""
    scale = PDF_DPI / 72
    pixels = max(1.0, width_pt * height_pt) * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return scale


def page_lines(pages: Iterator) -> tuple[list[Line], dict[str, list[float | None]], int]:
    """OCR every page: engine lines, the cell confidences of each table row, page count."""
    from gongkai.annual.ocr.page import read_page, to_gray
    from gongkai.annual.ocr.recognizer import recognizer

    engine = recognizer()
    lines: list[Line] = []
    confidences: dict[str, list[float | None]] = {}
    count = 0
    for pno, image in enumerate(pages, start=1):
        count = pno
        n_text = 0
        for pl in read_page(to_gray(image), engine):
            if pl.cells is not None:
                where = f"第{pno}页 表格{pl.table} 第{pl.row}行"
                lines.append(Line(pl.text, where, list(pl.cells)))
                confidences[where] = list(pl.cell_confidence or [])
            else:
                n_text += 1
                where = f"第{pno}页 第{n_text}行"
                lines.append(Line(pl.text, where))
                confidences[where] = [pl.confidence]
    return lines, confidences, count


def read_scan(data: bytes, *, source: str | None = None, kind: str = "pdf") -> Report:
    """OCR a scanned PDF (kind "pdf") or an image file (kind "image")."""
    pages = _pdf_pages(data) if kind == "pdf" else _image_pages(data)
    lines, confidences, _ = page_lines(pages)
    return report_from_lines(lines, confidences, source=source, kind=kind)


def report_from_lines(
    lines: list[Line],
    confidences: dict[str, list[float | None]],
    *,
    source: str | None = None,
    kind: str = "pdf",
) -> Report:
    """The engine's report from OCR lines, with confidences and OCR warnings."""
    if not any(ln.text.strip() for ln in lines):
        raise ReadError(_MSG_NOTHING)
    try:
        report = build_report(lines, source=source, source_format=kind)
    except ReadError as exc:
        raise ReadError(_MSG_NOTHING) from exc
    report.source_format = kind
    _attach_confidence(report, lines, confidences)
    _warn(report)
    return report


def _attach_confidence(
    report: Report, lines: list[Line], confidences: dict[str, list[float | None]]
) -> None:
    """Report.confidence: each cell's score, found through the row it was read from."""
    order = {key: i for i, key in enumerate(report.expected_keys() or list(report.cells))}
    keys_of: dict[str, list[str]] = {}
    for key in report.cells:
        where = report.provenance.get(key)
        if where in confidences:
            keys_of.setdefault(where, []).append(key)
    cells_of = {ln.where: ln.cells for ln in lines}
    confidence: dict[str, float] = {}
    for where, keys in keys_of.items():
        scores = confidences[where]
        cells = cells_of.get(where)
        if cells is None:  # a text line: the line's own confidence
            for key in keys:
                confidence[key] = round(float(scores[0] or 0.0), 3)
            continue
        keys.sort(key=lambda k: order.get(k, len(order)))
        numeric = [
            (text, s)
            for text, s in zip(cells, scores, strict=False)
            if s is not None and _number(text) is not None
        ]
        if len(numeric) == len(keys) and all(
            _same(text, report.cells[k]) for k, (text, _) in zip(keys, numeric, strict=True)
        ):
            for key, (_, s) in zip(keys, numeric, strict=True):
                confidence[key] = round(float(s), 3)
            continue
        for key in keys:  # not one value per cell: the least certain cell of the same text
            matches = [s for text, s in numeric if _same(text, report.cells[key])]
            known = [s for s in scores if s is not None]
            best = min(matches) if matches else (min(known) if known else 0.0)
            confidence[key] = round(float(best), 3)
    report.confidence = confidence


def _number(text: str):
    parsed = parse_value(text.strip()) if text.strip() else None
    return None if parsed is None else parsed.number


def _same(text: str, value) -> bool:
    number = _number(text)
    if number is None:
        return False
    return Decimal(str(number)) == Decimal(str(value))


def _warn(report: Report) -> None:
    """Low-confidence cells, and OCR-read cells in sums that do not hold: warnings."""
    from gongkai.annual import rules

    for key, score in sorted(report.confidence.items()):
        if score < LOW_CONFIDENCE:
            report.notes.append(
                Finding(
                    "ocr_low_confidence",
                    WARNING,
                    f"文字识别对 {key} 读出的「{report.cells[key]}」把握不大（置信度 {score:.2f}），请对照原件核对",
                    (key,),
                    report.provenance.get(key),
                )
            )
    seen: set[str] = set()
    for finding in rules.check(report):
        if finding.severity != ERROR or not finding.cells:
            continue
        read = [k for k in finding.cells if k in report.confidence]
        if not read:
            continue
        suspect = min(read, key=lambda k: (report.confidence[k], k))
        if suspect in seen:
            continue
        seen.add(suspect)
        report.notes.append(
            Finding(
                "ocr_arithmetic",
                WARNING,
                f"{finding.message.rstrip('。')}。这些数字由文字识别读出，可能有误读："
                f"最不确定的是 {suspect}「{report.cells[suspect]}」（置信度 "
                f"{report.confidence[suspect]:.2f}），请对照原件核对；本系统不会据此改动数字",
                tuple(read),
                report.provenance.get(suspect),
            )
        )


def where_page(where: str) -> int | None:
    m = _WHERE_RE.match(where)
    return int(m.group(1)) if m else None
