"""DOCX reports -> lines for the shared engine.

The body is walked in document order (paragraphs and tables interleaved, as
printed).  Table rows become lines of cells read straight from the WordprocessingML:
each ``w:tc`` once (python-docx's ``row.cells`` repeats a merged cell's object,
which would double count; a ``w:gridSpan`` is one printed cell, and Word
splits columns into slivers freely), and a ``w:vMerge`` continuation is a
blank.  The zip directory is checked before anything is extracted, so a zip
bomb costs nothing.
"""

from __future__ import annotations

import functools
import io
import zipfile

from gongkai.annual.model import Report
from gongkai.annual.readers.engine import Line, build_report
from gongkai.annual.readers.errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
MAX_DOCUMENT_XML = 64 * 1024 * 1024  # uncompressed word/document.xml
MAX_TOTAL = 256 * 1024 * 1024  # all entries, uncompressed
MAX_RATIO = 200  # uncompressed / compressed for any entry over 1 MB


def check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse zip bombs from the directory alone (sizes as declared, before extracting)."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError("DOCX 文件压缩比异常（疑似压缩炸弹），拒绝读取")
        if info.filename == DOCUMENT and info.file_size > MAX_DOCUMENT_XML:
            raise ReadError("DOCX 正文过大，拒绝读取")
    if total > MAX_TOTAL:
        raise ReadError("DOCX 解压后过大，拒绝读取")


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    # Read with a hard limit too: the declared size may lie.
    with zf.open(name) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ReadError("DOCX 正文过大，拒绝读取")
    return data


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables = 0
        self.paragraphs = 0

    def body(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins", W + "smartTag"):
                self.body(child if tag != W + "sdt" else _sdt_content(child))

    def paragraph(self, p) -> None:
        text = _paragraph_text(p)
        for part in text.split("\n"):
            if part.strip():
                self.paragraphs += 1
                self.lines.append(Line(part, f"段落{self.paragraphs}"))

    def table(self, tbl) -> None:
        self.tables += 1
        number = self.tables
        nested = []
        for r, tr in enumerate(tbl.iter(W + "tr"), start=1):
            if _parent_table(tr) is not tbl:
                continue
            cells: list[str] = []
            for tc in tr.iterchildren(W + "tc", W + "sdt"):
                if tc.tag == W + "sdt":
                    tcs = list(_sdt_content(tc).iterchildren(W + "tc"))
                else:
                    tcs = [tc]
                for cell in tcs:
                    text = "" if _continued(cell) else _cell_text(cell, nested)
                    cells.append(text)  # a gridSpan is one cell, not extra blanks
            if any(c.strip() for c in cells):
                self.lines.append(Line("\t".join(cells), f"表格{number} 第{r}行", cells, number))
        for inner in nested:
            self.table(inner)


def _sdt_content(sdt):
    content = sdt.find(W + "sdtContent")
    return content if content is not None else []


def _parent_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


def _continued(tc) -> bool:
    """A ``w:vMerge`` continuation: the cell above extends into this row."""
    # Plain child loops: lxml's find() runs ElementPath in Python, per cell.
    for pr in tc:
        if pr.tag == _TC_PR:
            for vm in pr:
                if vm.tag == _V_MERGE:
                    return vm.get(_VAL, "continue") != "restart"
            return False
    return False


_TC_PR = W + "tcPr"
_V_MERGE = W + "vMerge"
_VAL = W + "val"
# Deleted text (w:delText) is not printed: not selected.
_RUN_TEXT = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


@functools.cache  # compiled once, on the first DOCX (lxml is imported lazily)
def _run_xpath():
    from lxml import etree

    return etree.XPath(
        "descendant::w:t/text() | descendant::w:tab | descendant::w:br"
        " | descendant::w:cr | descendant::w:noBreakHyphen",
        namespaces={"w": W[1:-1]},
        smart_strings=False,
    )


def _paragraph_text(p) -> str:
    # One compiled XPath in document order: the text of w:t, and the elements
    # that print a tab, a line break or a hyphen.
    return "".join(
        part if isinstance(part, str) else _RUN_TEXT[part.tag] for part in _run_xpath()(p)
    )


def _cell_text(tc, nested: list) -> str:
    parts = []
    for child in tc:
        if child.tag == W + "p":
            parts.append(_paragraph_text(child).replace("\t", " ").replace("\n", " "))
        elif child.tag == W + "tbl":
            nested.append(child)
        elif child.tag == W + "sdt":
            for p in _sdt_content(child).iter(W + "p"):
                parts.append(_paragraph_text(p).replace("\t", " ").replace("\n", " "))
    return " ".join(" ".join(parts).split())


def docx_lines(data: bytes) -> list[Line]:
    from lxml import etree

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("DOCX 文件已损坏，无法读取") from exc
    with zf:
        check_zip(zf)
        if DOCUMENT not in zf.namelist():
            raise ReadError("DOCX 文件缺少正文（word/document.xml），无法读取")
        try:
            xml = _read_member(zf, DOCUMENT, MAX_DOCUMENT_XML)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            if "encrypted" in str(exc).lower() or "password" in str(exc).lower():
                raise ReadError("DOCX 文件设有密码，无法读取") from exc
            raise ReadError("DOCX 文件已损坏，无法读取") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError("DOCX 正文不是有效的 XML，无法读取") from exc
    body = root.find(W + "body")
    if body is None:
        raise ReadError("DOCX 文件没有正文，无法读取")
    walker = _Walker()
    walker.body(body)
    return walker.lines


def read_docx(data: bytes, *, source: str | None = None) -> Report:
    """Read a report from DOCX bytes."""
    return build_report(docx_lines(data), source=source, source_format="docx")
