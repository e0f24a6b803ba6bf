"""Reads shared by the back office, the portal, the reminders and the annual report."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from gongkai.annual.format import T3_RESULT_ROWS, T3_ROW_BY_KEY, T3_ROW_KEYS
from gongkai.core import counting
from gongkai.organizations.models import Membership, Role
from gongkai.workcal.selectors import fee_pauses_clock

from . import workflow
from .models import (
    Application,
    ClockEvent,
    EventKind,
    IntakeHop,
    ReminderKind,
    Status,
)

# --- table 3: the drill-down (the counts are gongkai.core.counting.t3_cells) -------------


def applications_for_cell(
    *, organization_ids: Iterable[int], year: int, key: str
) -> QuerySet[Application]:
    """The applications behind one table-3 cell (drill-down from the report)."""
    parts = key.split(".")
    if (
        len(parts) != 3
        or parts[0] != "t3"
        or parts[1] not in T3_ROW_KEYS
        or parts[2] not in counting.T3_COLUMN_KEYS
    ):
        raise ValueError(f"不是表三的单元格：{key}")
    qs = Application.objects.filter(organization_id__in=list(organization_ids))
    return qs.filter(counting.t3_cell_q(parts[1], parts[2], year)).order_by("received_on", "pk")


# --- the applicant's own status page ----------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    on: date
    label: str


@dataclass(frozen=True)
class PublicHop:
    """One hop through a unified intake as the applicant sees it: the date, the
    step and the bodies — never staff names or internal reasons."""

    on: date
    label: str
    from_name: str
    to_name: str


@dataclass(frozen=True)
class PublicStatus:
    """What an applicant may see about their own application — nothing internal
    (no staff names, notes, units) and nothing about anybody else."""

    tracking_code: str
    organization_name: str
    stage: str  # Chinese label of the status
    received_on: date
    due_on: date | None
    due_provisional: bool
    waiting_until: date | None
    reply_on: date | None
    outcome_label: str
    steps: tuple[PublicStep, ...]
    hops: tuple[PublicHop, ...] = ()


TRACKING_CLEAN_RE = re.compile(r"[\s\-]")
_DUMMY = "0000"


def normalize_tracking_code(code: str) -> str:
    return TRACKING_CLEAN_RE.sub("", code or "").upper()


def _last4(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def phone_last4_matches(phone: str | None, given: str) -> bool:
    """Whether ``given`` is the last four digits of ``phone``, compared in constant
    time.  ``phone`` is None when no record was found: the comparison still runs
    (against a dummy), so timing does not tell codes apart.  Shared by every
    public status look-up (applications, 政民互动)."""
    expected = _last4(phone) if phone is not None else ""
    digits = re.sub(r"\D", "", given or "")
    matches = hmac.compare_digest((expected or _DUMMY).encode(), digits.encode())
    return bool(expected) and len(digits) == 4 and matches


def application_status_for_public(*, tracking_code: str, phone_last4: str) -> PublicStatus | None:
    """The status behind a tracking code, if the last four digits of the phone
    number given at application match (compared in constant time)."""
    code = normalize_tracking_code(tracking_code)
    application = (
        Application.objects.select_related("organization").filter(tracking_code=code).first()
        if code
        else None
    )
    phone = application.phone if application is not None else None
    if not phone_last4_matches(phone, phone_last4) or application is None:
        return None
    events = ClockEvent.objects.filter(application=application).order_by("on", "pk")
    steps = [PublicStep(application.received_on, "收到申请")]
    steps += [
        PublicStep(e.on, EventKind(e.kind).label) for e in events if e.kind != EventKind.CLOSED
    ]
    if application.reply_on:
        steps.append(PublicStep(application.reply_on, "答复办结"))
    return PublicStatus(
        tracking_code=application.tracking_code,
        organization_name=application.organization.name,
        stage=Status(application.status).label,
        received_on=application.received_on,
        due_on=application.due_on,
        due_provisional=application.due_provisional,
        waiting_until=application.waiting_until,
        reply_on=application.reply_on,
        outcome_label=application.get_outcome_display() if application.outcome else "",
        steps=tuple(steps),
        hops=public_hops(application),
    )


def public_hops(application: Application) -> tuple[PublicHop, ...]:
    """The hops of an application through a unified intake (统一受理), oldest first."""
    if application.intake_id is None:
        return ()
    hops = IntakeHop.objects.filter(application=application).select_related(
        "from_organization", "to_organization"
    )
    return tuple(
        PublicHop(
            on=h.on,
            label=h.get_kind_display(),
            from_name=h.from_organization.name if h.from_organization else "",
            to_name=h.to_organization.name,
        )
        for h in hops.order_by("at", "pk")
    )


# --- work lists ---------------------------------------------------------------------


@dataclass
class WorkLists:
    overdue: QuerySet[Application]
    due_today: QuerySet[Application]
    due_this_week: QuerySet[Application]
    waiting: QuerySet[Application]
    open: QuerySet[Application]

    def counts(self) -> dict[str, int]:
        return {
            "overdue": self.overdue.count(),
            "due_today": self.due_today.count(),
            "due_this_week": self.due_this_week.count(),
            "waiting": self.waiting.count(),
            "open": self.open.count(),
        }


def paused_statuses() -> tuple[str, ...]:
    """Open statuses in which the reply clock does not run.

    条例第三十条: a 补正 suspends the period (``due_on`` is null); 国办函〔2020〕109号:
    notice-to-payment time is not counted only when ``GONGKAI_FEE_PAUSES_CLOCK`` is on.
    Waiting for reasons (条例第三十五条) never stops the clock.
    """
    return workflow.paused_statuses(fee_pauses_clock())


def clock_running(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Open applications whose reply clock runs, whatever the applicant is doing."""
    return queryset.filter(status__in=workflow.OPEN_STATUSES, due_on__isnull=False).exclude(
        status__in=paused_statuses()
    )


def worklists(queryset: QuerySet[Application], *, today: date) -> WorkLists:
    """Split the open applications of ``queryset`` (already scoped) by urgency."""
    week_end = today + timedelta(days=6 - today.weekday())  # this Sunday
    # 统一受理: an application no body has signed for yet is on the county's
    # queue or a body's 待签收 list (views.intake), not on anybody's work list.
    open_qs = (
        queryset.filter(status__in=workflow.OPEN_STATUSES)
        .exclude(intake_state__in=workflow.INTAKE_NOT_HELD)
        .select_related("organization", "unit")
    )
    running = clock_running(open_qs)
    return WorkLists(
        overdue=running.filter(due_on__lt=today).order_by("due_on", "pk"),
        due_today=running.filter(due_on=today).order_by("pk"),
        due_this_week=running.filter(due_on__gt=today, due_on__lte=week_end).order_by(
            "due_on", "pk"
        ),
        waiting=open_qs.filter(status__in=workflow.WAITING_FOR_APPLICANT).order_by(
            "waiting_until", "pk"
        ),
        open=open_qs.order_by("due_on", "pk"),
    )


# --- 条例第四十四条: the same information asked by several applicants ---------------------

SIMILARITY_THRESHOLD = 0.5
SIMILARITY_WINDOW_DAYS = 365
SIMILARITY_MAX_ROWS = 1000
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def bigrams(text: str) -> frozenset[str]:
    clean = _NON_WORD.sub("", (text or "").lower())
    if len(clean) < 2:
        return frozenset({clean}) if clean else frozenset()
    return frozenset(clean[i : i + 2] for i in range(len(clean) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class SimilarGroup:
    applications: tuple[Application, ...]
    applicants: int  # distinct applicants
    score: float  # the lowest pairwise link that joined the group


def _recent(organization, today: date) -> list[Application]:
    since = today - timedelta(days=SIMILARITY_WINDOW_DAYS)
    return list(
        Application.objects.filter(organization=organization, received_on__gte=since)
        .exclude(outcome__in=[k for k in T3_RESULT_ROWS if T3_ROW_BY_KEY[k].group == "declined"])
        .order_by("-received_on", "-pk")[:SIMILARITY_MAX_ROWS]
    )


def _applicant_key(a: Application) -> str:
    return a.id_number or a.applicant_name


def similar_groups(
    *, organization, today: date, threshold: float = SIMILARITY_THRESHOLD
) -> list[SimilarGroup]:
    """Groups of recent applications asking for similar information (character-
    bigram Jaccard ≥ ``threshold``) from at least two different applicants:
    candidates for proactive disclosure (条例第四十四条)."""
    apps = _recent(organization, today)
    grams = [bigrams(a.description) for a in apps]
    parent = list(range(len(apps)))
    link: dict[int, float] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(apps)):
        for j in range(i + 1, len(apps)):
            score = jaccard(grams[i], grams[j])
            if score >= threshold:
                ri, rj = find(i), find(j)
                low = min(link.get(ri, score), link.get(rj, score), score)
                if ri != rj:
                    parent[rj] = ri
                    link.pop(rj, None)
                link[ri] = low
    groups: dict[int, list[Application]] = {}
    for i, a in enumerate(apps):
        groups.setdefault(find(i), []).append(a)
    result = []
    for root, members in groups.items():
        applicants = len({_applicant_key(a) for a in members})
        if applicants >= 2:
            result.append(SimilarGroup(tuple(members), applicants, round(link.get(root, 1.0), 2)))
    result.sort(key=lambda g: (-g.applicants, -len(g.applications)))
    return result


def similar_to(
    application: Application, *, today: date, threshold: float = SIMILARITY_THRESHOLD
) -> list[tuple[Application, float]]:
    """Other applicants' recent applications similar to this one (for the detail page)."""
    mine = bigrams(application.description)
    found = []
    for other in _recent(application.organization, today):
        if other.pk == application.pk or _applicant_key(other) == _applicant_key(application):
            continue
        score = jaccard(mine, bigrams(other.description))
        if score >= threshold:
            found.append((other, round(score, 2)))
    found.sort(key=lambda pair: -pair[1])
    return found


# --- reminders ------------------------------------------------------------------------

# Default of settings.GONGKAI_DUE_SOON_WORKDAYS: "due soon" reminders this many
# working days before the 条例第三十三条 reply deadline.
DUE_SOON_WORKDAYS = 3


def due_soon_workdays() -> int:
    return getattr(settings, "GONGKAI_DUE_SOON_WORKDAYS", DUE_SOON_WORKDAYS)


@dataclass(frozen=True)
class PlannedReminder:
    application: Application
    kind: str  # ReminderKind value
    due_on: date
    recipients: tuple[str, ...]  # e-mail addresses of the responsible clerk(s)

    @property
    def summary(self) -> str:
        return (
            f"{self.application.organization.display_name} 申请{self.application.tracking_code}"
            f" {ReminderKind(self.kind).label}（期限 {self.due_on:%Y-%m-%d}）"
        )


def responsible_clerks(application: Application) -> list:
    """The active clerks of the application's unit, else every clerk of the body."""
    clerks = Membership.objects.filter(
        organization_id=application.organization_id, role=Role.CLERK, user__is_active=True
    ).select_related("user")
    in_unit = [m for m in clerks if application.unit_id and m.unit_id == application.unit_id]
    chosen = in_unit or list(clerks)
    return sorted({m.user.pk: m.user for m in chosen}.values(), key=lambda u: u.pk)


def responsible_emails(application: Application) -> tuple[str, ...]:
    """E-mail addresses of :func:`responsible_clerks`."""
    return tuple(sorted({u.email for u in responsible_clerks(application) if u.email}))


def reminders_due(*, today: date, calendar) -> list[PlannedReminder]:
    """Reminders owed today (whether or not already sent): due soon (within
    :func:`due_soon_workdays` working days), due today, overdue, and applicant
    periods that have lapsed."""
    soon_until = calendar.add_workdays(today, due_soon_workdays()).as_date()
    open_qs = Application.objects.filter(status__in=workflow.OPEN_STATUSES).select_related(
        "organization", "unit"
    )
    planned: list[PlannedReminder] = []
    for a in clock_running(open_qs).filter(due_on__lte=soon_until):
        if a.due_on < today:
            kind = ReminderKind.OVERDUE
        elif a.due_on == today:
            kind = ReminderKind.DUE_TODAY
        else:
            kind = ReminderKind.DUE_SOON
        planned.append(PlannedReminder(a, kind, a.due_on, responsible_emails(a)))
    for a in open_qs.filter(status__in=workflow.WAITING_FOR_APPLICANT, waiting_until__lt=today):
        planned.append(
            PlannedReminder(
                a, ReminderKind.APPLICANT_LAPSED, a.waiting_until, responsible_emails(a)
            )
        )
    planned.sort(key=lambda p: (p.due_on, p.application.pk))
    return planned
