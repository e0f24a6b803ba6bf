import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.selectors import events_for
from gongkai.core import audit_verbs
from gongkai.workcal import services
from gongkai.workcal.models import HolidaySchedule

pytestmark = pytest.mark.django_db


def test_holiday_schedule_save_validates(org, org_admin, clerk, superuser):
    # The calendar is platform-wide: neither a clerk nor a body's admin may change it.
    for user in (clerk, org_admin):
        with pytest.raises(PermissionDenied):
            services.holiday_schedule_save(
                year=2030, text="2030-01-01 休", acting_user=user, organization=org
            )
    with pytest.raises(ValidationError, match="第1行"):
        services.holiday_schedule_save(
            year=2030, text="明天放假", acting_user=superuser, organization=org
        )
    schedule = services.holiday_schedule_save(
        year=2030,
        text="2030-01-01 休 元旦",
        source="国办发明电〔2029〕1号",
        acting_user=superuser,
        organization=org,
    )
    assert schedule.pk and events_for(schedule).get().verb == "holiday_schedule.save"


def test_holiday_schedule_save_refuses_years_outside_the_range(org, superuser):
    with pytest.raises(ValidationError) as info:
        services.holiday_schedule_save(
            year=1999, text="1999-01-01 休", acting_user=superuser, organization=org
        )
    assert info.value.message_dict == {"year": ["年份超出范围（2000-2100）。"]}
    assert not HolidaySchedule.objects.exists()


def test_saving_a_year_again_replaces_it_and_is_audited_each_time(org, superuser):
    first = services.holiday_schedule_save(
        year=2030, text="2030-01-01 休", source="甲", acting_user=superuser, organization=org
    )
    second = services.holiday_schedule_save(
        year=2030,
        text="2030-01-01 休\n2030-01-02 休",
        source="乙",
        acting_user=superuser,
        organization=org,
    )
    assert second.pk == first.pk and HolidaySchedule.objects.count() == 1
    second.refresh_from_db()
    assert second.source == "乙" and second.text.endswith("2030-01-02 休")
    events = list(events_for(second))
    assert [e.data for e in events] == [
        {"year": 2030, "source": "甲"},
        {"year": 2030, "source": "乙"},
    ]
    assert all(e.organization == org and e.actor == superuser for e in events)


def test_the_audit_log_reads_the_verb_in_chinese():
    assert audit_verbs.label("holiday_schedule.save") == "录入节假日安排"
