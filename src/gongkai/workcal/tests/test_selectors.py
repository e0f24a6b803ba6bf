import datetime as dt

import pytest
from django.db import transaction

from gongkai.core.shared import VersionedCopy, version_bump
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


# --- several app servers (issue #13) ------------------------------------------------


def other_server() -> VersionedCopy:
    """A second app server's copy of the calendar: its own process memory, the
    same shared cache and database."""
    return VersionedCopy(
        selectors.CALENDAR_VERSION, selectors._load, extra=selectors._schedules_stamp
    )


def test_a_schedule_saved_on_one_server_reaches_the_other(
    redis_cache, org, superuser, django_capture_on_commit_callbacks
):
    here, there = selectors._process_calendar, other_server()
    here.invalidate()
    assert not here.get().has_schedule(2034) and not there.get().has_schedule(2034)
    builds = there.builds
    assert there.get() is there.get() and there.builds == builds  # kept between calls
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_schedule_save(
            year=2034, text="2034-03-13 休", acting_user=superuser, organization=org
        )
    assert there.get().has_schedule(2034)  # the other server rebuilt its copy
    assert not there.get().is_workday(dt.date(2034, 3, 13))
    assert selectors.calendar().has_schedule(2034)


def test_without_the_version_bump_the_other_server_would_keep_the_old_calendar(redis_cache):
    # The defect the version fixes: a server's copy is kept while the version is.
    there = other_server()
    assert not there.get().has_schedule(2035)
    HolidaySchedule.objects.bulk_create([HolidaySchedule(year=2035, text="2035-01-02 休")])
    assert not there.get().has_schedule(2035)  # bulk_create sends no signal, no bump
    version_bump(selectors.CALENDAR_VERSION)
    assert there.get().has_schedule(2035)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_schedule_never_becomes_the_process_copy(redis_cache, org, superuser):
    selectors.calendar_invalidate()
    assert not selectors.calendar().has_schedule(2036)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.holiday_schedule_save(
                year=2036, text="2036-01-02 休", acting_user=superuser, organization=org
            )
            assert selectors.calendar().has_schedule(2036)  # this thread sees its write
            raise RuntimeError("rolled back")
    assert not selectors.calendar().has_schedule(2036)
    assert selectors.calendar() is selectors.calendar()  # stored again after the rollback


def test_without_a_shared_cache_the_table_stamp_is_checked(locmem_cache):
    # Embedded mode, or several processes without REDIS_URL: each process
    # compares the table's count/last change (the LocMem version is its own).
    there = other_server()
    assert not there.get().has_schedule(2037)
    HolidaySchedule.objects.bulk_create([HolidaySchedule(year=2037, text="2037-01-02 休")])
    assert there.get().has_schedule(2037)
