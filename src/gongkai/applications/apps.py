from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"

    def ready(self) -> None:
        # Facts of an application notify the applicant and staff (docs/notifications.md).
        from . import notices

        notices.connect()
