from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = "公开门户"

    def ready(self) -> None:
        # Page-cache invalidation: changes below bump the public pages' versions.
        from .invalidation import connect

        connect()
