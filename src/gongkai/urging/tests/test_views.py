"""督办 pages end to end: send from the supervision side, the body's inbox and
answer form, per-organization visibility both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent

from ..models import Urging
from .conftest import overdue_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_is_sent(time_machine):
    time_machine.move_to("2025-09-30 10:00 +08:00", tick=False)


def test_supervisor_sends_from_the_overdue_list(
    client_for, supervisor, org, application, item, today_is_sent
):
    c = client_for(supervisor)
    r = c.get(reverse("urging:overdue") + f"?body={org.pk}")
    assert r.status_code == 200
    assert application.tracking_code in r.content.decode()
    new_url = reverse("urging:new") + f"?kind=application&id={application.pk}"
    assert new_url.replace("&", "&amp;") in r.content.decode()
    r = c.get(new_url)
    assert r.status_code == 200 and "第三十三条" in r.context["form"].initial["text"]
    r = c.post(
        reverse("urging:new"),
        {
            "kind": "application",
            "id": application.pk,
            "text": "请于5个工作日内回复。",
            "respond_workdays": 5,
        },
    )
    u = Urging.objects.get()
    assert r.status_code == 302 and r.url == u.get_absolute_url()
    assert u.respond_by == dt.date(2025, 10, 14) and u.sent_by == supervisor
    # The overdue list now links the open 督办 instead of a button.
    r = c.get(reverse("urging:overdue") + f"?body={org.pk}")
    assert u.reference in r.content.decode()


def test_send_form_refuses_bad_input_on_the_form(
    client_for, supervisor, application, today_is_sent
):
    r = client_for(supervisor).post(
        reverse("urging:new"),
        {"kind": "application", "id": application.pk, "text": "", "respond_workdays": 99},
    )
    assert r.status_code == 400 and r.context["form"].errors
    assert not Urging.objects.exists()


def test_body_staff_cannot_open_the_send_pages(client_for, clerk, application, today_is_sent):
    c = client_for(clerk)
    assert c.get(reverse("urging:overdue")).status_code == 403
    assert (
        c.get(reverse("urging:new") + f"?kind=application&id={application.pk}").status_code == 403
    )
    assert c.get(reverse("urging:sent")).status_code == 403


def test_a_supervisor_reaches_only_bodies_below_it(
    client_for, supervisor, org, other_district, today_is_sent
):
    from gongkai.organizations.factories import OrganizationFactory

    far = OrganizationFactory(name="别区某镇", slug="far-town", parent=other_district)
    app = overdue_application(far)
    c = client_for(supervisor)
    assert c.get(reverse("urging:overdue") + f"?body={far.pk}").status_code == 404
    assert c.get(reverse("urging:new") + f"?kind=application&id={app.pk}").status_code == 404


def test_inbox_acknowledge_answer_and_close(
    client_for, send, application, clerk, other_clerk, supervisor, today_is_sent, time_machine
):
    u = send(application)
    c = client_for(clerk)
    r = c.get(reverse("urging:inbox"))
    assert r.status_code == 200 and u.reference in r.content.decode()
    # Another town's clerk sees nothing of it.
    other = client_for(other_clerk)
    assert u.reference not in other.get(reverse("urging:inbox")).content.decode()
    assert other.get(u.get_absolute_url()).status_code == 404
    assert other.post(reverse("urging:acknowledge", args=[u.pk])).status_code == 404

    time_machine.move_to("2025-10-09 09:00 +08:00", tick=False)
    r = c.get(u.get_absolute_url())
    assert (
        r.context["can_acknowledge"] and r.context["answer_form"] and "close_form" not in r.context
    )
    assert c.post(reverse("urging:acknowledge", args=[u.pk])).status_code == 302
    u.refresh_from_db()
    assert u.status == "acknowledged"
    r = c.post(reverse("urging:answer", args=[u.pk]), {"response": "", "done_by": ""})
    assert r.status_code == 400 and r.context["answer_form"].errors
    r = c.post(
        reverse("urging:answer", args=[u.pk]),
        {"response": "已答复申请人。", "done_by": "2025-10-10"},
    )
    assert r.status_code == 302
    u.refresh_from_db()
    assert u.status == "answered" and u.done_by == dt.date(2025, 10, 10)
    # The body may not close its own 督办; the supervisor does.
    assert c.post(reverse("urging:close", args=[u.pk]), {"comment": ""}).status_code == 403
    s = client_for(supervisor)
    assert s.get(u.get_absolute_url()).context["close_form"]
    assert (
        s.post(reverse("urging:close", args=[u.pk]), {"comment": "同意办结。"}).status_code == 302
    )
    u.refresh_from_db()
    assert u.status == "closed"
    assert AuditEvent.objects.filter(verb="urging.close", actor=supervisor).exists()
    # The supervisor (read-only in the town) does not get the answer form.
    assert "answer_form" not in s.get(u.get_absolute_url()).context


def test_nav_entry(client_for, clerk):
    r = client_for(clerk).get(reverse("urging:inbox"))
    assert 'href="/backoffice/urging/"' in r.content.decode()


def test_a_thing_no_longer_overdue_is_refused_with_a_message(
    client_for, supervisor, org, today_is_sent
):
    on_time = overdue_application(org, due_on=dt.date(2025, 10, 31))
    c = client_for(supervisor)
    r = c.get(reverse("urging:new") + f"?kind=application&id={on_time.pk}")
    assert r.status_code == 302 and r.url == reverse("urging:overdue") + f"?body={org.pk}"
    r = c.get(r.url)
    assert "没有逾期" in r.content.decode()
    r = c.post(
        reverse("urging:new"),
        {"kind": "report", "body": org.pk, "year": 2025, "text": "x", "respond_workdays": 5},
    )
    assert r.status_code == 302 and not Urging.objects.exists()
