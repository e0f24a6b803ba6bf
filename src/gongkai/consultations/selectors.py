"""Reads shared by the back office, the portal, the dashboard and the annual report."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date

import nh3
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar

from .models import (
    Channel,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationSettings,
    Decision,
    Status,
)
from .services import settings_for
from .workflow import PUBLIC_STATES

# --- portal ----------------------------------------------------------------------------


def public_consultations(org: Organization) -> QuerySet[Consultation]:
    return Consultation.objects.filter(organization=org, status__in=PUBLIC_STATES).order_by(
        "-start_on", "-pk"
    )


def public_consultation(org: Organization, pk: int) -> Consultation:
    found = (
        public_consultations(org)
        .select_related("organization", "final_item__organization")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("该意见征集不存在或尚未发布。")
    return found


def public_lists(org: Organization, today: date) -> tuple[list[Consultation], list[Consultation]]:
    """(正在征集 — including those about to start —, 已结束)."""
    current, ended = [], []
    for c in public_consultations(org):
        (ended if c.phase(today) == "ended" else current).append(c)
    return current, ended


def body_html(consultation: Consultation) -> SafeString | str:
    """The draft as HTML when it is rich text ("" for plain text, shown by paragraphs).
    Stored bodies have passed nh3 in the services; cleaned again here (defence in depth)."""
    if consultation.body_format != Consultation.BodyFormat.HTML:
        return ""
    return mark_safe(nh3.clean(consultation.body))  # noqa: S308 - sanitised by nh3


def consultation_for_item(item) -> Consultation | None:
    """The consultation whose 采纳情况 names ``item`` as the final decision (the
    item's public page links back to it); ``None`` for every other item."""
    return (
        Consultation.objects.filter(final_item=item, status=Status.CONCLUDED)
        .select_related("organization")
        .order_by("-feedback_published_at")
        .first()
    )


@dataclass
class Feedback:
    """The published 采纳情况 of one consultation: counts and the reasoned points."""

    received: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    rejected: int = 0
    adopted: int = 0
    partly: int = 0
    not_adopted: int = 0
    reasoned: list[Comment] = field(default_factory=list)  # 部分采纳 and 未采纳, with reasons
    adopted_points: list[Comment] = field(default_factory=list)


def feedback(consultation: Consultation) -> Feedback:
    comments = Comment.objects.filter(consultation=consultation)
    result = Feedback()
    labels = dict(Channel.choices)
    rows = comments.values("channel").annotate(n=Count("pk")).order_by("channel")
    counted = {r["channel"]: r["n"] for r in rows}
    result.by_channel = [(str(labels[v]), counted[v]) for v in Channel.values if counted.get(v)]
    result.received = sum(counted.values())
    totals = comments.aggregate(
        rejected=Count("pk", filter=Q(status=CommentStatus.REJECTED)),
        adopted=Count("pk", filter=Q(decision=Decision.ADOPTED)),
        partly=Count("pk", filter=Q(decision=Decision.PARTLY)),
        not_adopted=Count("pk", filter=Q(decision=Decision.NOT_ADOPTED)),
    )
    result.rejected = totals["rejected"]
    result.adopted = totals["adopted"]
    result.partly = totals["partly"]
    result.not_adopted = totals["not_adopted"]
    decided = comments.filter(status=CommentStatus.DECIDED).order_by("received_on", "pk")
    result.reasoned = [c for c in decided if c.decision != Decision.ADOPTED]
    result.adopted_points = [c for c in decided if c.decision == Decision.ADOPTED]
    return result


# --- deadlines -------------------------------------------------------------------------


def feedback_due(consultation: Consultation, *, workdays: int | None = None) -> date:
    """The day by which the 采纳情况 should be published: ``feedback_workdays``
    working days after the period ends (the body's calendar)."""
    n = (
        workdays
        if workdays is not None
        else settings_for(consultation.organization).feedback_workdays
    )
    with warnings.catch_warnings():
        # A year without a holiday schedule counts Mon-Fri; the page says nothing
        # more precise than the date, which is what a clerk needs.
        warnings.simplefilter("ignore")
        return calendar().add_workdays(consultation.end_on, n).as_date()


def awaiting_feedback(qs: QuerySet[Consultation], today: date) -> QuerySet[Consultation]:
    """Published, period ended, 采纳情况 not yet published."""
    return qs.filter(status=Status.PUBLISHED, end_on__lt=today)


def comments_awaiting_moderation(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    return qs.filter(status=CommentStatus.PENDING, consultation__status=Status.PUBLISHED)


@dataclass(frozen=True)
class SupervisionRow:
    organization: Organization
    published: int
    open: int
    ended: int
    concluded: int
    overdue: list[tuple[Consultation, date]]  # (consultation, due date) past due without feedback
    awaiting: list[tuple[Consultation, date]]  # ended, not yet due


def supervision_rows(organizations: QuerySet[Organization], *, year: int, today: date):
    """Per body: consultations published in ``year`` and whether each ended one has
    published its 采纳情况 (overdue ones flagged)."""
    orgs = list(organizations.order_by("name"))
    qs = (
        Consultation.objects.filter(
            organization__in=orgs, status__in=PUBLIC_STATES, published_at__year=year
        )
        .select_related("organization")
        .order_by("end_on", "pk")
    )
    by_org: dict[int, list[Consultation]] = {}
    for c in qs:
        by_org.setdefault(c.organization_id, []).append(c)
    # One query for every body's setting; a body without a row has the defaults.
    saved = {
        cs.organization_id: cs for cs in ConsultationSettings.objects.filter(organization__in=orgs)
    }
    rows = []
    for org in orgs:
        items = by_org.get(org.pk, [])
        workdays = saved.get(org.pk, ConsultationSettings()).feedback_workdays
        overdue, awaiting = [], []
        for c in items:
            if c.status == Status.PUBLISHED and c.phase(today) == "ended":
                due = feedback_due(c, workdays=workdays)
                (overdue if today > due else awaiting).append((c, due))
        rows.append(
            SupervisionRow(
                organization=org,
                published=len(items),
                open=sum(
                    1 for c in items if c.phase(today) == "open" and c.status == Status.PUBLISHED
                ),
                ended=sum(1 for c in items if c.phase(today) == "ended"),
                concluded=sum(1 for c in items if c.status == Status.CONCLUDED),
                overdue=overdue,
                awaiting=awaiting,
            )
        )
    return rows


# --- the annual report ----------------------------------------------------------------


@dataclass(frozen=True)
class YearCounts:
    published: int
    comments: int
    adopted: int  # 采纳 and 部分采纳


def year_counts(*, organization: Organization, year: int) -> YearCounts:
    """Consultations the body published in ``year`` and their comments (the
    annual report's prose; 条例第五十条 asks for the year's work)."""
    published = Consultation.objects.filter(
        organization=organization, status__in=PUBLIC_STATES, published_at__year=year
    )
    comments = Comment.objects.filter(consultation__in=published).aggregate(
        n=Count("pk"),
        adopted=Count("pk", filter=Q(decision__in=(Decision.ADOPTED, Decision.PARTLY))),
    )
    return YearCounts(
        published=published.count(), comments=comments["n"], adopted=comments["adopted"]
    )
