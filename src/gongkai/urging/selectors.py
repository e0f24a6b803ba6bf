"""Reads the views, the daily job, the supervision page and 考核 share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet

from gongkai.organizations.models import Organization

from .models import Urging
from .workflow import UNANSWERED_STATES

# Inbox tabs: (key, label).
TABS = (
    ("waiting", "待回复"),
    ("answered", "已回复"),
    ("closed", "已办结"),
    ("all", "全部"),
)


def tab_filter(qs: QuerySet[Urging], tab: str) -> QuerySet[Urging]:
    if tab == "waiting":
        return qs.filter(status__in=UNANSWERED_STATES)
    if tab == "answered":
        return qs.filter(status="answered")
    if tab == "closed":
        return qs.filter(status="closed")
    return qs


def tab_counts(qs: QuerySet[Urging]) -> dict[str, int]:
    return {key: tab_filter(qs, key).count() for key, _ in TABS}


def due_for_escalation(today: date) -> QuerySet[Urging]:
    """Not answered, and the respond-by date passed before ``today``."""
    return Urging.objects.filter(
        status__in=("sent", "acknowledged"), respond_by__lt=today
    ).order_by("respond_by", "pk")


def late_q(today: date) -> Q:
    """Not answered by the respond-by date: still unanswered after it (whether or not
    the daily job has run yet), answered after it, or closed without an answer."""
    return Q(respond_by__lt=today) & (
        Q(answered_on__isnull=True) | Q(answered_on__gt=F("respond_by"))
    )


def late_urgings(organization: Organization, year: int, *, today: date) -> QuerySet[Urging]:
    """The 督办 ``organization`` received whose respond-by date lapsed in ``year``
    without an answer in time: what 考核 deducts for."""
    return (
        Urging.objects.filter(organization=organization, respond_by__year=year)
        .filter(late_q(today))
        .select_related("sender")
        .order_by("respond_by", "pk")
    )


def received_in(organization: Organization, year: int) -> QuerySet[Urging]:
    return Urging.objects.filter(organization=organization, respond_by__year=year)


@dataclass
class SentSummary:
    """A supervising body's 督办, for its supervision page."""

    urgings: list[Urging]
    escalated: int = 0
    waiting: int = 0
    per_body: Counter = field(default_factory=Counter)  # open notices per body id


def sent_summary(sender: Organization, *, today: date, limit: int = 50) -> SentSummary:
    """Open notices first (escalated ones at the top), then the latest closed ones."""
    qs = Urging.objects.filter(sender=sender).select_related("organization")
    open_rows = list(qs.exclude(status="closed").order_by("respond_by", "pk"))
    open_rows.sort(key=lambda u: (not u.is_overdue(today), u.respond_by, u.pk))
    closed = list(qs.filter(status="closed").order_by("-closed_at", "-pk")[: max(0, limit)])
    summary = SentSummary(open_rows + closed)
    summary.escalated = sum(1 for u in open_rows if u.is_overdue(today))
    summary.waiting = sum(1 for u in open_rows if u.is_unanswered)
    summary.per_body = Counter(u.organization_id for u in open_rows)
    return summary
