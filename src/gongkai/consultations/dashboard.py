"""Dashboard widgets (see platform/extensions.py): the clerk's work list — comments
awaiting moderation, ended consultations without their 采纳情况, drafts awaiting
approval — and the supervisor's overdue 采纳情况 under it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role
from gongkai.organizations.permissions import organizations_visible_to

from . import selectors as sel
from .models import Comment, Consultation, Status
from .permissions import HANDLER_ROLES

MAX_ROWS = 8


def _handler_widgets(organization, today) -> list[dict]:
    pending = list(
        sel.comments_awaiting_moderation(
            Comment.objects.filter(consultation__organization=organization)
        )
        .select_related("consultation")
        .order_by("received_on", "pk")[: MAX_ROWS + 1]
    )
    # Every row is this body's: its setting is read once, not per row.
    workdays = sel.settings_for(organization).feedback_workdays
    ended = list(
        sel.awaiting_feedback(Consultation.objects.filter(organization=organization), today)
        .select_related("organization")
        .order_by("end_on")[: MAX_ROWS + 1]
    )
    widgets = [
        {
            "title": f"待审核的意见（{len(pending) if len(pending) <= MAX_ROWS else f'{MAX_ROWS}+'}）",
            "rows": [
                {
                    "label": c.consultation.title,
                    "value": f"{c.get_channel_display()} · {c.received_on:%m-%d}",
                    "url": reverse("consultations:detail", args=[c.consultation_id])
                    + f"#comment-{c.pk}",
                }
                for c in pending[:MAX_ROWS]
            ],
            "empty": "没有待审核的意见。",
            "roles": list(HANDLER_ROLES),
            "order": 35,
            "url": reverse("consultations:list"),
        },
        {
            "title": f"已截止未公布采纳情况（{len(ended) if len(ended) <= MAX_ROWS else f'{MAX_ROWS}+'}）",
            "rows": [
                {
                    "label": c.title,
                    "value": (
                        "已逾期"
                        if today > (due := sel.feedback_due(c, workdays=workdays))
                        else f"{due:%m-%d}前公布"
                    ),
                    "url": reverse("consultations:detail", args=[c.pk]),
                }
                for c in ended[:MAX_ROWS]
            ],
            "empty": "没有待公布采纳情况的意见征集。",
            "roles": list(HANDLER_ROLES),
            "order": 36,
            "url": reverse("consultations:list"),
        },
    ]
    return widgets


def _approver_widget(organization) -> dict:
    waiting = list(
        Consultation.objects.filter(organization=organization, status=Status.IN_APPROVAL).order_by(
            "submitted_at"
        )[:MAX_ROWS]
    )
    return {
        "title": f"待审批的意见征集（{len(waiting)}）",
        "rows": [
            {
                "label": c.title,
                "value": f"{c.start_on:%m-%d}起",
                "url": reverse("consultations:detail", args=[c.pk]),
            }
            for c in waiting
        ],
        "empty": "没有待审批的意见征集。",
        "roles": [Role.APPROVER],
        "order": 37,
    }


def _supervisor_widget(request, today) -> dict:
    orgs = organizations_visible_to(request.user)
    rows = sel.supervision_rows(orgs, year=today.year, today=today)
    flagged = [(r.organization, c, due) for r in rows for c, due in r.overdue]
    return {
        "title": f"逾期未公布的意见采纳情况（{len(flagged)}）",
        "rows": [
            {
                "label": f"{org.display_name}：{c.title}",
                "value": f"应于{due:%m-%d}前公布",
                "url": reverse("consultations:detail", args=[c.pk]),
            }
            for org, c, due in flagged[:MAX_ROWS]
        ],
        "empty": "下级机关的意见采纳情况均已按时公布。",
        "roles": [Role.SUPERVISOR],
        "order": 38,
        "url": reverse("consultations:supervision"),
    }


def widgets(request, organization, roles) -> list[dict]:
    today = timezone.localdate()
    found: list[dict] = []
    if roles & set(HANDLER_ROLES):
        found.extend(_handler_widgets(organization, today))
    if Role.APPROVER in roles:
        found.append(_approver_widget(organization))
    if Role.SUPERVISOR in roles:
        found.append(_supervisor_widget(request, today))
    return found
