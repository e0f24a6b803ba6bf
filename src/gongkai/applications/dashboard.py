"""Dashboard widgets: today's application work of the current body, and for a
supervisor the bodies under it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import visible_organization_ids

from .models import Application, IntakeState, Status
from .permissions import HANDLER_ROLES, extension_requests_to_decide
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
    found.extend(_intake_widget(organization, roles))
    return found


def _intake_widget(organization, roles: frozenset[str]) -> list[dict]:
    """统一受理: applications waiting for this body's 签收 and, at a county with a
    unified form, for dispatch (and past the dispatch deadline).  Shown only
    when there are some."""
    if not roles & set(HANDLER_ROLES):
        return []
    today = timezone.localdate()
    held_here = Application.objects.filter(organization=organization)
    to_sign = held_here.filter(intake_state=IntakeState.DISPATCHED).count()
    queued = held_here.filter(intake_state=IntakeState.PENDING, intake__organization=organization)
    pending = queued.count()
    late = queued.filter(dispatch_due_on__lt=today).count()
    if not (to_sign or pending):
        return []
    url = reverse("applications:intake")
    rows = [{"label": "待本机关签收", "value": to_sign, "url": url}]
    if pending:
        rows += [
            {"label": "待分办", "value": pending, "url": url},
            {"label": "分办超期", "value": late, "url": url},
        ]
    return [{"title": "统一受理", "rows": rows, "url": url, "order": 17}]


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
