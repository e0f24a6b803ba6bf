"""Reads the views share: work lists, the public Q&A, the status look-up and the
supervisor's per-body figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from gongkai.applications.selectors import normalize_tracking_code, phone_last4_matches
from gongkai.organizations.models import Organization

from .models import Inquiry, Status
from .workflow import ANSWERED_STATES, INQUIRY, OPEN_STATES

# Work-list tabs: (key, label).
TABS = (
    ("overdue", "已超期"),
    ("due_soon", "3日内到期"),
    ("open", "全部待办"),
    ("answered", "已答复"),
    ("rejected", "不予受理"),
    ("all", "全部"),
)


def tab_filter(qs: QuerySet[Inquiry], tab: str, *, today: date) -> QuerySet[Inquiry]:
    open_qs = qs.filter(status__in=OPEN_STATES)
    if tab == "overdue":
        return open_qs.filter(due_on__lt=today)
    if tab == "due_soon":
        return open_qs.filter(
            due_on__gte=today, due_on__lte=date.fromordinal(today.toordinal() + 3)
        )
    if tab == "open":
        return open_qs
    if tab == "answered":
        return qs.filter(status__in=ANSWERED_STATES)
    if tab == "rejected":
        return qs.filter(status=Status.REJECTED)
    return qs


def tab_counts(qs: QuerySet[Inquiry], *, today: date) -> dict[str, int]:
    return {key: tab_filter(qs, key, today=today).count() for key, _ in TABS}


# --- the portal -----------------------------------------------------------------------


def public_inquiries(org: Organization) -> QuerySet[Inquiry]:
    """Published Q&A of one body, newest answer first (consent is a database constraint)."""
    return Inquiry.objects.filter(
        organization=org, status=Status.PUBLISHED, consent_publish=True
    ).order_by("-answered_on", "-pk")


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    organization_name: str
    stage: str
    kind: str
    received_on: date
    due_on: date
    due_provisional: bool
    answered_on: date | None
    answer: str  # shown to the asker who holds the code and the phone digits
    published_url_pk: int | None
    reject_reason: str


def inquiry_status_for_public(
    *, organization: Organization, tracking_code: str, phone_last4: str
) -> PublicStatus | None:
    """The status behind a tracking code of this body, if the last four digits of
    the phone number given with the question match (compared in constant time)."""
    code = normalize_tracking_code(tracking_code)
    inquiry = (
        Inquiry.objects.select_related("organization")
        .filter(organization=organization, tracking_code=code)
        .first()
        if code
        else None
    )
    phone = inquiry.phone if inquiry is not None else None
    if not phone_last4_matches(phone, phone_last4) or inquiry is None:
        return None
    stage = "已答复" if inquiry.status in ANSWERED_STATES else INQUIRY.state_label(inquiry.status)
    if inquiry.status == "routed":
        stage = "办理中"
    return PublicStatus(
        tracking_code=inquiry.tracking_code,
        organization_name=inquiry.organization.name,
        stage=stage,
        kind=inquiry.get_kind_display(),
        received_on=inquiry.received_on,
        due_on=inquiry.due_on,
        due_provisional=inquiry.due_provisional,
        answered_on=inquiry.answered_on,
        answer=inquiry.answer if inquiry.status in ANSWERED_STATES else "",
        published_url_pk=inquiry.pk if inquiry.status == Status.PUBLISHED else None,
        reject_reason=inquiry.reject_reason if inquiry.status == Status.REJECTED else "",
    )


# --- the supervisor's view ------------------------------------------------------------


@dataclass(frozen=True)
class BodyFigures:
    organization: Organization
    received: int
    answered: int
    on_time: int
    rejected: int
    overdue_open: int

    @property
    def on_time_rate(self) -> str:
        if not self.answered:
            return "—"
        return f"{self.on_time * 100 / self.answered:.1f}%"


def supervised_bodies(org: Organization, visible_ids: set[int] | None = None) -> list[Organization]:
    """The body itself first, then every active body below it (level, name)."""
    below = org.descendants().filter(is_active=True).order_by("level", "name")
    if visible_ids is not None:
        below = below.filter(pk__in=visible_ids)
    return [org, *below]


def figures_by_body(bodies: list[Organization], year: int, *, today: date) -> list[BodyFigures]:
    """Per body, for the questions received in ``year``: received, answered,
    answered on time (on or before the due date), 不予受理; and open questions past
    their due date as of ``today`` (whatever the year they came in)."""
    ids = [b.pk for b in bodies]
    rows = {
        r["organization_id"]: r
        for r in Inquiry.objects.filter(organization_id__in=ids, received_on__year=year)
        .values("organization_id")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(status__in=ANSWERED_STATES)),
            on_time=Count("pk", filter=Q(status__in=ANSWERED_STATES, answered_on__lte=F("due_on"))),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        )
        .order_by()
    }
    overdue = dict(
        Inquiry.objects.filter(organization_id__in=ids, status__in=OPEN_STATES, due_on__lt=today)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = []
    for body in bodies:
        r = rows.get(body.pk, {})
        out.append(
            BodyFigures(
                organization=body,
                received=r.get("received", 0),
                answered=r.get("answered", 0),
                on_time=r.get("on_time", 0),
                rejected=r.get("rejected", 0),
                overdue_open=overdue.get(body.pk, 0),
            )
        )
    return out


def totals(rows: list[BodyFigures]) -> dict[str, int]:
    return {
        key: sum(getattr(r, key) for r in rows)
        for key in ("received", "answered", "on_time", "rejected", "overdue_open")
    }
