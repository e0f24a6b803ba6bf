"""统一受理（集约化）: the county's one form, its queue, and each hop of an application.

A county-level body opens one application form for every body under it
(:class:`~gongkai.applications.models.UnifiedIntake`).  An application the
platform receives waits in the county's queue (``intake_state`` 待分办, held by
the county body); its 公开办 dispatches it (分办) to a body; that body signs for
it (签收) or returns it (退回, with a reason) to the queue; a body that finds it
is another body's transfers it (转办) within the platform.  Each step is a
transition of ``workflow.INTAKE`` (row lock, state check, audit row) and one
:class:`~gongkai.applications.models.IntakeHop` with its dates.

The clock (docs/decisions.md D63).  条例第三十一条 fixes the 收到申请之日 by the
channel through which the application reached the administrative body.  Which
day that is for the body that answers is a setting (``clock_start``):
``"platform"`` — the day the unified platform received it, by the same rule
(the platform is the bodies' published, shared channel); ``"signed"`` — the
day the answering body signed for it.  Under "signed" there is no reply date
until a body signs.  The county's own deadline to dispatch
(``dispatch_days`` working days after receipt or return) is a local
management rule, not the 条例's.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden, Invalid
from gongkai.core.transition import transition
from gongkai.notifications.api import notify
from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar

from .. import clock
from ..models import Application, HopKind, IntakeHop, IntakeState, UnifiedIntake
from ..notices import base_context, staff_url
from ..permissions import (
    can_dispatch,
    can_edit_intake,
    can_receive_dispatch,
    dispatch_targets,
)
from ..selectors import responsible_clerks
from ..workflow import CLOCK_START_PLATFORM, CLOCK_START_SIGNED, INTAKE
from ._common import _replay_stored, _store
from .intake import application_receive

__all__ = [
    "application_dispatch",
    "application_receive_unified",
    "application_return",
    "application_sign",
    "application_transfer",
    "clock_start_of",
    "dispatch_days_of",
    "dispatch_deadline",
    "intake_settings_save",
]

MAX_DISPATCH_DAYS = 20
REASON_MAX = 500


def clock_start_of(intake: UnifiedIntake) -> str:
    """The county's own rule, else the platform's (GONGKAI_INTAKE_CLOCK_START)."""
    return intake.clock_start or getattr(
        settings, "GONGKAI_INTAKE_CLOCK_START", CLOCK_START_PLATFORM
    )


def dispatch_days_of(intake: UnifiedIntake) -> int:
    """The county's own dispatch time limit, else the platform's (GONGKAI_INTAKE_DISPATCH_DAYS)."""
    return intake.dispatch_days or int(getattr(settings, "GONGKAI_INTAKE_DISPATCH_DAYS", 1))


def dispatch_deadline(intake: UnifiedIntake, start: date) -> date:
    """The last day to dispatch: the N-th working day after ``start`` (the day
    the platform received the application, or the day a body returned it),
    counted as the 条例 counts its working days (第三十三条)."""
    return calendar().add_workdays(start, dispatch_days_of(intake)).as_date()


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid({"reason": f"请填写{what}的理由。"})
    if len(text) > REASON_MAX:
        raise Invalid({"reason": f"{what}理由不能超过{REASON_MAX}个字。"})
    return text


def _intake_of(application: Application) -> UnifiedIntake:
    if application.intake_id is None:
        raise Invalid("该申请不是经统一受理平台提交的，没有分办、签收环节。")
    return application.intake


def _require_target(intake: UnifiedIntake, target: Organization | None, *, field: str) -> None:
    if target is None:
        raise Invalid({field: "请选择接收申请的机关。"})
    if not dispatch_targets(intake).filter(pk=target.pk).exists():
        raise Invalid(
            {field: f"“{target.name}”不是{intake.organization.name}统一受理范围内的机关。"}
        )


def _recompute(application: Application, *, signed_on: date | None) -> None:
    """Set the answering body's 收到申请之日 and the reply due date by the
    county's clock-start rule (条例第三十一条、第三十三条第二款; D63)."""
    rule = clock_start_of(application.intake)
    if rule == CLOCK_START_SIGNED:
        if signed_on is None:
            # No body holds it yet: no reply period runs for anybody.
            application.due_on = None
            application.due_provisional = False
            return
        application.received_on = signed_on
    else:
        application.received_on = application.intake_received_on
    try:
        deadline = _replay_stored(application, [])
    except clock.ClockError as exc:
        raise Invalid(str(exc)) from exc
    _store(application, deadline)


def _hop(
    application: Application,
    *,
    kind: str,
    from_org: Organization | None,
    to_org: Organization,
    now: datetime,
    actor,
    reason: str = "",
) -> IntakeHop:
    return IntakeHop.objects.create(
        application=application,
        kind=kind,
        from_organization=from_org,
        to_organization=to_org,
        on=_today(now),
        at=now,
        reason=reason,
        received_on=application.received_on if application.due_on else None,
        due_on=application.due_on,
        dispatch_due_on=application.dispatch_due_on
        if application.intake_state == IntakeState.PENDING
        else None,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _notify_staff(
    event: str, application: Application, hop: IntakeHop, actor, **context: str
) -> None:
    """Tell the clerks of the body now holding the application (inside the
    writer's transaction; sent after the commit).  The applicant follows the
    hops on the status page."""
    notify(
        event,
        organization=application.organization,
        key=f"application:{application.pk}:{hop.kind}:{hop.pk}",
        context={**base_context(application), **context},
        staff=[u for u in responsible_clerks(application) if u.pk != getattr(actor, "pk", None)],
        url=staff_url(application),
        now=hop.at,
    )


# --- the county's settings --------------------------------------------------------------


@transaction.atomic
def intake_settings_save(
    *,
    organization: Organization,
    is_active: bool,
    clock_start: str,
    dispatch_days: int | None,
    intro: str,
    acting_user,
    now: datetime,
) -> UnifiedIntake:
    """Open (or change) a county-level body's unified application form."""
    if not can_edit_intake(acting_user, organization):
        raise Forbidden("只有本机关的管理员或公开办负责人可以设置统一受理。")
    errors: dict[str, str] = {}
    if organization.level != Organization.Level.COUNTY:
        errors["is_active"] = "统一受理平台由县级机关开设（其下属机关的申请统一受理）。"
    if clock_start not in ("", CLOCK_START_PLATFORM, CLOCK_START_SIGNED):
        errors["clock_start"] = "请选择答复期限的起算日。"
    if dispatch_days is not None and not 1 <= dispatch_days <= MAX_DISPATCH_DAYS:
        errors["dispatch_days"] = f"分办时限应为1至{MAX_DISPATCH_DAYS}个工作日。"
    if errors:
        raise Invalid(errors)
    intake, created = UnifiedIntake.objects.select_for_update().get_or_create(
        organization=organization,
        defaults={"is_active": is_active},
    )
    before = {
        "is_active": intake.is_active,
        "clock_start": intake.clock_start,
        "dispatch_days": intake.dispatch_days,
    }
    intake.is_active = is_active
    intake.clock_start = clock_start
    intake.dispatch_days = dispatch_days
    intake.intro = (intro or "").strip()
    intake.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    intake.full_clean()
    intake.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="intake_settings.save",
        obj=intake,
        data={
            "created": created,
            "before": before,
            "after": {
                "is_active": is_active,
                "clock_start": clock_start,
                "dispatch_days": dispatch_days,
            },
        },
        at=now,
    )
    return intake


# --- receipt on the platform -----------------------------------------------------------


@transaction.atomic
def application_receive_unified(
    *,
    intake: UnifiedIntake,
    requested_organization: Organization | None = None,
    now: datetime,
    **fields,
) -> Application:
    """The platform receives an application (the portal's unified form, or the
    county's 公开办 registering one handed in): 条例第三十一条 fixes its day of
    receipt by channel, as for any body; it then waits in the county's queue."""
    if not intake.is_active:
        raise Invalid("该统一受理平台已停用，请直接向有关机关提出申请。")
    if requested_organization is not None and (
        not dispatch_targets(intake).filter(pk=requested_organization.pk).exists()
    ):
        raise Invalid({"requested_organization": "所选机关不在统一受理范围内。"})
    application = application_receive(organization=intake.organization, now=now, **fields)
    application.intake = intake
    application.intake_state = IntakeState.PENDING
    application.intake_received_on = application.received_on
    application.requested_organization = requested_organization
    application.dispatch_due_on = dispatch_deadline(intake, application.received_on)
    _recompute(application, signed_on=None)
    application.save()
    _hop(
        application,
        kind=HopKind.RECEIVED,
        from_org=None,
        to_org=intake.organization,
        now=now,
        actor=fields.get("acting_user"),
    )
    audit_record(
        actor=fields.get("acting_user"),
        organization=intake.organization,
        verb="intake.receive",
        obj=application,
        to_state=application.intake_state,
        data={
            "received_on": application.intake_received_on.isoformat(),
            "dispatch_due_on": application.dispatch_due_on.isoformat(),
            "requested_organization": requested_organization.pk if requested_organization else None,
        },
        at=now,
    )
    # Notifications: none here; application_receive's "application.received"
    # (when wired) tells the applicant.
    return application


# --- the hops -------------------------------------------------------------------------------


def _audit_data(application: Application, **extra) -> dict:
    return {
        "organization": application.organization_id,
        "received_on": application.received_on.isoformat(),
        "due_on": application.due_on.isoformat() if application.due_on else None,
        **extra,
    }


@transaction.atomic
def application_dispatch(
    *,
    application: Application,
    to_organization: Organization,
    acting_user,
    now: datetime,
    note: str = "",
) -> Application:
    """分办: the county's 公开办 sends a queued application to a body under it.

    From here the receiving body sees it (its ``organization``) and the county
    body no longer holds it."""
    intake = _intake_of(application)
    _require_target(intake, to_organization, field="to_organization")
    from_org = intake.organization

    def change(app: Application) -> None:
        app.organization = to_organization
        app.unit = None
        app.dispatch_due_on = None
        _recompute(app, signed_on=None)

    application = transition(
        application,
        "dispatch",
        table=INTAKE,
        actor=acting_user,
        now=now,
        comment=(note or "").strip(),
        guard=lambda app: (
            None
            if can_dispatch(acting_user, app.intake)
            else "只有统一受理机关的公开办工作人员可以分办申请。"
        ),
        change=change,
        audit_data=lambda app: _audit_data(app, to=to_organization.name),
        related=("organization",),
    )
    hop = _hop(
        application,
        kind=HopKind.DISPATCHED,
        from_org=from_org,
        to_org=to_organization,
        now=now,
        actor=acting_user,
        reason=(note or "").strip(),
    )
    _notify_staff(
        "application.assigned", application, hop, acting_user, 来源=f"{from_org.name}（分办）"
    )
    return application


@transaction.atomic
def application_sign(*, application: Application, acting_user, now: datetime) -> Application:
    """签收: the receiving body accepts the application as its own.  Under the
    "signed" rule its 收到申请之日 is today (条例第三十一条; D63)."""
    _intake_of(application)
    signed_on = _today(now)

    def change(app: Application) -> None:
        _recompute(app, signed_on=signed_on)

    application = transition(
        application,
        "sign",
        table=INTAKE,
        actor=acting_user,
        now=now,
        guard=lambda app: (
            None
            if can_receive_dispatch(acting_user, app)
            else "只有接收机关的工作人员可以签收该申请。"
        ),
        change=change,
        audit_data=lambda app: _audit_data(app, clock_start=clock_start_of(app.intake)),
        related=("organization",),
    )
    _hop(
        application,
        kind=HopKind.SIGNED,
        from_org=None,
        to_org=application.organization,
        now=now,
        actor=acting_user,
    )
    return application


@transaction.atomic
def application_return(
    *, application: Application, reason: str, acting_user, now: datetime
) -> Application:
    """退回: the receiving body sends the application back to the county's queue,
    saying why; the county has its dispatch time limit again from today."""
    intake = _intake_of(application)
    reason = _reason(reason, "退回")
    today = _today(now)
    from_org = application.organization

    def change(app: Application) -> None:
        app.organization = intake.organization
        app.unit = None
        app.dispatch_due_on = dispatch_deadline(intake, today)
        _recompute(app, signed_on=None)

    application = transition(
        application,
        "return",
        table=INTAKE,
        actor=acting_user,
        now=now,
        comment=reason,
        guard=lambda app: (
            None
            if can_receive_dispatch(acting_user, app)
            else "只有接收机关的工作人员可以退回该申请。"
        ),
        change=change,
        audit_data=lambda app: _audit_data(
            app, returned_by=from_org.name, dispatch_due_on=app.dispatch_due_on.isoformat()
        ),
        related=("organization",),
    )
    hop = _hop(
        application,
        kind=HopKind.RETURNED,
        from_org=from_org,
        to_org=intake.organization,
        now=now,
        actor=acting_user,
        reason=reason,
    )
    _notify_staff(
        "application.returned", application, hop, acting_user, 退回理由=f"{from_org.name}：{reason}"
    )
    return application


@transaction.atomic
def application_transfer(
    *,
    application: Application,
    to_organization: Organization,
    reason: str,
    acting_user,
    now: datetime,
) -> Application:
    """转办: a body that finds the application is another body's sends it there
    within the platform (before it has recorded any step of the clock — after
    that it answers under 条例第三十六条第（五）项 instead).  The new body signs for
    it; the clock follows the county's rule (D63)."""
    intake = _intake_of(application)
    reason = _reason(reason, "转办")
    _require_target(intake, to_organization, field="to_organization")
    from_org = application.organization
    if to_organization.pk == from_org.pk:
        raise Invalid({"to_organization": "不能转办给本机关。"})

    def change(app: Application) -> None:
        if app.events.exists():
            raise Invalid(
                "本机关已登记办理事项，不能再转办；如申请的信息不属于本机关负责公开，"
                "请按条例第三十六条第（五）项答复，并告知申请人负责公开的机关。"
            )
        app.organization = to_organization
        app.unit = None
        _recompute(app, signed_on=None)

    application = transition(
        application,
        "transfer",
        table=INTAKE,
        actor=acting_user,
        now=now,
        comment=reason,
        guard=lambda app: (
            None
            if can_receive_dispatch(acting_user, app)
            else "只有当前承办机关的工作人员可以转办该申请。"
        ),
        change=change,
        audit_data=lambda app: _audit_data(app, transferred_by=from_org.name),
        related=("organization",),
    )
    hop = _hop(
        application,
        kind=HopKind.TRANSFERRED,
        from_org=from_org,
        to_org=to_organization,
        now=now,
        actor=acting_user,
        reason=reason,
    )
    _notify_staff(
        "application.assigned", application, hop, acting_user, 来源=f"{from_org.name}（转办）"
    )
    return application
