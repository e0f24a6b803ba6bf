from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    """Holiday schedules and the platform's working-day calendar built from them."""

    name = "gongkai.workcal"
    label = "workcal"
    verbose_name = "工作日历"
