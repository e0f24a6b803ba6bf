"""Dashboard widgets: 待我审核, 待我审批, 即将超期 (see platform/extensions.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.organizations.models import Role

from . import notices, selectors
from .models import ImportJob, Item

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


def _waiting(organization, status: str, user):
    """Items in ``status`` for a reviewer/approver: never what they drafted, last
    edited or (for approval) reviewed themselves (the same rule as
    permissions.can_review / can_approve, applied once in the query)."""
    qs = (
        Item.objects.filter(organization=organization, status=status)
        .exclude(created_by=user)
        .exclude(last_edited_by=user)
    )
    if status == Item.Status.IN_APPROVAL:
        qs = qs.exclude(reviewed_by=user)
    return qs.order_by("updated_at")


def _queue_widget(organization, user, status, title, url_name, empty, role, order) -> dict:
    qs = _waiting(organization, status, user)
    items = list(qs[:MAX_ROWS])
    count = len(items) if len(items) < MAX_ROWS else qs.count()
    return {
        "title": f"{title}（{count}）",
        "rows": _rows(items, url_name),
        "empty": empty,
        "roles": [role],
        "order": order,
        "url": reverse("disclosure:item_list") + f"?status={status}",
    }


def _imports_widget(organization, user) -> dict:
    """待我确认的导入: imports that publish rows, for an approver other than the
    uploader (permissions.can_confirm_import; review of issue #9, F2)."""
    jobs = [
        job
        for job in ImportJob.objects.filter(
            organization=organization,
            imported_at=None,
            declined_at=None,
            publishes__gt=0,
            error_count=0,
        )
        .exclude(created_by=user)
        .select_related("created_by")
        .order_by("created_at")
        if job.awaits_confirmation
    ]
    tz = timezone.get_current_timezone()
    return {
        "title": f"待我确认的导入（{len(jobs)}）",
        "rows": [
            {
                "label": job.original_name,
                "value": f"{job.publishes}行立即公开 · {job.created_at.astimezone(tz):%m-%d}",
                "url": reverse("disclosure:import_job", args=[job.pk]),
            }
            for job in jobs[:MAX_ROWS]
        ],
        "empty": "没有等待确认的导入。",
        "roles": [Role.APPROVER],
        "order": 11,
        "url": None,  # the upload page is the uploaders'; each row links its job
    }


NOTICE_ROLES = frozenset(notices.MASK_ROLES)


def _expired_notices_widget(organization) -> dict:
    """公示期满仍含个人信息: the clerk's work list entry (issue #9)."""
    rows = notices.expired_personal_data_notices(
        organizations=[organization], today=timezone.localdate()
    )
    return {
        "title": f"公示期满仍含个人信息（{len(rows)}）",
        "rows": [
            {
                "label": r.item.title,
                "value": f"公示期至 {r.item.notice_to:%m-%d}，{r.hits}处，请撤回或打码",
                "url": reverse("disclosure:item_detail", args=[r.item.pk]),
            }
            for r in rows[:MAX_ROWS]
        ],
        "empty": "没有公示期已满仍含个人信息的公示。",
        "roles": sorted(NOTICE_ROLES),
        "order": 13,
        "url": reverse("disclosure:expired_notices"),
    }


TIMELINESS_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD, Role.APPROVER, Role.SUPERVISOR})


def widgets(request, organization, roles: frozenset[str]) -> list[dict]:
    """Only the widgets ``roles`` (the user's roles in ``organization``) may see are built."""
    if organization is None:
        return []
    user = request.user
    out = []
    if Role.REVIEWER in roles:
        out.append(
            _queue_widget(
                organization,
                user,
                Item.Status.IN_REVIEW,
                "待我审核",
                "disclosure:item_review",
                "没有等待保密审查的信息。",
                Role.REVIEWER,
                10,
            )
        )
    if Role.APPROVER in roles:
        out.append(
            _queue_widget(
                organization,
                user,
                Item.Status.IN_APPROVAL,
                "待我审批",
                "disclosure:item_approval",
                "没有等待审批的信息。",
                Role.APPROVER,
                11,
            )
        )
        out.append(_imports_widget(organization, user))
    if NOTICE_ROLES & set(roles):
        out.append(_expired_notices_widget(organization))
    if not TIMELINESS_ROLES & set(roles):
        return out
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
                    "value": (
                        f"{r.state_label} · 期限 {r.deadline:%m-%d}"
                        if r.deadline is not None
                        else f"{r.state_label}：形成日期 {r.item.formed_on:%Y-%m-%d}，请更正"
                    )
                    + ("（暂按周一至周五并扣除法定节假日，不含调休）" if r.provisional else ""),
                    "url": reverse("disclosure:item_detail", args=[r.item.pk]),
                }
                for r in rows[:MAX_ROWS]
            ],
            "empty": "没有超期或即将超期的主动公开信息。",
            "roles": sorted(TIMELINESS_ROLES),
            "order": 12,
            "url": reverse("disclosure:timeliness"),
        }
    )
    return out
