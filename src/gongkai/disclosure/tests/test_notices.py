"""公示 after their 公示期 (issue #9 item 7): the selector, masking, the daily
run, the work list, the supervisor's view; and the body's own contacts as the
scanner's allow-list on the review page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.selectors import events_for
from gongkai.disclosure import notices, services
from gongkai.disclosure.factories import PublishedItemFactory
from gongkai.disclosure.models import Item, NoticeExpiryReminder, NoticeSettings
from gongkai.privacy.sample import id_check_char
from gongkai.search.indexing import index_item
from gongkai.search.models import SearchDocument

pytestmark = pytest.mark.django_db

ID = "11010119900307123" + id_check_char("11010119900307123")
BODY = (
    f"经村民代表会议评议，拟将张三（身份证号{ID}，张家村3组12号）纳入低保。"
    "公示期内如有异议，请致电镇民政办0999-62345615。"
)
TODAY = dt.date(2024, 6, 20)
NOW = timezone.make_aware(dt.datetime(2024, 6, 20, 9, 0))


@pytest.fixture
def office(org):
    org.office_phone = "0999-62345615"
    org.office_fax = "0999-62345616"
    org.office_address = "测试镇人民路1号"
    org.save()
    return org


def notice(org, *, notice_to=dt.date(2024, 6, 10), body=BODY, **kw):
    item = PublishedItemFactory(
        organization=org,
        title="低保对象公示",
        body=body,
        kind=Item.Kind.LIST,
        notice_from=notice_to - dt.timedelta(days=6),
        notice_to=notice_to,
        **kw,
    )
    index_item(item)
    return item


# --- the allow-list at the review page -------------------------------------------------


def test_review_hits_leave_the_bodys_own_phone_alone(office, clerk):
    item = notice(office)
    kinds = [h["kind"] for h in services.privacy_hits(item)]
    # the ID and the house number; not the 民政办 number published in the guide
    assert kinds == ["id_card", "address"]
    office.office_phone = ""
    office.save()
    item.refresh_from_db()
    assert "landline" in [h["kind"] for h in services.privacy_hits(item)]


# --- selector ----------------------------------------------------------------------------


def test_only_expired_published_notices_with_personal_data_are_listed(office, other_org):
    expired = notice(office)
    notice(office, notice_to=TODAY)  # the 公示期 ends today: still running
    notice(
        office, body="经评议，张家村3组李四户纳入低保。异议请致电0999-62345615。"
    )  # nothing personal
    notice(office, status=Item.Status.WITHDRAWN)
    PublishedItemFactory(organization=office, body=BODY)  # no 公示期 at all
    notice(other_org)  # another body
    rows = notices.expired_personal_data_notices(organizations=[office], today=TODAY)
    assert [r.item for r in rows] == [expired]
    (row,) = rows
    assert (row.days_since, row.body_hits, row.attachment_hits) == (10, 2, 0)
    assert row.labels == ("住址", "身份证号码")


# --- masking -------------------------------------------------------------------------------


def test_mask_expired_notice_masks_audits_and_reindexes(office, clerk):
    item = notice(office)
    assert ID in SearchDocument.objects.get(item=item).body_norm.upper()
    item = notices.notice_mask_expired(item=item, acting_user=clerk, now=NOW)
    item.refresh_from_db()
    assert ID not in item.body and "110101********" in item.body
    assert "张家村3组**号" in item.body  # the group number stays public
    assert "0999-62345615" in item.body  # the office's own number stays
    (event,) = [e for e in events_for(item) if e.verb == "item.notice_mask_expired"]
    assert event.actor == clerk and event.data["hits"] == 2 and not event.data["automatic"]
    body_norm = SearchDocument.objects.get(item=item).body_norm
    assert ID not in body_norm.upper() and "110101" in body_norm
    assert notices.expired_personal_data_notices(organizations=[office], today=TODAY) == []


def test_mask_refused_while_the_notice_runs_and_for_outsiders(office, clerk, other_clerk):
    running = notice(office, notice_to=TODAY)
    with pytest.raises(ValidationError, match="公示期尚未结束"):
        notices.notice_mask_expired(item=running, acting_user=clerk, now=NOW)
    expired = notice(office)
    with pytest.raises(PermissionDenied):
        notices.notice_mask_expired(item=expired, acting_user=other_clerk, now=NOW)
    expired.refresh_from_db()
    assert expired.body == BODY


def test_nothing_to_mask_in_the_body_says_so(office, clerk):
    item = notice(office, body="名单见附件。")
    with pytest.raises(ValidationError, match="附件中的个人信息无法自动打码"):
        notices.notice_mask_expired(item=item, acting_user=clerk, now=NOW)


# --- the daily run ------------------------------------------------------------------------


def test_remind_once_per_item_and_dry_run_writes_nothing(
    office, clerk, settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.org"
    clerk.email = "clerk@example.org"
    clerk.save()
    item = notice(office)
    call_command("remind", "--dry-run", "--date", "2024-06-20")
    out = capsys.readouterr().out
    assert "将发送：测试镇人民政府：《低保对象公示》公示期已于2024-06-10结束" in out
    assert not NoticeExpiryReminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-06-20")
    reminder = NoticeExpiryReminder.objects.get()
    assert reminder.item == item and reminder.emailed
    assert [m.to for m in mail.outbox] == [["clerk@example.org"]]
    assert "请撤回或打码" in mail.outbox[0].body and ID not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-06-21")
    assert NoticeExpiryReminder.objects.count() == 1 and len(mail.outbox) == 1
    item.refresh_from_db()
    assert item.body == BODY  # reminded, not changed


def test_body_that_opted_in_gets_automatic_masking(office, other_org, capsys):
    NoticeSettings.objects.create(organization=office, auto_mask_expired=True)
    item = notice(office)
    other = notice(other_org)
    call_command("remind", "--date", "2024-06-20")
    out = capsys.readouterr().out
    assert "已自动打码：测试镇人民政府：《低保对象公示》" in out
    item.refresh_from_db()
    other.refresh_from_db()
    assert ID not in item.body
    assert other.body == BODY  # the other body only gets a reminder
    (event,) = [e for e in events_for(item) if e.verb == "item.notice_mask_expired"]
    assert event.actor is None and event.data["automatic"]
    assert NoticeExpiryReminder.objects.get().item == other


def test_settings_only_by_office_head_or_admin(office, clerk, office_head):
    with pytest.raises(PermissionDenied):
        notices.notice_settings_update(
            organization=office, acting_user=clerk, auto_mask_expired=True
        )
    notices.notice_settings_update(
        organization=office, acting_user=office_head, auto_mask_expired=True
    )
    assert NoticeSettings.objects.get(organization=office).auto_mask_expired


# --- pages -------------------------------------------------------------------------------


def test_work_list_page_and_dashboard_entry(office, clerk, client_for, time_machine):
    time_machine.move_to(NOW)
    item = notice(office)
    client = client_for(clerk)
    page = client.get(reverse("disclosure:expired_notices"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "低保对象公示" in html and "对正文打码" in html and ID not in html
    response = client.post(reverse("disclosure:expired_notice_mask", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert ID not in item.body
    widgets = notices_widget(client)
    assert "公示期满仍含个人信息（0）" in widgets


def notices_widget(client) -> str:
    return client.get(reverse("organizations:dashboard")).content.decode()


def test_dashboard_lists_the_expired_notice(office, clerk, client_for, time_machine):
    time_machine.move_to(NOW)
    notice(office)
    html = client_for(clerk).get(reverse("organizations:dashboard")).content.decode()
    assert "公示期满仍含个人信息（1）" in html and "低保对象公示" in html


def test_supervisor_sees_expired_notices_per_body(office, supervisor, client_for, time_machine):
    time_machine.move_to(NOW)
    notice(office)
    html = client_for(supervisor).get(reverse("reports:supervision")).content.decode()
    assert "公示期满仍含个人信息的公示（1）" in html
    assert "测试镇人民政府（1）" in html and "低保对象公示" in html
    assert ID not in html
