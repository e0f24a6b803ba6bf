"""One platform, many sites (issue #13): a body at its own host name, with the
right links, canonical address, feeds and QR codes; any other host is refused.

Run on SQLite and on PostgreSQL (``DATABASE_URL=…``): the host map is read
from the bodies' table.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from gongkai.core.hosts import SiteHosts
from gongkai.core.shared import VersionedCopy
from gongkai.organizations import sitehosts
from gongkai.organizations.admin import OrganizationAdminForm
from gongkai.organizations.models import Organization
from gongkai.organizations.sitehosts import site_hosts
from gongkai.organizations.validators import normalize_site_host

from .conftest import publish

pytestmark = pytest.mark.django_db

HOST = "ganhetan.hewan.gov.cn"


@pytest.fixture(autouse=True)
def _site_hosts_setting(settings):
    # Django's test set-up replaces ALLOWED_HOSTS with a plain list copy (adding
    # "testserver"); put back the platform's own kind, as settings.py makes it.
    settings.ALLOWED_HOSTS = SiteHosts(settings.ALLOWED_HOSTS)


@pytest.fixture
def site(org):
    org.site_host = HOST
    org.save()
    return org


@pytest.fixture
def item(site):
    return publish(organization=site, title="甘河滩村低保对象名单公示", body="公示内容。")


def on(host: str) -> Client:
    return Client(HTTP_HOST=host)


def canonical(response) -> str:
    found = re.findall(r'<link rel="canonical" href="([^"]+)"', response.text)
    assert len(found) == 1, found
    return found[0]


# --- host validation ------------------------------------------------------------------


def test_an_unknown_host_is_refused_with_400(org):
    assert on("evil.example.com").get("/").status_code == 400
    assert on("evil.example.com").get(f"/{org.slug}/").status_code == 400
    assert on("evil.example.com").get("/healthz").status_code == 400


def test_a_configured_body_host_is_served_and_a_removed_one_refused_again(
    site, django_capture_on_commit_callbacks
):
    assert on(HOST).get("/").status_code == 200
    assert on(f"{HOST}:8443").get("/").status_code == 200  # a port does not matter
    assert on(HOST.upper()).get("/").status_code == 200  # host names ignore case
    with django_capture_on_commit_callbacks(execute=True):
        site.site_host = ""
        site.save()
    assert on(HOST).get("/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        site.site_host = HOST
        site.save()
    assert on(HOST).get("/").status_code == 200


def test_a_deactivated_body_loses_its_host(site):
    site.is_active = False
    site.save()
    assert on(HOST).get("/").status_code == 400


def test_django_accepts_the_body_host_only_during_its_request(site):
    assert HOST not in settings.ALLOWED_HOSTS
    assert on(HOST).get("/").status_code == 200
    assert HOST not in list(settings.ALLOWED_HOSTS)


def test_the_host_check_comes_first_and_there_is_no_wildcard():
    assert settings.MIDDLEWARE[0] == "gongkai.portal.sites.SiteHostMiddleware"
    assert "*" not in list(settings.ALLOWED_HOSTS)


def test_an_operators_wildcard_still_lets_body_hosts_map(site, settings):
    settings.ALLOWED_HOSTS = SiteHosts(["*"])
    response = on(HOST).get("/")
    assert response.status_code == 200 and canonical(response) == f"http://{HOST}/"
    assert on("anything.example").get("/").status_code == 200  # the operator chose "*"


def test_the_platform_host_is_unchanged(org, item):
    response = Client().get(f"/{org.slug}/")
    assert response.status_code == 200
    assert f'href="/{org.slug}/items/{item.pk}/"' in response.text


# --- the body's pages at the host's root -------------------------------------------------


def test_home_at_the_root_with_links_on_the_host(site, item):
    response = on(HOST).get("/")
    assert response.status_code == 200
    assert site.name in response.text
    assert f'href="/items/{item.pk}/"' in response.text
    assert f'href="/{site.slug}/' not in response.text
    assert canonical(response) == f"http://{HOST}/"


def test_item_page_canonical_qr_and_share_text(site, item):
    response = on(HOST).get(f"/items/{item.pk}/")
    assert response.status_code == 200
    assert item.title in response.text
    url = f"http://{HOST}/items/{item.pk}/"
    assert canonical(response) == url
    assert response.context["url"] == url  # the QR code's target
    assert url in response.context["share_text"]
    assert "<svg" in str(response.context["qr"])


def test_on_the_platform_the_canonical_address_is_the_body_host(site, item, other_org):
    response = Client().get(f"/{site.slug}/items/{item.pk}/")
    assert response.status_code == 200
    url = f"http://{HOST}/items/{item.pk}/"
    assert canonical(response) == url and response.context["url"] == url
    # A body without a host of its own keeps the portal's address.
    other = publish(organization=other_org, title="另一镇公告")
    response = Client().get(f"/{other_org.slug}/items/{other.pk}/")
    path = f"/{other_org.slug}/items/{other.pk}/"
    assert canonical(response) == f"http://testserver{path}"
    assert response.context["url"] == f"http://testserver{path}"


def test_feed_links_use_the_body_host(site, item):
    for client, path in ((on(HOST), "/feed/"), (Client(), f"/{site.slug}/feed/")):
        response = client.get(path)
        assert response.status_code == 200
        xml = response.content.decode()
        assert f"http://{HOST}/items/{item.pk}/" in xml
        assert f"/{site.slug}/items/" not in xml


def test_old_style_paths_on_the_body_host_move(site, item, other_org):
    response = on(HOST).get(f"/{site.slug}/items/{item.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/items/{item.pk}/"
    response = on(HOST).get(f"/{other_org.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"http://127.0.0.1/{other_org.slug}/"


def test_shared_paths_work_on_the_body_host(site, item):
    assert on(HOST).get("/status/").status_code == 200
    api = on(HOST).get("/api/v1/organizations/")
    assert api.status_code == 200 and api["Content-Type"].startswith("application/json")
    assert site.slug in api.content.decode()
    assert on(HOST).get("/healthz").status_code == 200
    assert on(HOST).get("/reports/").status_code == 200  # the body's own reports
    search = on(HOST).get("/search/", {"q": "低保"})
    assert search.status_code == 200
    assert search.wsgi_request.GET["org"] == site.slug  # the body is the preset filter
    everyone = on(HOST).get("/search/", {"q": "低保", "org": ""})
    assert everyone.wsgi_request.GET["org"] == ""


def test_the_back_office_is_not_served_on_a_body_host(site, clerk):
    client = on(HOST)
    for path in ("/backoffice/", "/backoffice/login/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"http://127.0.0.1{path}"
    client.force_login(clerk)
    assert client.get("/backoffice/").status_code == 302


def test_without_a_platform_host_the_back_office_is_404_on_a_body_host(site, settings):
    settings.ALLOWED_HOSTS = SiteHosts([".hewan-platform.example"])
    assert on(HOST).get("/backoffice/").status_code == 404
    assert Client(HTTP_HOST="www.hewan-platform.example").get("/backoffice/").status_code == 302


def test_two_bodies_two_hosts(site, other_org):
    other_org.site_host = "liulin.hewan.gov.cn"
    other_org.save()
    mine = publish(organization=other_org, title="柳林公告")
    response = on("liulin.hewan.gov.cn").get(f"/items/{mine.pk}/")
    assert response.status_code == 200 and "柳林公告" in response.text
    # An item of one body is not found under the other body's host.
    assert on(HOST).get(f"/items/{mine.pk}/").status_code == 404
    assert site_hosts().by_host == {HOST: site.slug, "liulin.hewan.gov.cn": other_org.slug}


# --- the administrator's form -------------------------------------------------------------


def admin_form(org, host: str) -> OrganizationAdminForm:
    data = {
        "name": org.name,
        "level": org.level,
        "parent": org.parent_id or "",
        "may_make_regulations": "unknown",
        "is_active": "on",
        "slug": org.slug,
        "site_host": host,
    }
    return OrganizationAdminForm(data, instance=org)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("GanHeTan.Hewan.gov.cn", HOST),
        (f"  {HOST}. ", HOST),
        ("甘河滩.政务.cn", "xn--ovw20cw5i.xn--zfr164b.cn"),
        ("", ""),
    ],
)
def test_the_host_is_stored_normalised(org, typed, stored):
    form = admin_form(org, typed)
    assert form.is_valid(), form.errors
    assert form.save().site_host == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (f"https://{HOST}", "不要带 http://"),
        (f"{HOST}/gk/", "不要带 http://"),
        (f"{HOST}:8080", "不要带端口号"),
        ("192.168.1.10", "IP 地址"),
        ("ganhetan", "不是有效的域名"),
        ("-x.hewan.gov.cn", "不是有效的域名"),
        ("*.hewan.gov.cn", "不是有效的域名"),
        ("TestServer.", "平台本身的域名"),  # case and a final dot do not matter
        ("localhost.localdomain", "平台本身的域名"),
    ],
)
def test_a_bad_host_gets_a_clear_message(org, settings, typed, message):
    settings.ALLOWED_HOSTS = SiteHosts(["localhost.localdomain", "testserver"])
    form = admin_form(org, typed)
    assert not form.is_valid()
    assert message in str(form.errors)


def test_one_host_per_body(site, other_org):
    form = admin_form(other_org, HOST.upper())
    assert not form.is_valid()
    assert "已由另一个机关使用" in str(form.errors)


def test_the_database_keeps_hosts_unique_and_lower_case(site, other_org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=other_org.pk).update(site_host=HOST)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=other_org.pk).update(site_host="Liulin.hewan.gov.cn")


def test_normalize_leaves_an_unencodable_name_for_the_validator():
    assert normalize_site_host("a..b") == "a..b"


# --- several app servers ----------------------------------------------------------------


@pytest.mark.usefixtures("redis_cache")
def test_a_host_change_on_one_server_reaches_the_other(org, django_capture_on_commit_callbacks):
    other_server = VersionedCopy(
        sitehosts.SITE_HOSTS_VERSION, sitehosts._load, extra=sitehosts._unshared_bucket
    )
    sitehosts._process_map.invalidate()
    assert HOST not in other_server.get().by_host
    assert other_server.get() is other_server.get()  # kept between requests
    with django_capture_on_commit_callbacks(execute=True):
        org.site_host = HOST
        org.save()
    assert other_server.get().by_host == {HOST: org.slug}
    assert on(HOST).get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        org.site_host = ""
        org.save()
    assert other_server.get().by_host == {}
    assert on(HOST).get("/").status_code == 400
