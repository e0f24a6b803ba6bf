"""Dashboard widgets: 待我审核, 待我审批, 即将超期 (see organizations/extensions.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role

from . import permissions as perms
from . import selectors
from .models import Item

MAX_ROWS = 8


def _rows(items, url_name: str) -> list[dict]:
    return [
        {
            "label": item.title,
            "value": item.updated_at.astimezone(timezone.get_current_timezone()).strftime("%m-%d"),
            "url": reverse(url_name, args=[item.pk]),
        }
        for item in items[:MAX_ROWS]
    ]


def widgets(request, organization) -> list[dict]:
    if organization is None:
        return []
    user = request.user
    out = []
    to_review = [
        i
        for i in Item.objects.filter(organization=organization, status=Item.Status.IN_REVIEW)
        .select_related("organization")
        .order_by("updated_at")
        if perms.can_review(user, i)
    ]
    out.append(
        {
            "title": f"待我审核（{len(to_review)}）",
            "rows": _rows(to_review, "disclosure:item_review"),
            "empty": "没有等待保密审查的信息。",
            "roles": [Role.REVIEWER],
            "order": 10,
            "url": reverse("disclosure:item_list") + "?status=in_review",
        }
    )
    to_approve = [
        i
        for i in Item.objects.filter(organization=organization, status=Item.Status.IN_APPROVAL)
        .select_related("organization")
        .order_by("updated_at")
        if perms.can_approve(user, i)
    ]
    out.append(
        {
            "title": f"待我审批（{len(to_approve)}）",
            "rows": _rows(to_approve, "disclosure:item_approval"),
            "empty": "没有等待审批的信息。",
            "roles": [Role.APPROVER],
            "order": 11,
            "url": reverse("disclosure:item_list") + "?status=in_approval",
        }
    )
    today = timezone.localdate()
    rows = [
        r for r in selectors.timeliness_rows(organization, today) if r.state != "published_late"
    ]
    out.append(
        {
            "title": f"即将超期（{len(rows)}）",
            "rows": [
                {
                    "label": r.item.title,
                    "value": f"{r.state_label} · 期限 {r.deadline:%m-%d}"
                    + ("（暂按周一至周五）" if r.provisional else ""),
                    "url": reverse("disclosure:item_detail", args=[r.item.pk]),
                }
                for r in rows[:MAX_ROWS]
            ],
            "empty": "没有超期或即将超期的主动公开信息。",
            "roles": [Role.CLERK, Role.OFFICE_HEAD, Role.APPROVER, Role.SUPERVISOR],
            "order": 12,
            "url": reverse("disclosure:timeliness"),
        }
    )
    return out
