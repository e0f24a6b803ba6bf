"""The interface other apps call::

    from gongkai.notifications.api import notify, Person

    notify(
        "application.received",
        organization=org,
        key=f"application:{a.pk}:received",   # at most one message per (key, recipient, channel)
        context={"申请人": ..., "查询码": ...},  # the event's placeholders (events.py)
        applicant=Person(name=..., email=..., phone=...),
        staff=[user, ...],
        url="/backoffice/...",
    )

Call it inside the writer's transaction: the messages are recorded with the
write and sent by the job queue after the commit (nothing after a rollback).
"""

from .events import EVENTS
from .services import Person, notify

__all__ = ["EVENTS", "Person", "notify"]
