from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        # The year lock (lock.py): a deliberate, narrow use of signals -- they
        # only refuse writes that would alter a published report.
        from .lock import connect

        connect()
