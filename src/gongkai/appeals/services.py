"""Recording 行政复议 / 行政诉讼 and their results (audited)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .models import Appeal, AppealKind, Result
from .permissions import can_record

# The one transition table: undecided -> decided (a decision is final; a
# correction of a mistyped decision goes through appeal_correct_decision).
TRANSITIONS = {"pending": frozenset({"decided"}), "decided": frozenset()}


def _state(appeal: Appeal) -> str:
    return "decided" if appeal.is_decided else "pending"


def _check_writer(user, organization) -> None:
    if not can_record(user, organization):
        raise PermissionError("您在该机关没有登记行政复议、行政诉讼的权限。")


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
) -> Appeal:
    """Register a reconsideration or a lawsuit about one of the body's decisions."""
    _check_writer(acting_user, organization)
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
    if filed_on > timezone.localdate():
        errors["filed_on"] = (
            f"受理/立案日期（{filed_on:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
        )
    if errors:
        raise ValidationError(errors)
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
        to_state="pending",
        data={"kind": kind, "filed_on": filed_on.isoformat()},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, result: str, decided_on: date, acting_user, note: str = ""
) -> Appeal:
    """Record the decision (维持/纠正/其他); until then the case is 尚未审结."""
    _check_writer(acting_user, appeal.organization)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    state = _state(appeal)
    if "decided" not in TRANSITIONS[state]:
        raise ValidationError("该案件已经审结，不能重复登记结果。")
    if result not in Result.values:
        raise ValidationError("请选择结果：维持、纠正或其他。")
    if decided_on < appeal.filed_on:
        raise ValidationError("审结日期不能早于受理/立案日期。")
    if decided_on > timezone.localdate():
        raise ValidationError(
            f"审结日期（{decided_on:%Y-%m-%d}）晚于今天，不能登记尚未发生的日期。"
        )
    appeal.result = result
    appeal.decided_on = decided_on
    if note:
        appeal.note = (appeal.note + "\n" + note).strip()
    appeal.save(update_fields=["result", "decided_on", "note"])
    audit_record(
        actor=acting_user,
        organization=appeal.organization,
        verb="appeal.decide",
        obj=appeal,
        from_state=state,
        to_state="decided",
        data={"result": result, "decided_on": decided_on.isoformat()},
    )
    return appeal
