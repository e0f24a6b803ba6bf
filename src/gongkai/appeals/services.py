"""Recording 行政复议 / 行政诉讼 and their results (audited).

Filing creates the case; deciding it is the one transition of
``workflow.APPEAL`` (尚未审结 → 已审结, final), taken through
:func:`gongkai.core.transition.transition`.  A refused role is
:class:`~gongkai.core.errors.Forbidden` (a 403 in the back office), a refused
request :class:`~gongkai.core.errors.Invalid`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.errors import Invalid, require
from gongkai.core.transition import transition
from gongkai.organizations.models import Organization

from .models import Appeal, AppealKind, Result
from .permissions import can_record
from .workflow import APPEAL

NOT_A_HANDLER = "您在该机关没有登记行政复议、行政诉讼的权限。"


def _writer_refusal(user, organization) -> str | None:
    return None if can_record(user, organization) else NOT_A_HANDLER


def _not_in_future(day: date, what: str, now: datetime) -> str | None:
    if day > timezone.localdate(now):
        return f"{what}（{day:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
    return None


@transaction.atomic
def appeal_file(
    *,
    organization: Organization,
    kind: str,
    filed_on: date,
    authority: str,
    acting_user,
    application=None,
    follows: Appeal | None = None,
    case_number: str = "",
    applicant_name: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Appeal:
    """Register a reconsideration or a lawsuit about one of the body's decisions."""
    now = now or timezone.now()
    require(can_record(acting_user, organization), NOT_A_HANDLER)
    errors: dict[str, str] = {}
    if kind not in AppealKind.values:
        errors["kind"] = "请选择行政复议、直接起诉或复议后起诉。"
    if not (authority or "").strip():
        errors["authority"] = "请填写复议机关或受理法院。"
    if application is not None:
        if application.organization_id != organization.pk:
            errors["application"] = "所选申请不属于该机关。"
        elif filed_on < application.received_on:
            errors["filed_on"] = "受理日期不能早于申请的收到日期。"
    if kind == "litigation_after":
        if follows is None:
            errors["follows"] = "复议后起诉须选择前置的行政复议。"
        elif follows.kind != "reconsideration" or follows.organization_id != organization.pk:
            errors["follows"] = "前置案件须是本机关的行政复议。"
        elif not follows.is_decided:
            errors["follows"] = "前置的行政复议尚未审结，不能登记复议后起诉。"
        elif filed_on < follows.decided_on:
            errors["filed_on"] = "起诉日期不能早于复议决定日期。"
    elif follows is not None:
        errors["follows"] = "只有复议后起诉才需要选择前置的行政复议。"
    future = _not_in_future(filed_on, "受理/立案日期", now)
    if future:
        errors["filed_on"] = future
    if errors:
        raise Invalid(errors)
    appeal = Appeal.objects.create(
        organization=organization,
        application=application,
        follows=follows,
        kind=kind,
        filed_on=filed_on,
        authority=authority.strip(),
        case_number=(case_number or "").strip(),
        applicant_name=(applicant_name or "").strip(),
        note=note or "",
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="appeal.file",
        obj=appeal,
        to_state=APPEAL.state(appeal),
        data={"kind": kind, "filed_on": filed_on.isoformat()},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    result: str,
    decided_on: date,
    acting_user,
    note: str = "",
    now: datetime | None = None,
) -> Appeal:
    """Record the decision (维持/纠正/其他); until then the case is 尚未审结.

    Checked in this order: the role, then the state (a decision is final), then
    the result and the date.
    """
    now = now or timezone.now()

    def record_result(locked: Appeal) -> None:
        if result not in Result.values:
            raise Invalid("请选择结果：维持、纠正或其他。")
        if decided_on < locked.filed_on:
            raise Invalid("审结日期不能早于受理/立案日期。")
        future = _not_in_future(decided_on, "审结日期", now)
        if future:
            raise Invalid(future)
        locked.result = result
        locked.decided_on = decided_on
        if note:
            locked.note = (locked.note + "\n" + note).strip()

    return transition(
        appeal,
        "decide",
        table=APPEAL,
        actor=acting_user,
        now=now,
        guard=lambda locked: _writer_refusal(acting_user, locked.organization),
        change=record_result,
        audit_data={"result": result, "decided_on": decided_on.isoformat()},
    )
