import datetime as dt

import pytest

from gongkai.workcal import selectors, services
from gongkai.workcal.models import HolidaySchedule

pytestmark = pytest.mark.django_db


def test_calendar_reads_administrator_schedules_first():
    # 2031 is beyond the package's data: Mon-Fri less the statutory holidays, provisional.
    selectors.calendar_invalidate()
    assert not selectors.calendar().has_schedule(2031)
    HolidaySchedule.objects.create(year=2031, text="2031-03-17~2031-03-21 休 测试")
    selectors.calendar_invalidate()
    cal = selectors.calendar()
    assert cal.has_schedule(2031) and not cal.is_workday(dt.date(2031, 3, 18))
    # Mon 2031-03-03 + 20 working days, five of them off: Apr 1, 2, 3, 4, 7.
    result = cal.add_workdays(dt.date(2031, 3, 3), 20)
    assert result == dt.date(2031, 4, 7) and not result.provisional


def test_calendar_cache_picks_up_new_schedule_without_explicit_invalidation(org, superuser):
    first = selectors.calendar()
    assert selectors.calendar() is first
    services.holiday_schedule_save(
        year=2032, text="2032-01-05 休", acting_user=superuser, organization=org
    )
    second = selectors.calendar()
    assert second is not first and second.has_schedule(2032)


def test_a_schedule_saved_elsewhere_is_seen_on_the_next_call():
    # Another process saved it: this process's cache was never invalidated.
    first = selectors.calendar()
    HolidaySchedule.objects.create(year=2033, text="2033-01-03 休")
    assert selectors.calendar() is not first and selectors.calendar().has_schedule(2033)


@pytest.mark.parametrize("setting, expected", [(True, True), (False, False)])
def test_fee_pauses_clock_follows_the_setting(settings, setting, expected):
    # 国办函〔2020〕109号: notice-to-payment time is not counted, unless switched off.
    settings.GONGKAI_FEE_PAUSES_CLOCK = setting
    assert selectors.fee_pauses_clock() is expected


def test_fee_pauses_clock_defaults_to_on(settings):
    del settings.GONGKAI_FEE_PAUSES_CLOCK
    assert selectors.fee_pauses_clock() is True
