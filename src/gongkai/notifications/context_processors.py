"""``notices_unread``: the number shown beside 通知 in the back-office header."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: one indexed COUNT, only on pages that show the header.
    return {"notices_unread": SimpleLazyObject(lambda: unread_count(user))}
