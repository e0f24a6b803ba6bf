from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.appeals.models import Appeal
from gongkai.appeals.services import appeal_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeal(org, clerk):
    return appeal_file(
        organization=org,
        kind="reconsideration",
        filed_on=date(2024, 11, 1),
        authority="测试区人民政府",
        acting_user=clerk,
        applicant_name="张三",
    )


def test_other_body_gets_404(client_for, other_clerk, appeal):
    c = client_for(other_clerk)
    assert c.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    r = c.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"result": "upheld", "decided_on": "2024-12-01"},
    )
    assert r.status_code == 404
    listing = c.get(reverse("appeals:list") + "?scope=all").content.decode()
    assert appeal.get_absolute_url() not in listing


def test_supervisor_reads_only(client_for, supervisor, appeal):
    c = client_for(supervisor)
    detail = c.get(reverse("appeals:detail", args=[appeal.pk]))
    assert detail.status_code == 200
    # The district's own name is on every page; the appeal's link is not.
    listing = c.get(reverse("appeals:list") + "?scope=all").content.decode()
    assert appeal.get_absolute_url() in listing
    # The applicant's name is personal data: not shown to the supervising body.
    assert "张三" not in detail.content.decode()
    assert "仅本机关工作人员可见" in detail.content.decode()
    r = c.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"result": "upheld", "decided_on": "2024-12-01"},
    )
    assert r.status_code == 403
    assert c.get(reverse("appeals:create")).status_code == 403


def test_own_staff_see_the_applicant(client_for, clerk, appeal):
    page = client_for(clerk).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "张三" in page


def test_anonymous_redirected(client, appeal):
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 302


def test_create_and_decide_through_pages(client_for, clerk):
    c = client_for(clerk)
    assert c.get(reverse("appeals:create")).status_code == 200
    r = c.post(
        reverse("appeals:create"),
        {
            "kind": "litigation_direct",
            "filed_on": "2024-11-18",
            "authority": "测试区人民法院",
            "case_number": "（2024）行初1号",
        },
    )
    appeal = Appeal.objects.get()
    assert r.status_code == 302 and r.url == appeal.get_absolute_url()
    page = c.get(appeal.get_absolute_url()).content.decode()
    assert "尚未审结" in page
    r = c.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"result": "upheld", "decided_on": "2024-11-01"},
    )
    assert r.status_code == 400 and "不能早于" in r.content.decode()
    r = c.post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"result": "corrected", "decided_on": "2025-03-14"},
    )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.result == "corrected"


def test_create_with_errors_shows_message(client_for, clerk):
    r = client_for(clerk).post(
        reverse("appeals:create"),
        {"kind": "litigation_after", "filed_on": "2024-11-18", "authority": "法院"},
    )
    assert r.status_code == 200 and "须选择前置的行政复议" in r.content.decode()
    assert not Appeal.objects.exists()


def test_register_from_the_application_page(client_for, clerk, org, tmp_path, settings):
    from gongkai.applications import services
    from gongkai.applications.tests.factories import receive

    settings.MEDIA_ROOT = tmp_path
    a = receive(org, user=clerk)
    services.application_close(
        application=a,
        outcome="withheld_third_party",
        reply_on=date(2024, 10, 18),
        reasons="涉及第三方个人隐私。",
        acting_user=clerk,
    )
    c = client_for(clerk)
    page = c.get(a.get_absolute_url()).content.decode()
    link = f"{reverse('appeals:create')}?application={a.pk}"
    assert link in page
    form = c.get(link).content.decode()
    assert f'<option value="{a.pk}" selected>' in form
    c.post(
        reverse("appeals:create"),
        {
            "kind": "reconsideration",
            "filed_on": "2024-11-01",
            "authority": "测试区人民政府",
            "application": a.pk,
        },
    )
    assert "尚未审结" in c.get(a.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", ["create", "decide"])
def test_a_refusal_by_the_service_is_a_403_not_a_500(
    client_for, supervisor, appeal, monkeypatch, page
):
    # The pages check the role before calling a service, with their own sentence;
    # the service checks again (under the row lock when deciding).  Whatever the
    # service refuses must reach the user as a 403 with its Chinese reason, never
    # as a server error — so let a supervisor past the page's own check.
    from gongkai.appeals import views

    monkeypatch.setattr(views, "can_record", lambda user, organization: True)
    c = client_for(supervisor)
    c.raise_request_exception = False
    if page == "create":
        url = reverse("appeals:create")
        data = {"kind": "reconsideration", "filed_on": "2024-11-18", "authority": "测试区人民政府"}
    else:
        url = reverse("appeals:decide", args=[appeal.pk])
        data = {"result": "upheld", "decided_on": "2024-12-01"}
    r = c.post(url, data)
    assert r.status_code == 403
    assert "没有登记行政复议、行政诉讼的权限" in r.content.decode()
    appeal.refresh_from_db()
    assert not appeal.is_decided and Appeal.objects.count() == 1
