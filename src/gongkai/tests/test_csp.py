"""Content-Security-Policy: every HTML page carries a strict policy, and no
template or rendered page holds markup that the policy would block."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gongkai.config.security import POLICY_HEADER

from .helpers import command_env
from .test_settings import GOOD_KEY, SETUP, run_python

SRC = Path(__file__).resolve().parent.parent  # src/gongkai


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict(header: str | None) -> None:
    assert header, "no Content-Security-Policy header"
    d = directives(header)
    assert d["default-src"] == ["'self'"]
    assert d["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert d["style-src"] == ["'self'"]
    assert d["img-src"] == ["'self'", "data:"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'self'"]
    assert d["form-action"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"]  # as X_FRAME_OPTIONS = "DENY"
    assert "unsafe" not in header and "*" not in header


class _InlineFinder(HTMLParser):
    """Markup a strict policy blocks: inline <script>/<style>, on*= handlers,
    javascript: URLs and style= attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in names
            if self._in_script and names.get("type") not in (None, "text/javascript", "module"):
                self._in_script = False  # data blocks (application/json) do not execute
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:40]}")


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


# --- the header on a representative set of pages ------------------------------


@pytest.fixture
def site(org, clerk, unit):
    """A published item in a catalogue, a draft, a published report, an application."""
    from gongkai.disclosure.factories import CategoryFactory, ItemFactory, PublishedItemFactory
    from gongkai.reports.tests import factories as rf
    from gongkai.search.indexing import index_item

    parent = CategoryFactory(organization=org, name="社会救助", code="SJ")
    child = CategoryFactory(organization=org, name="最低生活保障", code="SJ-01", parent=parent)
    CategoryFactory(organization=org, name="低保名单", code="SJ-01-01", parent=child)
    item = PublishedItemFactory(
        organization=org, title="关于调整城乡低保标准的通知", body="标准提高。", category=child
    )
    index_item(item)
    draft = ItemFactory(organization=org, title="草稿")
    rf.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 5))
    rf.published(org, 2024, on=date(2025, 1, 20))
    return {"item": item, "draft": draft}


def public_pages(org, item):
    """(url, expected status): the policy is checked on the page itself, never on
    a 404 page standing in for it (review #9 F12)."""
    slug = org.slug
    return [
        ("/", 200),
        (reverse("portal:org", args=[slug]), 200),
        (reverse("portal:item", args=[slug, item.pk]), 200),
        (reverse("portal:search") + "?q=低保", 200),
        (reverse("portal:apply", args=[slug]), 200),
        (reverse("portal:catalogue", args=[slug]), 200),
        (reverse("portal:guide", args=[slug]), 200),
        (reverse("portal:reports", args=[slug]), 200),
        (reverse("portal:report", args=[slug, 2024]), 200),
        (reverse("portal:screen", args=[slug]), 200),
        (reverse("portal:status"), 200),
        (reverse("reports_public:graphic", args=[slug, 2024]), 200),
        (reverse("organizations:login"), 200),
        ("/admin/login/", 200),  # Django's admin: no inline script or style either
        ("/no-such-body-here/", 404),  # the Chinese 404 page
    ]


def backoffice_pages(item, draft):
    return [
        (reverse("organizations:dashboard"), 200),
        (reverse("disclosure:item_list"), 200),
        (reverse("disclosure:item_detail", args=[item.pk]), 200),
        (reverse("disclosure:item_edit", args=[draft.pk]), 200),
        (reverse("applications:list"), 200),
        (reverse("reports:report_list"), 200),
        (reverse("reports:report_detail", args=[2024]), 200),
        (reverse("reports:assessment") + "?year=2024", 200),
        (reverse("organizations:switch"), 405),  # GET on a POST-only URL: the 405 page
    ]


@pytest.mark.django_db
def test_every_representative_page_has_the_strict_policy(org, clerk, client_for, site):
    assert not settings.DEBUG  # the embedded mode as it runs
    anonymous, staff = Client(), client_for(clerk)
    seen = 0
    for client, urls in (
        (anonymous, public_pages(org, site["item"])),
        (staff, backoffice_pages(site["item"], site["draft"])),
    ):
        for url, status in urls:
            response = client.get(url)
            assert response.status_code == status, (url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), url
            assert response.get("Content-Security-Policy") == POLICY_HEADER, url
            assert_strict(response["Content-Security-Policy"])
            # What the templates and the Python that writes markup (QR codes,
            # charts, sanitised bodies) actually sent: nothing the policy blocks.
            assert inline_problems(response.content.decode()) == [], url
            seen += 1
    assert seen >= 20


@pytest.mark.django_db
def test_json_and_downloads_are_left_alone(org, site):
    client = Client()
    api = client.get(reverse("portal:api_organizations"))
    assert api.status_code == 200 and "Content-Security-Policy" not in api
    docx = client.get(reverse("portal:report_download", args=[org.slug, 2024, "docx"]))
    assert docx.status_code == 200 and "Content-Security-Policy" not in docx


def test_policy_is_strict_and_in_the_middleware_stack():
    assert_strict(POLICY_HEADER)
    assert "gongkai.config.security.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_production_mode_sends_the_policy(tmp_path):
    env = command_env(tmp_path, sqlite=True)
    env.update(GONGKAI_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="gk.example.gov.cn")
    code = SETUP + (
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from django.test import Client, override_settings;"
        "from django.conf import settings as s;"
        # Hashed static names need a collectstatic run (slow); they are not under test.
        "plain = {**s.STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}};"
        "r = override_settings(STORAGES=plain)(lambda: Client(HTTP_HOST='gk.example.gov.cn')"
        ".get('/backoffice/login/', secure=True))();"
        "print(json.dumps([r.status_code, r.get('Content-Security-Policy')]))"
    )
    result = run_python(env, "import json;" + code)
    assert result.returncode == 0, result.stderr
    status, header = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 200
    assert_strict(header)


# --- nothing can creep back into the templates --------------------------------

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
# on*= event handlers as attributes (a space or quote before, "=" after).
HANDLER = re.compile(r"""[\s"'/]on[a-z]+\s*=""", re.I)
JS_URL = re.compile(r"javascript\s*:", re.I)
STYLE_ATTR = re.compile(r"""[\s"']style\s*=""", re.I)
SCRIPT_OPEN = re.compile(r"<script\b([^>]*)>", re.I | re.S)


def templates() -> list[Path]:
    found = sorted(
        p
        for p in SRC.rglob("templates/**/*.html")
        if "fixtures" not in p.parts and ".venv" not in p.parts
    )
    assert len(found) > 50  # really found the project's templates
    return found


def template_problems(text: str) -> list[str]:
    problems = []
    for m in SCRIPT_OPEN.finditer(text):
        if "src=" not in m.group(1):
            problems.append("inline <script> without src")
    if re.search(r"<style\b", text, re.I):
        problems.append("<style> element")
    for tag in TAG.findall(text):
        if HANDLER.search(tag):
            problems.append(f"on*= handler in {tag[:60]}")
        if STYLE_ATTR.search(tag):
            problems.append(f"style= attribute in {tag[:60]}")
    if JS_URL.search(text):
        problems.append("javascript: URL")
    return problems


def test_the_scanner_finds_what_the_policy_blocks():
    for bad in (
        "<script>alert(1)</script>",
        '<script type="text/javascript">x()</script>',
        "<style>p{}</style>",
        '<a href="#" onclick="x()">',
        "<body onload='x()'>",
        '<a href="javascript:history.back()">',
        '<li class="a" style="--depth: 1">',
    ):
        assert template_problems(bad), bad
        assert inline_problems(bad), bad
    for good in (
        "<script src=\"{% static 'gongkai/js/base.js' %}\" defer></script>",
        '<button type="button" data-print>打印</button>',
        '<p class="muted">javascript 不是这里的内容</p>',
    ):
        assert inline_problems(good) == [], good
        assert template_problems(good) == [], good


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_nothing_a_strict_policy_blocks(path):
    assert template_problems(path.read_text(encoding="utf-8")) == []


STATIC_JS = sorted(SRC.rglob("static/**/*.js"))


@pytest.mark.parametrize("path", STATIC_JS, ids=lambda p: str(p.relative_to(SRC)))
def test_static_js_needs_no_eval(path):
    # script-src 'self' without 'unsafe-eval': no eval, no new Function, no
    # string timers, no markup with handlers or style= written from script.
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(", text)
    assert not re.search(r"set(Timeout|Interval)\s*\(\s*['\"]", text)
    assert not re.search(r"setAttribute\(\s*['\"](style|on[a-z]+)['\"]", text)
    assert "innerHTML" not in text


# --- in a real browser: no violation reported ---------------------------------

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_without_violations(page, org, clerk, site, login):
    page.context.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    base = page.base_url

    def visit(url, status=None):
        response = page.goto(base + url)
        assert status is None or response.status == status, (url, response.status)
        assert_strict(response.header_value("Content-Security-Policy"))
        page.wait_for_load_state("load")
        return page.evaluate("window.__csp")

    # The watcher does see a violation when there is one (a style= written by markup).
    visit("/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(100)
    assert any("style-src" in v for v in page.evaluate("window.__csp"))
    assert any("Content Security Policy" in m for m in console)
    console.clear()

    for url, status in public_pages(org, site["item"]):
        assert visit(url, status) == [], url
    # The catalogue is indented by class now (no style= attribute): 2 levels = 3rem.
    visit(reverse("portal:catalogue", args=[org.slug]))
    indents = page.eval_on_selector_all(
        ".tree li", "els => els.map(e => getComputedStyle(e).paddingLeft)"
    )
    assert indents[:3] == ["0px", "24px", "48px"]
    # The service-hall screen's script runs and may fetch its own JSON.
    visit(reverse("portal:screen", args=[org.slug]))
    page.wait_for_timeout(200)
    assert page.evaluate("window.__csp") == []

    login(page, clerk)
    for url, status in backoffice_pages(site["item"], site["draft"]):
        assert visit(url, status) == [], url
    # The 405 page's "返回上一页" (was a javascript: URL) goes back by script.
    page.goto(base + reverse("reports:report_list"))
    page.goto(base + reverse("organizations:switch"))
    page.click("a[data-history-back]")
    page.wait_for_url(base + reverse("reports:report_list"))
    assert not [m for m in console if "Content Security Policy" in m], console
