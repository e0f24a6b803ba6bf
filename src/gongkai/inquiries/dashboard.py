"""Dashboard widgets: the body's open inquiries (overdue first), and for a
supervisor the per-body figures of the bodies under it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import visible_organization_ids

from .models import Inquiry
from .permissions import can_supervise
from .selectors import figures_by_body, supervised_bodies, tab_counts, totals

ROWS = (("overdue", "已超期未答复"), ("due_soon", "3日内到期"), ("open", "全部待答复"))


def widgets(request, organization, roles: frozenset[str]) -> list[dict]:
    if organization is None:
        return []
    today = timezone.localdate()
    base = reverse("inquiries:list")
    counts = tab_counts(Inquiry.objects.filter(organization=organization), today=today)
    found = [
        {
            "title": "政民互动",
            "rows": [
                {"label": label, "value": counts[key], "url": f"{base}?tab={key}"}
                for key, label in ROWS
            ],
            "url": base,
            "order": 22,
        }
    ]
    if Role.SUPERVISOR in roles or Role.ADMIN in roles:
        if can_supervise(request.user, organization):
            bodies = supervised_bodies(organization, visible_organization_ids(request.user))
            rows = figures_by_body(bodies, today.year, today=today)
            total = totals(rows)
            url = reverse("inquiries:supervision")
            found.append(
                {
                    "title": f"政民互动（本机关及下级机关，{today.year}年）",
                    "rows": [
                        {"label": "收到留言", "value": total["received"], "url": url},
                        {"label": "已答复", "value": total["answered"], "url": url},
                        {"label": "按期答复", "value": total["on_time"], "url": url},
                        {
                            "label": "超期未答复",
                            "value": total["overdue_open"],
                            "url": f"{base}?scope=all&tab=overdue",
                        },
                    ],
                    "url": url,
                    "order": 23,
                }
            )
    return found
