"""Outside bodies: the supervisor's list, the batch check command, the supervision view."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gongkai.annual.tests.corpus import CORPUS, needs_corpus
from gongkai.annual.tests.webserver import Route, Site
from gongkai.annual.web.fetch import Fetcher
from gongkai.audit.models import AuditEvent
from gongkai.external import services
from gongkai.external.models import ExternalBody, ExternalCheck
from gongkai.organizations.factories import OrganizationFactory, user_with_role
from gongkai.organizations.models import Organization, Role

NOW = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def site():
    with Site() as s:
        s.routes["/hongze/column/"] = Route(
            (
                '<html><head><meta charset="utf-8"></head><body><ul>'
                '<li><a href="/hongze/2024.pdf">洪泽区2024年度政府信息公开工作年度报告</a> 2025-04-08</li>'
                '<li><a href="/hongze/2023.pdf">洪泽区2023年度政府信息公开工作年度报告</a> 2024-03-29</li>'
                "</ul></body></html>"
            ).encode()
        )
        if CORPUS.is_dir():
            for year in (2023, 2024):
                s.routes[f"/hongze/{year}.pdf"] = Route(
                    (CORPUS / f"hongzequ-{year}.pdf").read_bytes(), "application/pdf"
                )
        yield s


@pytest.fixture
def other_district(db):
    return OrganizationFactory(
        name="邻区人民政府", slug="next-district", level=Organization.Level.COUNTY
    )


def test_create_and_update_are_audited_and_unique(district, supervisor):
    body = services.external_body_create(
        supervisor=district,
        name="洪泽区人民政府",
        level="county",
        column_url="https://www.hongze.gov.cn/col/nb/",
        acting_user=supervisor,
    )
    with pytest.raises(ValidationError, match="已经在清单里"):
        services.external_body_create(
            supervisor=district,
            name="重复",
            level="county",
            column_url="https://www.hongze.gov.cn/col/nb/",
            acting_user=supervisor,
        )
    services.external_body_update(
        body=body,
        name="淮安市洪泽区人民政府",
        level="county",
        column_url=body.column_url,
        is_active=False,
        acting_user=supervisor,
    )
    verbs = list(AuditEvent.objects.filter(organization=district).values_list("verb", flat=True))
    assert verbs.count("external_body.create") == 1 and "external_body.update" in verbs
    event = AuditEvent.objects.get(verb="external_body.update")
    assert event.data["name"] == ["洪泽区人民政府", "淮安市洪泽区人民政府"]


@needs_corpus
def test_run_records_one_result_per_body_and_year(district, site):
    ok = ExternalBody.objects.create(
        supervisor=district,
        name="洪泽区人民政府",
        level="county",
        column_url=site.url("/hongze/column/"),
    )
    gone = ExternalBody.objects.create(
        supervisor=district, name="消失的局", level="department", column_url=site.url("/gone/")
    )
    fetcher = Fetcher(delay=0, retries=0)
    services.external_checks_run(year=2024, now=NOW, fetcher=fetcher, ocr="never")
    services.external_checks_run(year=2024, now=NOW, fetcher=fetcher, ocr="never")  # idempotent
    assert ExternalCheck.objects.count() == 2
    good = ExternalCheck.objects.get(body=ok)
    assert good.status == "ok" and good.organization_name
    assert good.cells["t3.new.total"] == 95
    assert good.published_on.isoformat() == "2025-04-08" and good.days_late == 8  # 条例第四十九条
    assert good.repetition is not None and 0 < good.repetition <= 1
    bad = ExternalCheck.objects.get(body=gone)
    assert bad.status == "failed" and bad.reason == "网页不存在（HTTP 404）"


@needs_corpus
def test_command_dry_run_and_scoped_to_supervisor(district, other_district, site):
    ExternalBody.objects.create(
        supervisor=district,
        name="洪泽区人民政府",
        level="county",
        column_url=site.url("/hongze/column/"),
    )
    ExternalBody.objects.create(
        supervisor=other_district, name="别人的", level="county", column_url=site.url("/gone/")
    )
    out = io.StringIO()
    call_command(
        "external_check", "--year", "2024", "--supervisor", district.slug, "--delay", "0",
        "--ocr", "never", "--dry-run", "--allow-private", stdout=out,
    )  # fmt: skip
    assert "洪泽区人民政府：2024年度" in out.getvalue() and "别人的" not in out.getvalue()
    assert ExternalCheck.objects.count() == 0
    call_command(
        "external_check", "--year", "2024", "--delay", "0", "--ocr", "never", "--allow-private",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert ExternalCheck.objects.count() == 2


@needs_corpus
def test_command_refuses_internal_addresses_by_default(district, site):
    body = ExternalBody.objects.create(
        supervisor=district, name="本机", level="county", column_url=site.url("/hongze/column/")
    )
    call_command("external_check", "--year", "2024", "--delay", "0", stdout=io.StringIO())
    check = ExternalCheck.objects.get(body=body)
    assert check.status == "failed" and "内部网络" in check.reason
    assert "/hongze/column/" not in site.hits  # not even one request


def test_views_list_create_edit_scoped(client_for, district, other_district, supervisor, clerk):
    client = client_for(supervisor)
    r = client.post(
        reverse("external:body_create"),
        {
            "name": "某县人民政府",
            "level": "county",
            "column_url": "https://x.gov.cn/nb/",
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    body = ExternalBody.objects.get()
    assert body.supervisor == district and body.created_by == supervisor
    page = client.get(reverse("external:body_list"))
    assert page.status_code == 200 and "某县人民政府" in page.content.decode()
    r = client.post(
        reverse("external:body_edit", args=[body.pk]),
        {"name": "某县人民政府", "level": "county", "column_url": "javascript:alert(1)"},
    )
    assert r.status_code == 200  # the form again, with its error; nothing saved
    body.refresh_from_db()
    assert body.column_url == "https://x.gov.cn/nb/"
    # Another district's supervisor neither sees nor edits this list.
    stranger = user_with_role(other_district, Role.SUPERVISOR, username="stranger")
    assert (
        "某县人民政府"
        not in client_for(stranger).get(reverse("external:body_list")).content.decode()
    )
    assert (
        client_for(stranger).get(reverse("external:body_edit", args=[body.pk])).status_code == 404
    )
    # A town clerk is no supervisor.
    assert client_for(clerk).get(reverse("external:body_list")).status_code == 403
    assert client_for(clerk).post(reverse("external:body_create"), {}).status_code == 403


def test_supervision_and_aggregate_show_outside_bodies(client_for, district, org, supervisor):
    body = ExternalBody.objects.create(
        supervisor=district,
        name="平台外的局",
        level="department",
        column_url="https://y.gov.cn/nb/",
    )
    ExternalCheck.objects.create(
        body=body,
        year=2024,
        status="ok",
        organization_name="平台外的局",
        errors=2,
        warnings=1,
        findings=[
            {"code": "t3_total", "severity": "error", "message": "表三总计不符", "cells": []}
        ],
        days_late=3,
        checked_at=NOW,
    )
    page = (
        client_for(supervisor).get(reverse("reports:supervision") + "?year=2024").content.decode()
    )
    assert (
        'id="external"' in page and "平台外的局" in page and "2个错误" in page and "逾期3天" in page
    )
    assert org.name in page  # the platform's own bodies are still there
    assert reverse("external:body_list") in page  # the way to the list, also when it is empty
    agg = client_for(supervisor).get(reverse("reports:aggregate") + "?year=2024").content.decode()
    assert "平台外机关（网上检查，1个）" in agg and "有错误 1 个" in agg and "逾期公布 1 个" in agg
