from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        # The year lock (lock.py): a deliberate, narrow use of signals -- they
        # only refuse writes that would alter a published report.
        from .lock import connect

        connect()
        # 督办 (gongkai.urging, below this app) reads a late report through this.
        from gongkai.urging.targets import register_report_status

        from .supervision import report_status

        register_report_status(report_status)
