"""Dashboard widgets: today's application work of the current body, and for a
supervisor the bodies under it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import visible_organization_ids

from .models import Application, Status
from .permissions import extension_requests_to_decide
from .selectors import worklists

LABELS = (
    ("overdue", "已超期"),
    ("due_today", "今日到期"),
    ("due_this_week", "本周到期"),
    ("waiting", "等待申请人（补正/缴费/说明理由）"),
    ("open", "全部在办"),
)


def _widget(title: str, queryset, query: str, order: int) -> dict:
    counts = worklists(queryset, today=timezone.localdate()).counts()
    base = reverse("applications:list")
    return {
        "title": title,
        "rows": [
            {"label": label, "value": counts[key], "url": f"{base}?tab={key}{query}"}
            for key, label in LABELS
        ],
        "url": f"{base}?{query.lstrip('&')}" if query else base,
        "order": order,
    }


def widgets(request, organization, roles: frozenset[str]) -> list[dict]:
    if organization is None:
        return []
    found = [_widget("依申请公开", Application.objects.filter(organization=organization), "", 20)]
    if Role.SUPERVISOR in roles:
        ids = organization.descendant_ids() & visible_organization_ids(request.user)
        if ids:
            found.append(
                _widget(
                    "依申请公开（下级机关）",
                    Application.objects.filter(organization_id__in=ids),
                    "&scope=all",
                    21,
                )
            )
    if Role.OFFICE_HEAD in roles:
        # 条例第三十三条第二款: extensions wait for the 公开办负责人.
        pending = extension_requests_to_decide(request.user).count()
        url = reverse("applications:extension_list")
        found.append(
            {
                "title": "待我批准的延期",
                "rows": [{"label": "待批准的延期申请", "value": pending, "url": url}],
                "url": url,
                "order": 19,
            }
        )
        found.extend(_unreplayable_widget(organization))
    return found


def _unreplayable_widget(organization) -> list[dict]:
    """Open applications whose stored history the deadline refresh could not replay
    (services.application_refresh_deadlines): their cached 答复期限 may be stale and
    a person must check them.  Shown only when there are some."""
    flagged = list(
        Application.objects.filter(organization=organization)
        .exclude(status=Status.CLOSED)
        .exclude(deadline_problem="")
        .order_by("due_on", "pk")[:20]
    )
    if not flagged:
        return []
    return [
        {
            "title": f"答复期限无法重新计算（{len(flagged)}）",
            "rows": [
                {
                    "label": f"{a.tracking_code} {a.applicant_name}",
                    "value": a.deadline_problem,
                    "url": reverse("applications:detail", args=[a.pk]),
                }
                for a in flagged
            ],
            "order": 18,
        }
    ]
