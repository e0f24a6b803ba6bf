"""PDF reports with a text layer (pdfplumber): page text lines -> the shared engine.

First pass: one ``extract_text`` per page and nothing more.  The text lines
keep every label and number in reading order, and the engine pairs numbers
that a wrapped label pushed onto a line of their own; for a clean report this
costs what the extraction costs.

Second pass, only when the first could not place every value (a row printed
with blank cells, numbers it could not tie to a row): the ruled tables of each
page (``find_tables``) become lines of cells, blanks kept in their columns,
with the text above, between and below them in order.  The pass that reads
more cells wins.
"""

from __future__ import annotations

import io
import logging
import re

from gongkai.annual.model import Report
from gongkai.annual.readers.engine import Line, build_report
from gongkai.annual.readers.errors import ReadError, ScannedError

MAX_PAGES = 300

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_MSG_ENCRYPTED = "PDF 文件设有密码或加密，无法读取"
_MSG_BROKEN = "PDF 文件已损坏或不完整，无法读取"
_MSG_SCANNED = (
    "PDF 是扫描件：页面是图片，没有可读取的文字层（未启用文字识别），"
    "请上传带文字层的 PDF，或 Word、网页版本；命令行可用 --ocr auto 识别扫描件"
)
# A page of a text PDF carries hundreds of characters; a scan with a typed
# header or page number carries a few dozen.
_SCANNED_CHARS_PER_PAGE = 80
# Notes that say the text pass left values it could not place.
_NEEDS_TABLES = frozenset({"row_values_mismatch", "values_unplaced", "values_wrapped"})
_DIGITS_RE = re.compile(r"[\d,.\s]+")


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReadError(_MSG_ENCRYPTED) from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        if _is_password_error(exc) or "password" in str(exc).lower():
            raise ReadError(_MSG_ENCRYPTED) from exc
        raise ReadError(_MSG_BROKEN) from exc


def _guard(fn, *args):
    try:
        return fn(*args)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - a truncated stream fails late, page by page
        if _is_password_error(exc):
            raise ReadError(_MSG_ENCRYPTED) from exc
        raise ReadError(_MSG_BROKEN) from exc


def _text_lines(page, pno: int, top: float | None = None, bottom: float | None = None):
    region = page
    if top is not None or bottom is not None:
        x0, y0, x1, y1 = page.bbox
        top = y0 if top is None else max(y0, min(top, y1))
        bottom = y1 if bottom is None else max(top, min(bottom, y1))
        if bottom - top < 1:
            return []
        region = page.crop((x0, top, x1, bottom))
    text = region.extract_text() or ""
    return text.splitlines()


def _pass_text(pages) -> list[Line]:
    lines: list[Line] = []
    for pno, page in enumerate(pages, start=1):
        page_lines = _text_lines(page, pno)
        _drop_page_number(page_lines, pno)
        lines.extend(Line(raw, f"第{pno}页 第{lno}行") for lno, raw in enumerate(page_lines, 1))
    return lines


def _pass_tables(pages) -> list[Line]:
    lines: list[Line] = []
    for pno, page in enumerate(pages, start=1):
        tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
        if not tables:
            page_lines = _text_lines(page, pno)
            _drop_page_number(page_lines, pno)
            lines.extend(Line(raw, f"第{pno}页 第{n}行") for n, raw in enumerate(page_lines, 1))
            continue
        y = page.bbox[1]
        n_text = 0
        for number, table in enumerate(tables, start=1):
            top, bottom = table.bbox[1], table.bbox[3]
            if top < y:  # overlapping / nested: the outer one was read
                continue
            for raw in _text_lines(page, pno, y, top):
                n_text += 1
                lines.append(Line(raw, f"第{pno}页 第{n_text}行"))
            for r, row in enumerate(table.extract(), start=1):
                # None marks a position covered by a merged cell: not a cell of its own
                cells = [_cell(c) for c in row if c is not None]
                if any(cells):
                    where = f"第{pno}页 表格{number} 第{r}行"
                    lines.append(Line("\t".join(cells), where, cells, pno * 1000 + number))
            y = bottom
        tail = _text_lines(page, pno, y, None)
        _drop_page_number(tail, pno)
        for raw in tail:
            n_text += 1
            lines.append(Line(raw, f"第{pno}页 第{n_text}行"))
    return lines


def _cell(text: str | None) -> str:
    text = text or ""
    if "\n" in text and _DIGITS_RE.fullmatch(text):
        return "".join(text.split())  # "1234\n5": a number wrapped in a narrow cell
    return " ".join(text.split())


def pdf_lines(data: bytes) -> list[Line]:
    """The text lines of every page (the first pass)."""
    pdf = _open(data)
    with pdf:
        pages = _check_pages(pdf)
        return _guard(_pass_text, pages)


def _check_pages(pdf):
    pages = _guard(lambda: pdf.pages)
    if len(pages) > MAX_PAGES:
        raise ReadError(f"PDF 页数太多（{len(pages)} 页，上限 {MAX_PAGES} 页）")
    return pages


def read_pdf(data: bytes, *, source: str | None = None) -> Report:
    pdf = _open(data)
    with pdf:
        pages = _check_pages(pdf)
        lines = _guard(_pass_text, pages)
        if not any(ln.text.strip() for ln in lines):
            raise ScannedError(_MSG_SCANNED)
        first: Report | None = None
        problem: ReadError | None = None
        try:
            first = build_report(lines, source=source, source_format="pdf")
        except ReadError as exc:
            problem = exc
        if (first is None or not first.cells) and _guard(_scanned, pages, lines):
            # pages of pictures with at most a typed header: the tables are images
            raise ScannedError(_MSG_SCANNED)
        if first is not None and not _needs_tables(first):
            return first
        table_lines = _guard(_pass_tables, pages)
        try:
            second = build_report(table_lines, source=source, source_format="pdf")
        except ReadError:
            if first is None:
                assert problem is not None
                raise problem from None
            return first
    if first is None or len(second.cells) + len(second.raw) > len(first.cells) + len(first.raw):
        return second
    return first


def _scanned(pages, lines: list[Line]) -> bool:
    """Every page is (mostly) a picture and the text layer is next to nothing."""
    chars = sum(len("".join(ln.text.split())) for ln in lines)
    if chars > _SCANNED_CHARS_PER_PAGE * len(pages):
        return False
    return all(page.images for page in pages)


def _needs_tables(report: Report) -> bool:
    if any(n.code in _NEEDS_TABLES for n in report.notes):
        return True
    unread = [k for k in report.missing_keys() if k not in report.raw]
    return bool(report.cells) and bool(unread)


_BARE_NUMBER_RE = re.compile(r"^\s*[-—–]?\s*(\d{1,4})\s*[-—–]?\s*$")


def _drop_page_number(page_lines: list[str], pno: int) -> None:
    """Blank a footer/header line that is only the page number (give or take a cover page)."""
    for at in (-1, 0):
        while page_lines and not page_lines[at].strip():
            page_lines.pop(at)
        if not page_lines:
            return
        m = _BARE_NUMBER_RE.match(page_lines[at])
        if m and abs(int(m.group(1)) - pno) <= 2:
            page_lines[at] = ""


def _is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PDFPasswordIncorrect):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
