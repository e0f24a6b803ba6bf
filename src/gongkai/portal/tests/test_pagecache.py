"""The public page cache: served from the cache, changed right after every event
that changes a page, conditional GET, no cookies, and nothing per-user cached."""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from gongkai.disclosure.factories import CategoryFactory, ItemFactory, NormativeDocumentFactory
from gongkai.disclosure.models import Attachment, Guide, Item
from gongkai.disclosure.services.items import item_withdraw
from gongkai.reports.models import ReportCorrection
from gongkai.reports.tests import factories
from gongkai.search.models import SearchDocument

from .. import pagecache
from ..models import PageVersion
from .conftest import publish

pytestmark = pytest.mark.django_db


def _settle() -> list:
    """What a commit does (the test's transaction never commits): run the
    transaction's on-commit hooks (the page versions' among them) and forget them."""
    hooks = [entry[1] for entry in connection.run_on_commit]
    connection.run_on_commit[:] = []
    for hook in hooks:
        hook()
    return hooks


@pytest.fixture
def settled(world):
    _settle()
    return world


@pytest.fixture
def commit():
    """``with commit(): change()`` -- the change, then its transaction's commit hooks."""

    @contextlib.contextmanager
    def run():
        yield
        assert pagecache._flush in _settle(), "nothing was bumped"

    return run


def html(path, client=None, **extra) -> str:
    response = (client or Client()).get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def warm(path, client=None) -> str:
    html(path, client)  # first visit: the version rows are created
    return html(path, client)  # rendered and stored


def item_url(item) -> str:
    return reverse("portal:item", args=[item.organization.slug, item.pk])


# --- it is a cache -----------------------------------------------------------------------


def test_pages_are_served_from_the_cache_until_a_version_changes(settled):
    policy = settled["policy"]
    path = item_url(policy)
    assert policy.title in warm(path)
    # A change that bypasses the signals: the cached page is still served ...
    Item.objects.filter(pk=policy.pk).update(title="悄悄改过的标题")
    assert "悄悄改过的标题" not in html(path)
    # ... until the body's version changes.
    pagecache.bump(pagecache.body_scope("test-town"))
    _settle()
    assert "悄悄改过的标题" in html(path)


def test_the_cache_can_be_switched_off(settled, settings):
    settings.PORTAL_PAGE_CACHE = False
    policy = settled["policy"]
    warm(item_url(policy))
    Item.objects.filter(pk=policy.pk).update(title="悄悄改过的标题")
    response = Client().get(item_url(policy))
    assert "悄悄改过的标题" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_change_is_seen_inside_its_own_transaction(settled):
    """Before the commit only the changing connection sees the change; it does not
    read its own scopes from the cache meanwhile."""
    policy = settled["policy"]
    warm(item_url(policy))
    policy.title = "事务内修改的标题"
    policy.save()  # pending until the commit (the test's transaction never commits)
    assert "事务内修改的标题" in html(item_url(policy))


# --- every event changes its pages right after it commits ---------------------------------


def test_publish(settled, org, commit):
    pages = [
        reverse("portal:org", args=["test-town"]),
        reverse("portal:items", args=["test-town"]),
        reverse("portal:home"),
        reverse("portal:search") + "?q=新发布的",
        reverse("portal:feed", args=["test-town"]),
        reverse("portal:api_items", args=["test-town"]),
    ]
    for page in pages:
        assert "新发布的救助通知" not in warm(page)
    with commit():
        publish(organization=org, title="新发布的救助通知", body="救助")
    for page in pages:
        assert "新发布的救助通知" in html(page), page


def test_publish_updates_catalogue_counts(settled, org, commit):
    page = reverse("portal:catalogue", args=["test-town"])
    before = warm(page)
    with commit():
        publish(organization=org, title="目录新增", category=settled["child"])
    assert html(page) != before


def test_withdraw(settled, approver, commit):
    policy = settled["notice1"]
    body_home = reverse("portal:org", args=["test-town"])
    assert policy.title in warm(body_home)
    warm(item_url(policy))
    with commit():
        item_withdraw(item=policy, acting_user=approver, reason="内容有误", now=timezone.now())
    assert Client().get(item_url(policy)).status_code == 404
    assert policy.title not in html(body_home)


def test_edit_of_a_published_item(settled, commit):
    policy = settled["policy"]
    warm(item_url(policy))
    interp_page = item_url(settled["interp"])  # shows the policy's title
    warm(interp_page)
    with commit():
        policy.title = "关于调整城乡低保标准的通知（修订）"
        policy.save()
    assert "（修订）" in html(item_url(policy))
    assert "（修订）" in html(interp_page)


def test_consultation_feedback_links_the_final_item(settled, commit):
    """A published 采纳情况 adds a link on its final decision's item page."""
    from gongkai.consultations.models import Consultation

    policy = settled["policy"]
    assert "意见征集" not in warm(item_url(policy))
    with commit():
        Consultation.objects.create(
            organization=policy.organization,
            title="村庄保洁管理办法（征求意见稿）",
            body="第一条",
            explanation="起草说明",
            start_on=dt.date(2025, 3, 1),
            end_on=dt.date(2025, 3, 31),
            status=Consultation.Status.CONCLUDED,
            final_item=policy,
            published_at=timezone.now(),
            feedback_published_at=timezone.now(),
        )
    assert "村庄保洁管理办法（征求意见稿）" in html(item_url(policy))


def test_interpretation_link_change(settled, commit):
    policy, interp = settled["policy"], settled["interp"]
    assert interp.title in warm(item_url(policy))
    with commit():
        interp.interprets = None
        interp.save()
    assert interp.title not in html(item_url(policy))


def test_interpretation_in_another_body(settled, other_org, commit):
    policy = settled["policy"]
    warm(item_url(policy))
    with commit():
        publish(
            organization=other_org,
            title="另一镇对低保标准的解读",
            kind=Item.Kind.INTERPRETATION,
            interprets=policy,
        )
    assert "另一镇对低保标准的解读" in html(item_url(policy))


def test_catalogue_change(settled, commit):
    page = reverse("portal:catalogue", args=["test-town"])
    assert "社会救助" in warm(page)
    with commit():
        parent = settled["parent"]
        parent.name = "社会救助与福利"
        parent.save()
    assert "社会救助与福利" in html(page)
    with commit():
        CategoryFactory(organization=settled["org"], name="新增类目", code="XZ")
    assert "新增类目" in html(page)


def test_body_change(settled, org, commit):
    pages = [reverse("portal:org", args=["test-town"]), reverse("portal:home")]
    for page in pages:
        warm(page)
    with commit():
        org.name = "测试镇人民政府（更名）"
        org.save()
    for page in pages:
        assert "（更名）" in html(page), page
    with commit():
        org.is_active = False
        org.save()
    assert Client().get(pages[0]).status_code == 404


def test_report_publication_and_correction(settled, org, approver, commit):
    listing = reverse("portal:reports", args=["test-town"])
    assert "2024年政府信息公开工作年度报告" not in warm(listing)
    with commit():
        report = factories.published(org, 2024)
    assert "2024年政府信息公开工作年度报告" in html(listing)
    page = reverse("portal:report", args=["test-town", 2024])
    assert "更正说明" not in warm(page)
    with commit():
        ReportCorrection.objects.create(
            report=report,
            reason="登记错误",
            opened_by=approver,
            opened_at=timezone.now(),
            recorded_at=timezone.now(),
        )
    assert "更正说明" in html(page)


def test_guide_rules_attachment(settled, org, clerk, commit):
    guide = reverse("portal:guide", args=["test-town"])
    warm(guide)
    with commit():
        Guide.objects.create(
            organization=org, text="指南正文新写的一段", updated_at=timezone.now(), updated_by=clerk
        )
    assert "指南正文新写的一段" in html(guide)

    rules = reverse("portal:rules", args=["test-town"])
    warm(rules)
    with commit():
        NormativeDocumentFactory(organization=org, title="新印发的规范性文件")
    assert "新印发的规范性文件" in html(rules)

    policy = settled["policy"]
    warm(item_url(policy))
    with commit():
        Attachment.objects.create(
            item=policy, path="x/y.pdf", original_name="附件新增.pdf", kind="pdf", size=3,
            uploaded_by=clerk,
        )  # fmt: skip
    assert "附件新增.pdf" in html(item_url(policy))


def test_drafts_bump_nothing(settled, org):
    tokens = dict(PageVersion.objects.values_list("scope", "token"))
    ItemFactory(organization=org, title="新草稿")
    _settle()
    assert dict(PageVersion.objects.values_list("scope", "token")) == tokens


@pytest.mark.django_db(transaction=True)
def test_real_commit_bumps_the_body_and_all(org):
    """Outside the test transaction: a committed publication gives new tokens."""
    page = reverse("portal:org", args=["test-town"])
    warm(page)
    before = dict(PageVersion.objects.values_list("scope", "token"))
    publish(organization=org, title="真正提交的公告")
    after = dict(PageVersion.objects.values_list("scope", "token"))
    assert after["org:test-town"] != before["org:test-town"]
    assert after["all"] != before.get("all") and after["site"] == before["site"]
    assert "真正提交的公告" in html(page)


# --- what is in the key --------------------------------------------------------------------


def test_host_and_care_cookie_are_in_the_key(settled, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example", "testserver"]
    path = item_url(settled["policy"])
    a = warm(path, Client(HTTP_HOST="a.example"))
    b = html(path, Client(HTTP_HOST="b.example"))
    assert "a.example" in a and "b.example" in b and "a.example" not in b
    care = Client()
    care.cookies["care_mode"] = "1"
    assert 'class="portal"' in warm(path)
    assert 'class="portal care"' in html(path, care)


def test_query_string_is_in_the_key(settled):
    base = reverse("portal:items", args=["test-town"])
    everything = warm(base)
    lists = html(base + "?kind=list")
    assert everything != lists and settled["policy"].title not in lists


def test_rules_page_key_has_the_date(settled, org, monkeypatch):
    """A 规范性文件 that expires overnight: tomorrow's page is rendered anew."""
    today = timezone.localdate()
    NormativeDocumentFactory(
        organization=org, title="今天到期的文件", issued_on=today - dt.timedelta(days=30),
        valid_until=today,
    )  # fmt: skip
    _settle()
    rules = reverse("portal:rules", args=["test-town"])
    first = warm(rules)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    assert html(rules) != first


# --- nothing personal is cached; no cookies on public pages --------------------------------


def test_item_page_sets_no_cookie_and_varies_not_on_cookie(settled):
    response = Client().get(item_url(settled["policy"]))
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert response["Cache-Control"] == f"public, max-age=0, s-maxage={pagecache.SHARED_MAX_AGE}"
    for name in ("org", "catalogue", "items"):
        response = Client().get(reverse(f"portal:{name}", args=["test-town"]))
        assert not response.cookies and "cookie" not in response.get("Vary", "").lower()


def test_forms_keep_csrf(settled):
    response = Client().get(reverse("portal:apply", args=["test-town"]))
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_signed_in_staff_are_never_served_or_stored(settled, client_for, clerk):
    path = item_url(settled["policy"])
    staff = client_for(clerk)
    response = staff.get(path)
    assert response["Cache-Control"] == "private, no-cache"
    Item.objects.filter(pk=settled["policy"].pk).update(title="只在数据库里改的")
    assert "只在数据库里改的" in staff.get(path).content.decode()


def test_post_is_not_cached(settled):
    response = Client().post(reverse("portal:search"), {"q": "低保"})
    assert response.status_code == 405


def test_response_with_a_cookie_is_not_stored(settled):
    calls = []

    @pagecache.cached_page("all")
    def view(request):
        from django.http import HttpResponse

        calls.append(1)
        response = HttpResponse("x")
        response.set_cookie("k", "v")
        return response

    from django.test import RequestFactory

    for _ in range(3):
        view(RequestFactory().get("/x/"))
    assert len(calls) == 3


# --- conditional GET ---------------------------------------------------------------------


def test_etag_and_last_modified_answer_304(settled, commit):
    path = item_url(settled["policy"])
    warm(path)
    response = Client().get(path)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    not_modified = Client().get(path, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert Client().get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # A change: a new ETag, and the old one gets the page.
    with commit():
        settled["policy"].title = "改后的标题"
        settled["policy"].save()
    response = Client().get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "改后的标题" in response.content.decode()
    old = http_date((timezone.now() - dt.timedelta(days=400)).timestamp())
    assert Client().get(path, HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_care_cookie_changes_the_etag(settled):
    path = item_url(settled["policy"])
    warm(path)
    plain = Client().get(path)["ETag"]
    care = Client()
    care.cookies["care_mode"] = "1"
    assert care.get(path, HTTP_IF_NONE_MATCH=plain).status_code == 200


# --- precomputed values ------------------------------------------------------------------


def test_counts_and_years_are_kept_per_version(settled, org, commit, django_assert_num_queries):
    from .. import selectors as sel

    first = sel.published_counts_by_category(org)
    assert sel.published_counts_by_category(org) == first
    with django_assert_num_queries(1):  # the version read only, no GROUP BY
        sel.published_counts_by_category(org)
    years = sel.years_with_items()
    with django_assert_num_queries(1):
        assert sel.years_with_items() == years
    with commit():
        publish(organization=org, title="计数", category=settled["child"])
    assert (
        sel.published_counts_by_category(org)[settled["child"].pk] == first[settled["child"].pk] + 1
    )
    assert SearchDocument.objects.filter(organization=org).count() == sum(
        sel.published_counts_by_category(org).values()
    )


def test_qr_and_html_are_kept_in_the_shared_cache(monkeypatch):
    """Made once, then read from the default cache (LocMem, or Redis in the
    PostgreSQL run): the second call encodes and sanitises nothing."""
    import nh3
    import segno

    from .. import qr, sanitize

    made = {"qr": 0, "html": 0}
    real_make, real_clean = segno.make, nh3.clean

    def counting_make(*args, **kwargs):
        made["qr"] += 1
        return real_make(*args, **kwargs)

    def counting_clean(*args, **kwargs):
        made["html"] += 1
        return real_clean(*args, **kwargs)

    monkeypatch.setattr(qr.segno, "make", counting_make)
    monkeypatch.setattr(sanitize.nh3, "clean", counting_clean)
    svg = qr.qr_svg("https://example.gov.cn/a/items/1/", title="t")
    assert qr.qr_svg("https://example.gov.cn/a/items/1/", title="t") == svg
    assert made["qr"] == 1
    assert sanitize.clean_html("<p>正文</p><script>x</script>") == "<p>正文</p>"
    assert sanitize.clean_html("<p>正文</p><script>x</script>") == "<p>正文</p>"
    assert made["html"] == 1


# --- a constant number of queries per page (cold page cache) ----------------------------

QUERY_LIMITS = {  # path -> queries of a cold render (page versions included), any data size
    "/": 5,
    "/search/?q=救助": 11,  # the hits in three plain queries (items, bodies, 失效 states)
    "/{slug}/": 12,  # + the 政务新媒体 accounts
    "/{slug}/catalogue/": 7,  # + the catalogue's update date
    "/{slug}/catalogue/{cat}/": 10,
    "/{slug}/items/": 6,
    "/{slug}/items/{item}/": 8,
    "/{slug}/interpretations/": 6,
    "/{slug}/guide/": 4,
    "/{slug}/rules/": 5,  # + the body's 公开制度 documents
    "/{slug}/reports/": 4,
    "/{slug}/feed/": 4,
    "/api/v1/organizations/{slug}/items/": 5,
    "/api/v1/organizations/{slug}/catalogue/": 5,
    "/api/v1/items/{item}/": 4,
}


def _body(slug, n_items, n_categories, district):
    from gongkai.organizations.factories import OrganizationFactory

    org = OrganizationFactory(name=f"{slug}镇", slug=slug, parent=district)
    cats = []
    for i in range(n_categories):
        parent = cats[i // 3] if i >= 3 else None  # three roots, then a tree below them
        cats.append(CategoryFactory(organization=org, code=f"C{i}", name=f"类目{i}", parent=parent))
    policy = None
    for i in range(n_items):
        item = publish(
            organization=org,
            title=f"救助通知第{i}号",
            body="<p>救助正文</p>",
            body_format=Item.BodyFormat.HTML,
            category=cats[i % n_categories],
            kind=Item.Kind.INTERPRETATION if policy and i % 4 == 0 else Item.Kind.NOTICE,
            interprets=policy if i % 4 == 0 else None,
        )
        policy = policy or item
    NormativeDocumentFactory(organization=org, item=policy)
    factories.published(org, 2024)
    return org, cats[-1], policy


def _counts(org, cat, item) -> dict[str, int]:
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for pattern in QUERY_LIMITS:
        path = pattern.format(slug=org.slug, cat=cat.pk, item=item.pk)
        Client().get(path)  # the version rows exist afterwards
        cache.clear()  # cold: nothing cached, not even the counts
        with CaptureQueriesContext(conn) as queries:
            assert Client().get(path).status_code == 200, path
        counts[pattern] = len(queries)
    return counts


def test_queries_per_page_do_not_grow_with_the_data(district, django_assert_max_num_queries):
    small_body = _body("small", 9, 4, district)
    big_body = _body("big", 60, 24, district)
    _settle()
    small, big = _counts(*small_body), _counts(*big_body)
    assert big == small, [(p, small[p], big[p]) for p in small if small[p] != big[p]]
    for pattern, limit in QUERY_LIMITS.items():
        path = pattern.format(slug="big", cat=big_body[1].pk, item=big_body[2].pk)
        Client().get(path)
        cache.clear()
        with django_assert_max_num_queries(limit):
            Client().get(path)


def test_a_cached_page_costs_one_query(settled, django_assert_num_queries):
    path = item_url(settled["policy"])
    warm(path)
    with django_assert_num_queries(1):  # the versions
        assert Client().get(path).status_code == 200


def test_pages_invalidate_command(settled):
    from django.core.management import call_command

    policy = settled["policy"]
    warm(item_url(policy))
    Item.objects.filter(pk=policy.pk).update(title="批量导入改的标题")
    assert "批量导入改的标题" not in html(item_url(policy))
    call_command("pages_invalidate", stdout=io.StringIO())
    _settle()
    assert "批量导入改的标题" in html(item_url(policy))
