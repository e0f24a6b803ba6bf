"""The demo as an assessor reads it: every public page of every demo body, reached
by following links from the portal's home page, answers, speaks Chinese, shows no
full ID number, and has no numbered section left empty; and the records behind
the pages are coherent (no 公示期 before publication, every list names the people
it announces with their ID numbers masked, every body's own column filled)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.consultations.models import Consultation
from gongkai.demo import load_demo
from gongkai.disclosure.demo import FIGURE_ALT
from gongkai.disclosure.models import Item
from gongkai.inquiries.models import Inquiry
from gongkai.organizations.models import NewMediaAccount
from gongkai.privacy import ID_CARD, scan

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

TODAY = dt.date(2026, 11, 26)

# Not pages a visitor reads: the back office, machine formats, downloads, the
# care-mode switch (it only sets a cookie), and the developers' API manual,
# which names JSON fields and HTTP headers on purpose.
SKIP = re.compile(
    r"^/(backoffice|accounts|admin|static|media|api/|care/)"
    r"|/feed/|\.json$|\.(docx|xlsx|pdf|csv|xml|png|svg)$|/attachments/|/qr"
)
# File formats a Chinese visitor reads as such on a download link ("Word 文档",
# "PDF 版"); anything else in Latin letters is English on a Chinese page.
ALLOWED_WORDS = {"Word", "Excel", "PDF"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# URLs, e-mail and host names are addresses, not words.
ADDRESS = re.compile(r"(https?://|www\.)\S+|[\w.+-]+@[\w.-]+|\b[\w-]+(\.[\w-]+)+\b")
# A numbered heading: 一、… / （一）… / 第一条 is prose, not a heading.
HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。；，：:]{1,30}$"
)


class _Text(HTMLParser):
    """The text a visitor sees, line by line (no script, style or code)."""

    SKIPPED = {"script", "style", "code", "template"}
    BREAKS = {
        "p",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "dt",
        "dd",
        "section",
        "pre",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        if tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [line.strip() for line in text.split("\n") if line.strip()]


def _empty_sections(lines: list[str]) -> list[str]:
    """Headings directly followed by another heading of the same numbering, or
    closing the page: a section announced with nothing under it."""
    found = []
    for i, line in enumerate(lines):
        if not HEADING.match(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        # 一、 and （一） are two levels: a 一、 heading may open with its （一）.
        same_level = HEADING.match(following) and line.startswith("（") == following.startswith(
            "（"
        )
        if not following or same_level:
            found.append(line)
    return found


def test_empty_section_check_finds_a_heading_without_text():
    assert _empty_sections(["一、部门职责", "二、收支预算", "收入1万元。"]) == ["一、部门职责"]
    assert _empty_sections(["一、部门职责", "负责本镇工作。", "（一）收入", "1万元"]) == []
    assert _empty_sections(["第一条 为规范工作，制定本办法。"]) == []


def _crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Every public HTML page reachable from ``start`` → its visible lines."""
    pages: dict[str, list[str]] = {}
    broken: list[str] = []
    queue, seen = list(start), set(start)
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200:
            broken.append(f"{url} → {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        pages[url] = parser.lines()
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if target.scheme not in ("http", "") or target.netloc not in ("", "testserver"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path not in seen and not SKIP.search(target.path):
                seen.add(path)
                queue.append(path)
    assert broken == []
    return pages


@pytest.fixture
def demo():
    # The test runs on the demo's day: the running 公示 are counted from it.
    with time_machine.travel(dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC), tick=False):
        yield load_demo()


def test_every_public_page_reads_as_a_real_body(demo):
    # From the home page; a search and the service-hall screens are reached by
    # a form and a screen's own address, not by a link.
    start = ["/", "/search/?q=补贴", *(f"/screen/{o.slug}/" for o in demo.organizations)]
    # The 收费 and 建议提案 pages of the bodies that have them: the government's seed
    # catalogue shows them inside a category, so they are also read at their own address.
    start += [
        f"/{o.slug}/{p}/" for o in (demo.district, demo.minzheng) for p in ("fees", "proposals")
    ]
    pages = _crawl(Client(), start)
    # The walk reached every body's columns and the records' own pages.
    for org in demo.organizations:
        for column in ("", "items/", "guide/", "catalogue/", "interpretations/", "reports/",
                       "inquiries/", "consultations/", "apply/"):  # fmt: skip
            assert f"/{org.slug}/{column}" in pages
    published = Item.objects.filter(status=Item.Status.PUBLISHED, attribute="proactive")
    for item in published:
        assert f"/{item.organization.slug}/items/{item.pk}/" in pages
    for q in Inquiry.objects.filter(status="published"):
        assert f"/{q.organization.slug}/inquiries/{q.pk}/" in pages
    assert len(pages) > 200

    # The columns added for issue #11: 失效文件清单, 三项清单, 机构概况, 公开制度,
    # reached by links.
    for org in demo.organizations:
        for column in ("void/", "lists/", "lists/proactive/", "lists/on_request/",
                       "lists/withheld/", "profile/", "rules/"):  # fmt: skip
            assert f"/{org.slug}/{column}" in pages, (org.slug, column)

    # A 政务新媒体 account's ID (微信号) is an address a reader types, not a word.
    accounts = set(NewMediaAccount.objects.values_list("account_id", flat=True))
    english, empty, ids = {}, {}, {}
    for url, lines in pages.items():
        text = "\n".join(lines)
        words = set(ENGLISH_WORD.findall(ADDRESS.sub(" ", text))) - ALLOWED_WORDS - accounts
        if words:
            english[url] = sorted(words)
        if sections := _empty_sections(lines):
            empty[url] = sections
        if [h for h in scan(text) if h.kind == ID_CARD]:
            ids[url] = True
    assert english == {}
    assert empty == {}
    assert ids == {}

    # Each body's own home page: its latest items and its interpretations are there.
    for org in demo.organizations:
        home = "\n".join(pages[f"/{org.slug}/"])
        assert "暂无信息" not in home, org.name
    district = "\n".join(pages[f"/{demo.district.slug}/"])
    assert "河湾区农村集体经营性建设用地入市管理办法" in district

    _new_columns_read_as_filled(demo, pages)

    # The back office says who did what by real name, not by user name.
    client = Client()
    client.force_login(demo.clerk)
    subsidy = published.get(title__contains="耕地地力保护补贴")
    detail = client.get(reverse("disclosure:item_detail", args=[subsidy.pk])).text
    assert "李晓燕" in detail and "ganhetan_clerk" not in detail
    assert "gongkai" not in re.sub(r"<[^>]+>", " ", detail)


def _page(pages, url) -> str:
    return "\n".join(pages[url])


def _new_columns_read_as_filled(demo, pages) -> None:
    """What the first walk of the demo found empty (暂无) is filled, and each new
    feature shows on the pages an assessor opens."""
    hewan, mz, gh = demo.district.slug, demo.minzheng.slug, demo.ganhetan.slug
    # 失效文件清单: one abolished, one revised, each with its replacement linked.
    void = _page(pages, f"/{hewan}/void/")
    assert "暂无" not in void
    assert "河政规〔2021〕3号" in void and "已废止" in void
    assert "河政规〔2022〕2号" in void and "已修订" in void
    assert "河政规〔2024〕1号" in void and "河湾区城乡居民临时救助实施办法（河政规" in void
    abolished = Item.objects.get(document_number="河政规〔2021〕3号")
    banner = _page(pages, f"/{hewan}/items/{abolished.pk}/")
    assert "本文件已废止" in banner and "河湾区农村集体经营性建设用地入市管理办法" in banner
    revised = Item.objects.get(document_number="河政规〔2022〕2号")
    assert "已修订" in _page(pages, f"/{hewan}/items/{revised.pk}/")
    # The interpretation package: sections, 简明问答 and the 图解 with its alt text.
    package = Item.objects.get(title="《河湾区城乡居民临时救助实施办法》政策解读")
    text = _page(pages, f"/{hewan}/items/{package.pk}/")
    for label in ("背景", "目的", "主要举措", "问：不是本区户籍可以申请临时救助吗？"):
        assert label in text, label
    html = Client().get(f"/{hewan}/items/{package.pk}/").text
    assert f'alt="{FIGURE_ALT}"' in html
    figure = re.search(r'<img[^>]+src="([^"]+)"[^>]+alt="临时救助', html)
    response = Client().get(figure.group(1))
    assert response.status_code == 200 and b"".join(response).startswith(b"\x89PNG")
    # 拟稿/审核/签发: names at 甘河滩镇, posts at the district; a 转载 names its source.
    repost = Item.objects.get(organization=demo.ganhetan, is_reposted=True)
    text = _page(pages, f"/{gh}/items/{repost.pk}/")
    assert "信息来源" in text and "河湾区人民政府办公室" in text and "（转载）" in text
    assert "李晓燕" in text and "王建国" in text and "赵志强" in text
    assert "审批领导" in _page(pages, f"/{hewan}/items/{package.pk}/")
    # 三项清单: two revisions each, withheld entries with reasons and bases.
    for slug in (gh, hewan):
        assert _page(pages, f"/{slug}/lists/").count("第2版") == 3, slug
        withheld = _page(pages, f"/{slug}/lists/withheld/")
        assert "第1版" in withheld and "首次发布" in withheld and "信息公开条例》第十" in withheld
    # 机构概况, 政务新媒体 and 公开制度 of the three bodies that have them.
    for org, leader in (
        (demo.district, "罗晓梅"),
        (demo.ganhetan, "杜春燕"),
        (demo.minzheng, "彭丽华"),
    ):
        profile = _page(pages, f"/{org.slug}/profile/")
        assert "机构职能" in profile and leader in profile and "分管" in profile, org.slug
        rules = _page(pages, f"/{org.slug}/rules/")
        assert "一、主动公开" in rules and "《条例》的基本要求" not in rules, org.slug
        assert NewMediaAccount.objects.get(organization=org).qr_path
    # 收费 and 建议提案.
    assert "不动产登记费" in _page(pages, f"/{hewan}/fees/")
    assert "殡葬基本服务费" in _page(pages, f"/{mz}/fees/")
    proposals = _page(pages, f"/{mz}/proposals/")
    assert "暂无" not in proposals and "第27号" in proposals and "解决采纳" in proposals
    assert "第35号" in _page(pages, f"/{hewan}/proposals/")


def test_intake_status_shows_the_hops(demo):
    # The applicant of the answered 统一受理 application looks it up: the hops from
    # the platform to the 民政局 are listed, never a staff name.
    from gongkai.applications.models import Application

    answered = Application.objects.get(intake__isnull=False, status="closed")
    response = Client().post(
        "/status/", {"tracking_code": answered.tracking_code, "phone_last4": "0000"}
    )
    text = re.sub(r"<[^>]+>", " ", response.text)
    assert "统一受理流转情况" in text
    assert "河湾区人民政府 → 河湾区民政局" in text
    assert "郑文博" not in text and "何静" not in text


def test_records_behind_the_pages_are_coherent(demo):
    published = Item.objects.filter(status=Item.Status.PUBLISHED)
    for org in demo.organizations:
        assert published.filter(organization=org).count() >= 4, org.name
    for item in published.exclude(notice_from=None):
        # A 公示期 never starts before the item is published.
        assert item.notice_from >= timezone.localdate(item.published_at), item.title
        assert item.notice_to >= item.notice_from
    running = published.filter(notice_from__lte=TODAY, notice_to__gte=TODAY)
    assert running.count() == 2
    for item in published.filter(kind=Item.Kind.LIST, title__regex=r"对象|名单|人员|发放情况"):
        # A list names the people it announces, with their ID numbers masked.
        rows = re.findall(r"^\d+\t(\S+)\t(\d{6}\*{8}\d{3}[\dX])\t", item.body, re.M)
        assert len(rows) >= 2, item.title
        assert not [h for h in scan(item.body) if h.kind == ID_CARD], item.title
        assert "联系电话：0999-8" in item.body  # the office's number is not masked
    ended = Consultation.objects.filter(status="concluded")
    assert {c.organization for c in ended} == {demo.ganhetan, demo.district}
    for c in ended:
        # Published before its period, 采纳情况 after it, linked to the decision.
        assert timezone.localdate(c.published_at) <= c.start_on
        assert timezone.localdate(c.feedback_published_at) > c.end_on
        assert c.final_item.organization == c.organization
        assert timezone.localdate(c.final_item.published_at) <= timezone.localdate(
            c.feedback_published_at
        )
    answered = Inquiry.objects.filter(status="published")
    assert {q.organization for q in answered} == set(demo.organizations)
    for q in answered:
        assert q.consent_publish and q.received_on <= q.answered_on
