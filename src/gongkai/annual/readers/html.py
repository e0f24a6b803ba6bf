"""HTML reports (government CMS pages) -> lines for the shared engine.

Text outside tables becomes one line per block element (p, div, h1-h6, li,
br).  A data table becomes one line of cells per row: one entry per cell that
covers the row -- its text in the row where it starts, a blank in the rows a
rowspan carries it into; a colspan is one cell, never extra blanks (Word and
CMS exports split columns into slivers that a reader must not count).  A layout table (one that
holds tables in its cells) is read as blocks, so nested report tables are
found wherever the CMS put them.
"""

from __future__ import annotations

import re

from gongkai.annual.model import Report
from gongkai.annual.readers.decode import decode_text
from gongkai.annual.readers.engine import Line, build_report
from gongkai.annual.readers.errors import ReadError

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SPLIT_RE = re.compile(r"\s*[_|｜]\s*|\s+[-—]+\s+")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

MAX_SPAN = 100  # a colspan/rowspan larger than any report table: clamp
MAX_CELLS = 200_000

_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "iframe", "object"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "center",
        "body",
        "html",
        "form",
        "fieldset",
        "caption",
        "title",
        "hr",
        "address",
        "figure",
        "figcaption",
        "nav",
        "aside",
    }
)


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.tables = 0
        self.paragraphs = 0
        self.cells = 0

    def flush(self) -> None:
        text = "".join(self.buf).replace("\t", " ")
        self.buf = []
        for part in text.split("\n"):
            if part.strip():
                self.paragraphs += 1
                self.lines.append(Line(" ".join(part.split()), f"段落{self.paragraphs}"))

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag in _SKIP:
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.buf.append("\n")
            return
        block = tag in _BLOCK or tag in ("tr", "td", "th", "tbody", "thead", "tfoot")
        if block:
            self.flush()
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()

    def table(self, table) -> None:
        rows = _rows(table)
        nested = next(table.iterdescendants("table"), None) is not None
        if nested and any(_has_table(cell) for row in rows for cell in row):
            for row in rows:  # a layout table: its cells are blocks
                for cell in row:
                    self.walk(cell)
                    self.flush()
            return
        self.tables += 1
        # grid[r][c] = (origin row, origin column, text) of the cell covering (r, c)
        grid: list[dict[int, tuple[int, int, str]]] = []
        count = self.cells
        for r, row in enumerate(rows):
            if len(grid) <= r:
                grid.append({})
            covered = grid[r]
            c = 0
            for cell in row:
                while c in covered:
                    c += 1
                colspan = cell.get("colspan")
                rowspan = cell.get("rowspan")
                if colspan is None and rowspan is None:  # most cells: one grid slot
                    covered[c] = (r, c, _cell_text(cell))
                    count += 1
                    if count > MAX_CELLS:
                        raise ReadError("HTML 表格过大，无法读取")
                    c += 1
                    continue
                colspan = 1 if colspan is None else _span(colspan)
                rowspan = 1 if rowspan is None else _span(rowspan)
                entry = (r, c, _cell_text(cell))
                while len(grid) < r + rowspan:
                    grid.append({})
                for dr in range(rowspan):
                    below = grid[r + dr]
                    for dc in range(colspan):
                        below[c + dc] = entry
                count += rowspan * colspan
                if count > MAX_CELLS:
                    raise ReadError("HTML 表格过大，无法读取")
                c += colspan
        self.cells = count
        for r, covered in enumerate(grid):
            # One entry per cell covering the row: its text where it starts, a
            # blank where a rowspan from above covers it.  A colspan is one
            # printed cell, not blanks (CMS and Word exports add sliver columns).
            cells: list[str] = []
            seen: set[int] = set()  # one entry object per cell (its origin is unique)
            for _, entry in sorted(covered.items()):
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                cells.append(entry[2] if entry[0] == r else "")
            if any(cells):
                self.lines.append(
                    Line("\t".join(cells), f"表格{self.tables} 第{r + 1}行", cells, self.tables)
                )


_TAG_CACHE: dict[str, str] = {}


def _tag(el) -> str:
    tag = el.tag
    if tag.__class__ is not str:
        return ""  # comments, processing instructions
    name = _TAG_CACHE.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1].lower()
        if len(_TAG_CACHE) < 1000:  # tag names of hostile input must not grow it forever
            _TAG_CACHE[tag] = name
    return name


def _span(value) -> int:
    if value.isascii() and value.isdigit():  # the common case, without an exception
        return min(max(int(value), 1), MAX_SPAN)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), MAX_SPAN)


def _rows(table) -> list[list]:
    """The rows of a table (not of nested tables), each a list of td/th elements."""
    rows = []
    stack = list(table)
    stack.reverse()
    while stack:
        el = stack.pop()
        tag = _tag(el)
        if tag == "tr":
            rows.append(list(el.iterchildren("td", "th")))  # the HTML parser lowercases tags
        elif tag in ("tbody", "thead", "tfoot"):
            stack.extend(reversed(list(el)))
    return rows


def _has_table(cell) -> bool:
    if not len(cell):
        return False
    return any(_tag(d) == "table" for d in cell.iterdescendants())


def _cell_text(cell) -> str:
    if not len(cell):  # no child elements: most cells
        return " ".join(cell.text.split()) if cell.text else ""
    parts: list[str] = []

    def collect(el) -> None:
        tag = _tag(el)
        if tag in _SKIP:
            return
        if tag == "br" or tag in _BLOCK:
            parts.append(" ")  # <p>1</p><p>2</p> is not 12
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(cell)
    return " ".join("".join(parts).split())


_C0_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _clean_utf8(text: str) -> bytes | None:
    """``text`` as UTF-8 when it holds nothing ``_CONTROL_RE`` removes, else None.

    The same test as the regex, at C speed: the regex scans a page char by char.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if len(data.translate(None, _C0_BYTES)) != len(data):
        return None
    if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:  # U+FFFE, U+FFFF
        return None
    return data


def html_lines(text: str) -> list[Line]:
    from lxml import etree

    if not text.strip():
        raise ReadError("文件是空的")
    text = _XML_DECL_RE.sub("", text, count=1)
    data = _clean_utf8(text)
    if data is None:  # control characters or lone surrogates: remove them (rare)
        text = _CONTROL_RE.sub("", text)
        data = text.encode("utf-8")
    if not text.strip():
        raise ReadError("文件是空的")
    try:
        # Plain lxml.etree elements: lxml.html's element classes cost a lookup per
        # element and nothing here needs their methods.  UTF-8 bytes with the
        # encoding given: the text is decoded already, a <meta charset> must not count.
        parser = etree.HTMLParser(
            remove_comments=True, no_network=True, huge_tree=False, encoding="utf-8"
        )
        root = etree.fromstring(data, parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ReadError("HTML 无法解析") from exc
    if root is None:
        raise ReadError("HTML 无法解析")
    walker = _Walker()
    title = _page_title(root)
    if title:
        walker.lines.append(Line(title, "网页标题"))
    walker.walk(root)
    walker.flush()
    return walker.lines


def _page_title(root) -> str:
    """The report's name from <title>, without the site name CMS pages append."""
    node = root.find(".//title")
    text = "".join(node.itertext()) if node is not None else ""
    if not text:
        return ""
    parts = _TITLE_SPLIT_RE.split(" ".join(text.split()))
    return next((p for p in parts if "报告" in p), "")


def read_html(text: str, *, source: str | None = None) -> Report:
    """Read a report from an HTML page (str)."""
    return build_report(html_lines(text), source=source, source_format="html")


def read_html_bytes(data: bytes, *, source: str | None = None) -> Report:
    return read_html(decode_text(data, html=True), source=source)
