"""Template helpers for application pages that must not assume a user exists.

A portal submission has no ``created_by``; events recorded by scheduled jobs
have no ``actor``.  ``{{ user|user_label:"网上提交" }}`` never raises.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def user_label(user, fallback: str = "—") -> str:
    if user is None:
        return fallback
    name = (user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    return name or user.get_username() or fallback
