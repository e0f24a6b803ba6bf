"""From a body's 年度报告 column page to the report of a year (and to its attachment).

A column page (栏目页) lists the body's reports as links, usually with a date
beside each.  ``find_report`` picks the link whose text names the year asked
("2024年度政府信息公开工作年度报告"), fetches it, and when that page holds no
report itself but links an attachment (PDF, Word, image), follows the
attachment.  The listing's date beside the link (or the 发布时间 printed on the
report page) is the publication date (条例第四十九条).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from datetime import date

from gongkai.annual.web.fetch import Fetcher, FetchError, Response

ATTACHMENT_SUFFIXES = (
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".tif",
    ".tiff",
)
_REPORT_WORDS = ("年度报告", "年报")
_YEAR_RE = re.compile(r"(20\d\d)\s*年")
_DATE_RE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PUBLISHED_RE = re.compile(
    r"(?:发布|公布|发文|成文|印发)?(?:时间|日期)\s*[:：]?\s*(20\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)


class NotFound(FetchError):
    """The column page has no report of the year asked (the message says what it has)."""


@dataclass
class Document:
    url: str  # the document that holds the report
    data: bytes
    name: str  # a file-name hint for the reader
    published_on: date | None = None
    page_url: str | None = None  # the report's page, when the document is its attachment
    from_cache: bool = False


def _name(url: str) -> str:
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return path.rsplit("/", 1)[-1] or "index.html"


def looks_html(response: Response) -> bool:
    ctype = response.content_type.lower()
    if "html" in ctype:
        return True
    head = response.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<" in head[:1]
        and b"</" in response.body[:65536].lower()
        and not ctype.startswith("application/")
    )


def decode_page(response: Response) -> str:
    from gongkai.annual.readers.decode import decode_text

    charset = response.charset
    if charset:
        if charset in ("gb2312", "gbk", "x-gbk"):
            charset = "gb18030"  # the superset: a GBK page with a rare character still decodes
        try:
            return response.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(response.body, html=True)


def _parse_date(text: str) -> date | None:
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass
class _Link:
    url: str
    text: str
    context: str  # the text of the list item / row around the link


def _links(response: Response) -> list[_Link]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_page(response), "lxml")
    base = response.final_url
    tag = soup.find("base", href=True)
    if tag is not None:
        base = urllib.parse.urljoin(base, tag["href"])
    out = []
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urllib.parse.urljoin(base, href)
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            continue
        text = " ".join((a.get_text(" ") + " " + (a.get("title") or "")).split())
        holder = a.find_parent(["li", "tr", "dd", "p"]) or a.parent
        context = " ".join(holder.get_text(" ").split()) if holder is not None else text
        out.append(_Link(url.split("#", 1)[0], text, context[:300]))
    return out


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR_RE.findall(text)}


def _report_links(links: list[_Link]) -> list[_Link]:
    return [ln for ln in links if any(w in ln.text for w in _REPORT_WORDS)]


def find_report(fetcher: Fetcher, column_url: str, year: int) -> Document:
    """The report of ``year`` linked from the column page at ``column_url``."""
    page = fetcher.get(column_url)
    if not looks_html(page):
        return Document(
            page.final_url, page.body, _name(page.final_url), from_cache=page.from_cache
        )
    reports = _report_links(_links(page))
    wanted = [ln for ln in reports if year in _years(ln.text)]
    if not wanted:
        if _page_is_report(page, year):
            return Document(
                page.final_url,
                page.body,
                _name(page.final_url),
                published_on=_published_on_page(page),
                from_cache=page.from_cache,
            )
        others = sorted({y for ln in reports for y in _years(ln.text)}, reverse=True)
        if others:
            listed = "、".join(str(y) for y in others[:5])
            raise NotFound(
                f"栏目页上没有{year}年度的年度报告（只找到 {listed} 年度的）", url=column_url
            )
        raise NotFound("栏目页上没有找到年度报告的链接（请检查栏目地址）", url=column_url)
    # The government's own report before a department's, 政府信息公开 before 政务公开.
    wanted.sort(key=lambda ln: ("政府信息公开" not in ln.text, len(ln.text)))
    link = wanted[0]
    published = _parse_date(link.context.replace(link.text, " "))
    return open_report(fetcher, link.url, year=year, published_on=published)


def open_report(
    fetcher: Fetcher, url: str, *, year: int | None = None, published_on: date | None = None
) -> Document:
    """The report at ``url``: the page itself, or the one attachment it links."""
    response = fetcher.get(url)
    if not looks_html(response):
        return Document(
            response.final_url,
            response.body,
            _name(response.final_url),
            published_on=published_on,
            from_cache=response.from_cache,
        )
    published_on = published_on or _published_on_page(response)
    if _has_report_tables(response):
        return Document(
            response.final_url,
            response.body,
            _name(response.final_url),
            published_on=published_on,
            from_cache=response.from_cache,
        )
    attachments = _attachments(_links(response))
    if not attachments:
        # Not a report and nothing to follow: let the reader say what it is.
        return Document(
            response.final_url,
            response.body,
            _name(response.final_url),
            published_on=published_on,
            from_cache=response.from_cache,
        )
    if len(attachments) > 1 and year is not None:
        named = [a for a in attachments if year in _years(a.text)]
        attachments = named or attachments
    chosen = attachments[0]
    doc = fetcher.get(chosen.url)
    return Document(
        doc.final_url,
        doc.body,
        _name(doc.final_url),
        published_on=published_on,
        page_url=response.final_url,
        from_cache=doc.from_cache and response.from_cache,
    )


def _attachments(links: list[_Link]) -> list[_Link]:
    seen: dict[str, _Link] = {}
    for ln in links:
        path = urllib.parse.urlsplit(ln.url).path.lower()
        if path.endswith(ATTACHMENT_SUFFIXES) or "附件" in ln.text or "下载" in ln.text:
            seen.setdefault(ln.url, ln)
    return list(seen.values())


# Labels printed in the report's tables (国办公开办函〔2021〕30号 and the 2019 format):
# a page that carries several of them holds the report itself, not just a link to it.
_TABLE_MARKERS = (
    "本年新收",
    "上年结转",
    "予以公开",
    "结果维持",
    "本年制发件数",
    "本年处理决定数量",
)
_TAG_RE = re.compile(r"<[^>]*>|\s+")


def _has_report_tables(response: Response) -> bool:
    """Cheap: the report's table labels in the page's text (the reader runs later, once)."""
    text = _TAG_RE.sub("", decode_page(response))
    return sum(1 for marker in _TABLE_MARKERS if marker in text) >= 3


def _page_is_report(response: Response, year: int | None) -> bool:
    from gongkai.annual.readers import ReadError, read_bytes

    try:
        report = read_bytes(response.body, name=_name(response.final_url))
    except ReadError:
        return False
    if not report.cells:
        return False
    return year is None or report.year in (None, year)


def _published_on_page(response: Response) -> date | None:
    from bs4 import BeautifulSoup

    text = " ".join(BeautifulSoup(decode_page(response), "lxml").get_text(" ").split())
    m = _PUBLISHED_RE.search(text)
    return _parse_date(m.group(1)) if m else None
