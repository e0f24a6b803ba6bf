import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.workcal.models import HolidaySchedule

pytestmark = pytest.mark.django_db


def test_holidays_superuser_only(org, client_for, org_admin, clerk, superuser):
    # A body's admin may not move every body's deadlines, and does not see the link.
    for user in (clerk, org_admin):
        client = client_for(user)
        assert client.get(reverse("workcal:holidays")).status_code == 403
        assert (
            reverse("workcal:holidays")
            not in client.get(reverse("organizations:dashboard")).content.decode()
        )
    client = client_for(superuser)
    assert (
        reverse("workcal:holidays")
        in client.get(reverse("organizations:dashboard")).content.decode()
    )
    response = client.post(
        reverse("workcal:holidays"), {"year": 2030, "source": "", "text": "乱写"}
    )
    assert response.status_code == 200 and "第1行" in response.content.decode()
    response = client.post(
        reverse("workcal:holidays"), {"year": 2030, "source": "测试", "text": "2030-01-01 休"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workcal:holidays"),
        {"year": 2030, "source": "更正", "text": "2030-01-01 休\n2030-01-02 休"},
    )
    assert response.status_code == 302


def test_a_saved_schedule_is_listed_and_its_audit_row_points_at_it(org, client_for, superuser):
    client = client_for(superuser)
    response = client.post(
        reverse("workcal:holidays"),
        {"year": 2030, "source": "国办发明电〔2029〕1号", "text": "2030-01-01 休 元旦"},
        follow=True,
    )
    page = response.content.decode()
    assert "2030年节假日安排已保存。" in page and "国办发明电〔2029〕1号" in page
    schedule = HolidaySchedule.objects.get(year=2030)
    event = AuditEvent.objects.get(verb="holiday_schedule.save")
    assert event.content_type == ContentType.objects.get(
        app_label="workcal", model="holidayschedule"
    )
    assert event.content_type.get_object_for_this_type(pk=event.object_id) == schedule


def test_the_old_address_of_the_page_still_leads_to_it(client_for, superuser):
    response = client_for(superuser).get("/backoffice/disclosure/holidays/")
    assert response.status_code == 301 and response["Location"] == reverse("workcal:holidays")
    assert reverse("workcal:holidays") == "/backoffice/holidays/"
