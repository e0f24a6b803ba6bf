import pytest
from django.urls import reverse

from gongkai.audit.services import audit_record

pytestmark = pytest.mark.django_db
URL = "/backoffice/audit/"


def test_url_name():
    assert reverse("audit:event_list") == URL


@pytest.mark.parametrize("who", ["org_admin", "office_head", "approver", "supervisor"])
def test_allowed_roles_see_log(request, who, client_for, org, clerk):
    audit_record(actor=clerk, organization=org, verb="item.publish", obj=org, to_state="published")
    user = request.getfixturevalue(who)
    client = client_for(user)
    if who == "supervisor":
        client.post("/backoffice/switch/", {"organization": org.pk})
    response = client.get(URL)
    assert response.status_code == 200
    assert "item.publish" in response.text


@pytest.mark.parametrize("who", ["clerk", "reviewer"])
def test_other_roles_refused(request, who, client_for):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert "没有执行此操作的权限" in response.text


def test_only_current_org_events(client_for, org_admin, org, other_org, other_clerk):
    audit_record(actor=other_clerk, organization=other_org, verb="secret.other")
    audit_record(actor=org_admin, organization=org, verb="mine.here")
    text = client_for(org_admin).get(URL).text
    assert "mine.here" in text and "secret.other" not in text


def test_filter_and_pagination(client_for, org_admin, org):
    for i in range(55):
        audit_record(actor=org_admin, organization=org, verb="bulk.step", comment=f"n{i}")
    audit_record(actor=org_admin, organization=org, verb="other.verb")
    client = client_for(org_admin)
    page1 = client.get(URL, {"verb": "bulk.step"})
    assert "共 55 条" in page1.text
    assert "other.verb</code>" not in page1.text
    assert "verb=bulk.step&amp;page=2" in page1.text
    page2 = client.get(URL, {"verb": "bulk.step", "page": 2})
    assert page2.status_code == 200
    assert page2.text.count("<code>bulk.step</code>") == 5


def test_bad_date_range_message(client_for, org_admin):
    response = client_for(org_admin).get(URL, {"date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert response.status_code == 200
    assert "起始日期不能晚于截止日期" in response.text


def test_anonymous_redirected(client):
    assert client.get(URL).status_code == 302
