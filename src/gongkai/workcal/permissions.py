"""Who may change the working-day calendar."""

from __future__ import annotations

from gongkai.organizations.models import Organization


def can_manage_holidays(user, org: Organization | None = None) -> bool:
    """Holiday schedules are platform-wide (they move every body's deadlines), so
    only a superuser may change them; a body's administrator may not."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )
