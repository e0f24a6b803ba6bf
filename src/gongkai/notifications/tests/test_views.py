"""Back-office pages: notices, preferences, templates, quiet hours, delivery log."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.notifications.api import Person, notify
from gongkai.notifications.models import Message, Notice, Preference, QuietHours
from gongkai.notifications.tests.test_services import CONTEXT, DAYTIME

pytestmark = pytest.mark.django_db


def received(org, *, staff=(), key="application:1:received", applicant=None):
    return notify(
        "application.received",
        organization=org,
        key=key,
        context=CONTEXT,
        applicant=applicant,
        staff=list(staff),
        url="/backoffice/applications/1/",
        now=DAYTIME,
    )


def test_my_notices_page_lists_marks_read_and_counts_in_the_header(org, clerk, client_for):
    received(org, staff=[clerk])
    received(org, staff=[clerk], key="application:2:received")
    client = client_for(clerk)
    page = client.get(reverse("notifications:notices"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "【政府信息公开】申请ABCD1234：新收到申请" in html
    assert 'aria-label="2 条未读"' in html  # the header's count
    first = Notice.objects.filter(user=clerk).first()
    client.post(reverse("notifications:notices_read"), {"notice": first.pk})
    assert Notice.objects.filter(user=clerk, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:notices_read"))
    assert not Notice.objects.filter(user=clerk, read_at__isnull=True).exists()
    assert "条未读" not in client.get(reverse("notifications:notices")).content.decode()


def test_notices_of_a_body_one_has_left_are_no_longer_shown(org, other_org, clerk, client_for):
    from gongkai.organizations.models import Membership, Role

    Membership.objects.create(user=clerk, organization=other_org, role=Role.CLERK)
    received(org, staff=[clerk])
    client = client_for(clerk)
    assert "ABCD1234" in client.get(reverse("notifications:notices")).content.decode()
    Membership.objects.filter(user=clerk, organization=org).delete()
    client = client_for(clerk)
    html = client.get(reverse("notifications:notices")).content.decode()
    assert "ABCD1234" not in html and "条未读" not in html


def test_a_user_cannot_mark_anothers_notices(org, clerk, office_head, client_for):
    received(org, staff=[clerk])
    notice = Notice.objects.get()
    client_for(office_head).post(reverse("notifications:notices_read"), {"notice": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


def test_preferences_page_saves_channels_and_phone(org, clerk, client_for):
    client = client_for(clerk)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(
        reverse("notifications:preferences"),
        {"phone": "13900001111", "cases:inapp": "on", "deadlines:sms": "on"},
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=clerk)
    assert pref.phone == "13900001111"
    assert pref.wants("deadlines", "sms") and not pref.wants("deadlines", "email")
    bad = client.post(reverse("notifications:preferences"), {"phone": "12"})
    assert "请填写11位手机号码" in bad.content.decode()


def test_the_template_editor_checks_placeholders_and_is_for_administrators(
    org, org_admin, clerk, client_for
):
    url = reverse(
        "notifications:template_edit", args=["application.received", "applicant", "email"]
    )
    assert client_for(clerk).get(url).status_code == 403
    client = client_for(org_admin)
    assert "{查询码}" in client.get(url).content.decode()
    bad = client.post(url, {"subject": "收到", "body": "{不存在}"})
    assert "未知的占位符 {不存在}" in bad.content.decode()
    ok = client.post(url, {"subject": "收到{查询码}", "body": "{申请人}您好"})
    assert ok.status_code == 302
    assert "本机关修改" in client.get(reverse("notifications:template_list")).content.decode()
    assert AuditEvent.objects.filter(verb="notification_template.save").exists()
    sms_url = reverse(
        "notifications:template_edit", args=["application.received", "applicant", "sms"]
    )
    assert 'name="subject"' not in client.get(sms_url).content.decode()
    no_staff = reverse("notifications:template_edit", args=["inquiry.answered", "staff", "email"])
    assert client.get(no_staff).status_code == 404
    missing = reverse(
        "notifications:template_edit", args=["application.nothing", "applicant", "email"]
    )
    assert client.get(missing).status_code == 404


def test_quiet_hours_page(org, org_admin, client_for):
    client = client_for(org_admin)
    url = reverse("notifications:quiet_hours")
    assert client.get(url).status_code == 200
    late = client.post(url, {"enabled": "on", "start": "22:00", "end": "09:00"})
    assert "08:00" in late.content.decode() and not QuietHours.objects.exists()
    client.post(url, {"enabled": "on", "start": "22:00", "end": "07:00", "applicant_sms": "on"})
    quiet = QuietHours.objects.get(organization=org)
    assert (quiet.enabled, quiet.start, quiet.end) == (True, time(22), time(7))


def test_the_delivery_log_is_per_body_masked_and_failed_rows_can_be_retried(
    org, other_org, clerk, other_clerk, supervisor, client_for, django_capture_on_commit_callbacks
):
    received(org, applicant=Person(name="张三", phone="13800001234"))
    received(other_org, key="other", applicant=Person(name="李四", phone="13900005678"))
    mine = Message.objects.get(organization=org)
    Message.objects.filter(pk=mine.pk).update(status="failed", attempts=3, last_error="超时")
    client = client_for(clerk)
    html = client.get(reverse("notifications:log")).content.decode()
    assert "138****1234" in html and "13800001234" not in html
    assert "139****5678" not in html  # another body's log
    assert "重试" in html
    filtered = client.get(reverse("notifications:log"), {"status": "sent"}).content.decode()
    assert "138****1234" not in filtered
    # A clerk of another body cannot retry (nor see) this body's message.
    other = client_for(other_clerk).post(reverse("notifications:log_retry", args=[mine.pk]))
    assert other.status_code == 404
    # A supervising body reads cases, not applicants' contact details.
    assert client_for(supervisor).get(reverse("notifications:log")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:log_retry", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "sent" and mine.attempts == 4  # console backend in these tests
    assert AuditEvent.objects.filter(verb="notification.retry").exists()
    again = client.post(reverse("notifications:log_retry", args=[mine.pk]), follow=True)
    assert "只能重试发送失败的通知" in again.content.decode()
