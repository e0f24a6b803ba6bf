"""Dashboard widget for a supervisor: role grants the bodies' staff made to themselves."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from .models import Role
from .permissions import role_labels, visible_organization_ids
from .selectors import self_grants

MAX_ROWS = 10
WINDOW = dt.timedelta(days=365)


def widgets(request, organization, roles) -> list[dict]:
    """Separation of duties (issue #9): an administrator may grant itself clerk,
    reviewer or approver; the supervising body sees every such grant of the last
    year in the bodies it oversees (and its own)."""
    if organization is None or Role.SUPERVISOR not in roles:
        return []
    ids = organization.descendant_ids(include_self=True) & visible_organization_ids(request.user)
    events = list(self_grants(ids, since=timezone.now() - WINDOW)[:MAX_ROWS])
    rows = [
        {
            "label": f"{e.organization.display_name} · {e.actor_repr or e.data.get('user', '')}"
            f" 给自己授予「{''.join(role_labels([e.to_state])) or e.to_state}」",
            "value": timezone.localtime(e.created_at).strftime("%Y-%m-%d"),
            "url": reverse("organizations:organization_detail", args=[e.organization.slug]),
        }
        for e in events
    ]
    return [
        {
            "title": "自行授予的岗位（近一年）",
            "rows": rows,
            "empty": "下级机关近一年没有人给自己授予岗位。",
            "roles": [Role.SUPERVISOR],
            "order": 30,
        }
    ]
