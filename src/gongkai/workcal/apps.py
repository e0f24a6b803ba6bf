from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    """Holiday schedules and the platform's working-day calendar built from them."""

    name = "gongkai.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import HolidaySchedule
        from .selectors import calendar_changed

        # Every write of a schedule (holiday_schedule_save, the shell, a
        # script) announces the change, so no app server keeps counting
        # deadlines with a calendar that is gone.
        def changed(sender, **kwargs):
            calendar_changed()

        post_save.connect(changed, sender=HolidaySchedule, weak=False, dispatch_uid="workcal-cal")
        post_delete.connect(
            changed, sender=HolidaySchedule, weak=False, dispatch_uid="workcal-cal-d"
        )
