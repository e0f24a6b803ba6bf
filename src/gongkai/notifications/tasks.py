"""Background jobs of the notifications (docs/jobs.md, docs/notifications.md)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from gongkai.jobs import job

from . import services

logger = logging.getLogger("gongkai.notifications")


@job("notifications.send", label="发送通知", attempts=services.SEND_ATTEMPTS)
def send(*, message_id: int) -> None:
    """Send one recorded message; raises to be retried (services.message_send)."""
    services.message_send(message_id=message_id, now=timezone.now())


@job(
    "notifications.release_held",
    label="发送免打扰时段暂缓的通知",
    daily=getattr(settings, "GONGKAI_NOTIFY_RELEASE_AT", services.DEFAULT_RELEASE_AT),
)
def release_held(day: str | None = None) -> None:
    """Queue the messages held for quiet hours that have ended (idempotent: a
    released message is ``pending``, no longer ``held``)."""
    released = services.held_release(now=timezone.now())
    logger.info("免打扰时段结束：%d 条通知已交给发送任务。", released)
