import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings

from .deployment import cache_warning

logger = logging.getLogger("gongkai.platform")


class PlatformConfig(AppConfig):
    """The back-office shell: navigation, dashboard, view guards, the pages of
    bodies, people and the audit log, and the operations commands."""

    name = "gongkai.platform"
    label = "platform"

    def ready(self):
        message = cache_warning(
            production=getattr(settings, "PRODUCTION", False),
            caches=settings.CACHES,
            environ=os.environ,
            argv=sys.argv,
        )
        if message:
            logger.warning(message)
