"""Dashboard widgets about people and the body's own record.

- For a supervisor: role grants the bodies' staff made to themselves, and every
  account opened and key role granted in the bodies it oversees (separation of
  duties, issue #9; puppet accounts, review #9 F7).
- For a body's admin: what the closing letters cannot name yet (the court, a
  reconsideration body the hierarchy does not imply).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent

from .models import Role
from .permissions import role_labels, visible_organization_ids
from .selectors import self_grants, staff_changes

MAX_ROWS = 10
WINDOW = dt.timedelta(days=365)


def widgets(request, organization, roles) -> list[dict]:
    if organization is None:
        return []
    found = []
    if Role.SUPERVISOR in roles:
        ids = organization.descendant_ids(include_self=True) & visible_organization_ids(
            request.user
        )
        since = timezone.now() - WINDOW
        found += [_self_grants_widget(ids, since), _staff_changes_widget(ids, since)]
    if Role.ADMIN in roles:
        found += _letters_widget(organization)
    return found


def _role(code: str) -> str:
    return "".join(role_labels([code])) or code


def _row(event: AuditEvent, label: str) -> dict:
    return {
        "label": f"{event.organization.display_name} · {label}",
        "value": timezone.localtime(event.created_at).strftime("%Y-%m-%d"),
        "url": reverse("organizations:organization_detail", args=[event.organization.slug]),
    }


def _self_grants_widget(ids, since) -> dict:
    """An administrator may grant itself clerk, reviewer or approver; the
    supervising body sees every such grant of the last year."""
    events = list(self_grants(ids, since=since)[:MAX_ROWS])
    rows = [
        _row(
            e,
            f"{e.actor_repr or e.data.get('user', '')} 给自己授予「{_role(e.to_state)}」",
        )
        for e in events
    ]
    return {
        "title": "自行授予的岗位（近一年）",
        "rows": rows,
        "empty": "下级机关近一年没有人给自己授予岗位。",
        "roles": [Role.SUPERVISOR],
        "order": 30,
    }


def _staff_change_label(event: AuditEvent) -> str:
    actor = event.actor_repr or "系统"
    if event.verb == "user.create":
        return f"{actor} 新建账号「{event.data.get('username', '')}」"
    if event.data.get("self_grant"):
        return f"【自行授予】{actor} 给自己授予「{_role(event.to_state)}」"
    return f"{actor} 授予 {event.data.get('user', '')}「{_role(event.to_state)}」"


def _staff_changes_widget(ids, since) -> dict:
    """A body admin could open an account with the approver role (or give a
    colleague the reviewer role) and use it: a second "person" that is the same
    person.  The supervising body sees every account opened and every grant of
    保密审查/审批领导/公开办负责人/管理员/监督 of the last year, with who did it,
    for whom and when."""
    changes = staff_changes(ids, since=since)
    events = list(changes[: MAX_ROWS + 1])
    title = "新建账号与关键岗位授予（近一年）"
    if len(events) > MAX_ROWS:
        title = f"新建账号与关键岗位授予（近一年共 {changes.count()} 条，显示最近 {MAX_ROWS} 条）"
    return {
        "title": title,
        "rows": [_row(e, _staff_change_label(e)) for e in events[:MAX_ROWS]],
        "empty": "本机关及下级机关近一年没有新建账号，也没有授予保密审查、审批领导、"
        "公开办负责人、管理员或监督岗位。",
        "roles": [Role.SUPERVISOR],
        "order": 31,
    }


def _letters_widget(organization) -> list[dict]:
    """The closing letters name where the applicant may sue and appeal.  A blank
    court is written “有管辖权的人民法院” — never guessed, because 行政诉讼法第十八条
    第二款 lets a high court assign cases across regions; a reconsideration body
    the hierarchy does not imply (行政复议法第二十四条) is written
    “有权受理的行政复议机关”.  Both are correct but name no one: remind the admin."""
    url = reverse("organizations:office_edit")
    rows = []
    if not organization.court.strip():
        rows.append(
            {
                "label": "尚未填写管辖法院：告知书现写“有管辖权的人民法院”，请填写法院全称",
                "value": "去填写",
                "url": url,
            }
        )
    if not organization.effective_reconsideration_body():
        rows.append(
            {
                "label": "尚未填写行政复议机关，且无法由上级机关推定：告知书现写“有权受理的行政复议机关”",
                "value": "去填写",
                "url": url,
            }
        )
    if not rows:
        return []
    return [{"title": "告知书信息待补充", "rows": rows, "roles": [Role.ADMIN], "order": 5}]
