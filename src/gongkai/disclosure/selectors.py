"""Reads other apps (portal, applications, reports) share with the back office.

Field names and return shapes here are a contract: add, never rename.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.audit.selectors import events_for
from gongkai.bounds import OUT_OF_RANGE, date_in_range
from gongkai.core import audit_verbs, counting
from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar
from gongkai.workdays import Calendar, ProvisionalScheduleWarning, WorkDate

from .models import (
    INTERPRETATION_SECTIONS,
    Category,
    Guide,
    InterpretationContent,
    InterpretationFigure,
    Item,
    NormativeDocument,
    YearlyFigures,
)
from .workflow import OPEN_STATES

S = Item.Status
# 条例第二十六条: proactive information within 20 working days of being formed or changed.
PUBLICATION_DEADLINE_WORKDAYS = 20
# "Due soon" on the timeliness list: at most this many working days left.
DUE_SOON_WORKDAYS = 5
OPEN_STATUSES = OPEN_STATES


def publication_deadline(item: Item, cal: Calendar | None = None) -> WorkDate | None:
    """条例第二十六条: the 20th working day after ``formed_on``.

    None when the stored ``formed_on`` is outside the sane range (gongkai.bounds):
    no deadline can honestly be computed, and pages show the date as wrong."""
    if not date_in_range(item.formed_on):
        return None
    cal = cal or calendar()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        return cal.add_workdays(item.formed_on, PUBLICATION_DEADLINE_WORKDAYS)


# --- history (the audit log of one record, in words) --------------------------------------


def history_for(obj) -> list[dict]:
    """The audit events about ``obj``, oldest first, with Chinese labels."""
    rows = []
    for event in events_for(obj):
        words = audit_verbs.describe(event)
        rows.append(
            {
                "at": event.created_at,
                "actor": (event.actor.get_full_name() or event.actor.get_username())
                if event.actor
                else (event.actor_repr or "系统"),
                "verb": event.verb,
                "label": words.label,
                "from": words.from_label,
                "to": words.to_label,
                "changed": words.changed,
                "comment": event.comment,
            }
        )
    return rows


def stored_day(moment: dt.datetime | None) -> dt.date | None:
    """The local date of a stored timestamp, or None when it is missing or outside
    the sane range (a wrong value must not take a page down)."""
    if moment is None:
        return None
    try:
        day = timezone.localdate(moment)
    except (OverflowError, ValueError):
        return None
    return day if date_in_range(day) else None


def publication_late(item: Item, today: dt.date, deadline: WorkDate | None = None) -> bool:
    """条例第二十六条: published after, or still unpublished past, the deadline.

    False when there is no deadline (a wrong ``formed_on``): not judged late."""
    if item.attribute != Item.Attribute.PROACTIVE:
        return False
    deadline = deadline or publication_deadline(item)
    if deadline is None:
        return False
    if item.published_at:
        published_on = stored_day(item.published_at)
        return published_on is not None and published_on > deadline
    return item.status in OPEN_STATUSES and today > deadline


# --- what the portal reads -------------------------------------------------------------


def published_items(org: Organization | None = None) -> QuerySet[Item]:
    """Items the public may see: published and 主动公开; newest first."""
    qs = Item.objects.filter(status=S.PUBLISHED, attribute=Item.Attribute.PROACTIVE)
    if org is not None:
        qs = qs.filter(organization=org)
    return qs.select_related("organization", "category", "unit").order_by("-published_at", "-pk")


def category_ids_below(category: Category) -> set[int]:
    """The category and every category below it (one query for the body's tree)."""
    rows = list(
        Category.objects.filter(organization_id=category.organization_id).values_list(
            "pk", "parent_id"
        )
    )
    ids, frontier = {category.pk}, {category.pk}
    while frontier:
        frontier = {pk for pk, parent in rows if parent in frontier and pk not in ids}
        ids |= frontier
    return ids


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode]
    item_count: int  # published items directly in this category


def catalogue_tree(org: Organization) -> list[CategoryNode]:
    """The body's catalogue as a tree (roots first, by order then code)."""
    categories = list(
        Category.objects.filter(organization=org)
        .select_related("unit")
        .annotate(
            published=Count(
                "items",
                filter=Q(items__status=S.PUBLISHED, items__attribute=Item.Attribute.PROACTIVE),
            )
        )
        .order_by("order", "code")
    )
    nodes = {c.pk: CategoryNode(c, [], c.published) for c in categories}
    roots = []
    for c in categories:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(nodes[c.pk])
    return roots


def guide_for(org: Organization) -> Guide | None:
    return Guide.objects.filter(organization=org).first()


# --- yearly counts (annual report) ---------------------------------------------------------


def normative_counts(org: Organization, year: int, kind: str) -> dict[str, int]:
    """Table 2 row of the register (条例第二十条第（一）项), exactly:

    - issued: ``issued_on`` within the year;
    - abolished (本年废止): documents that went out of force during the year —
      abolished (``abolished_on``) or expired (``expired_on``, or the day after
      ``valid_until``), each counted once, in the year it first stopped being
      in force (废止 read as 废止和失效; docs/disclosure.md);
    - in_force: in force on 31 December (:func:`gongkai.core.counting.in_force_q`).

    So format rule 6 holds by construction: in_force = last year's in_force +
    issued - abolished.  The rules are gongkai.core.counting's (one query).
    """
    cells = counting.register_cells(
        NormativeDocument.objects.filter(organization=org, kind=kind), year
    )
    row = counting.ROW_BY_KIND[kind]
    return {col: cells[f"t2.{row}.{col}"] for col in counting.REGISTER_COLUMNS}


def table2_figures(org: Organization, year: int) -> dict[str, int | Decimal]:
    """The table-2 cells (keys from gongkai.annual.format) known for ``org`` and ``year``.

    规章 rows come from the register (always 0 for a body without the power);
    许可/处罚/强制/收费 from :class:`YearlyFigures`.  When no figures were entered
    for the year those cells are left out — a blank is not a zero (format rule 9),
    so the checker reports them as missing instead of accepting an invented 0.
    """
    register = counting.register_cells(NormativeDocument.objects.filter(organization=org), year)
    figures = YearlyFigures.objects.filter(organization=org, year=year).first()
    return counting.t2_assemble(
        register, counting.t2_figures_contribution(figures, year) if figures else None
    )


# --- timeliness (条例第二十六条) ----------------------------------------------------------


@dataclass
class TimelinessRow:
    item: Item
    deadline: WorkDate | None  # None only for "bad_date"
    state: str  # "overdue" | "due_soon" | "published_late" | "bad_date"
    workdays_left: int  # negative when overdue

    @property
    def provisional(self) -> bool:
        return self.deadline is not None and self.deadline.provisional

    @property
    def days_late(self) -> int:
        return max(0, -self.workdays_left)

    @property
    def state_label(self) -> str:
        return {
            "overdue": "已超期未公开",
            "due_soon": "即将超期",
            "published_late": "超期公开",
            "bad_date": OUT_OF_RANGE,
        }[self.state]


def _timeliness(org: Organization, today: dt.date) -> list[TimelinessRow]:
    cal = calendar()
    rows: list[TimelinessRow] = []
    qs = Item.objects.filter(
        organization=org,
        attribute=Item.Attribute.PROACTIVE,
        status__in=(*OPEN_STATUSES, S.PUBLISHED),
    ).select_related("unit", "category")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        for item in qs:
            deadline = publication_deadline(item, cal)
            if deadline is None:
                # A stored 形成日期 outside the sane range: listed so it gets corrected.
                rows.append(TimelinessRow(item, None, "bad_date", 0))
                continue
            if item.status == S.PUBLISHED:
                published_on = stored_day(item.published_at)
                if published_on is None:
                    rows.append(TimelinessRow(item, deadline, "bad_date", 0))
                    continue
                if published_on > deadline:
                    rows.append(
                        TimelinessRow(
                            item,
                            deadline,
                            "published_late",
                            -cal.workdays_between(deadline, published_on),
                        )
                    )
                continue
            left = cal.workdays_between(today, deadline)
            if deadline < today:
                rows.append(TimelinessRow(item, deadline, "overdue", left))
            elif left <= DUE_SOON_WORKDAYS:
                rows.append(TimelinessRow(item, deadline, "due_soon", left))
    # Wrong dates first: they need a person before anything can be computed.
    rows.sort(key=lambda r: (r.deadline is not None, r.deadline or dt.date.min, r.item.pk))
    return rows


def late_items(org: Organization, today: dt.date) -> list[TimelinessRow]:
    """Proactive items past the 条例第二十六条 deadline: still open, or published late."""
    return [r for r in _timeliness(org, today) if r.state in ("overdue", "published_late")]


def timeliness_rows(org: Organization, today: dt.date) -> list[TimelinessRow]:
    return _timeliness(org, today)


# --- policy interpretation (国办发〔2016〕80号 "三同步") -------------------------------


def interpretation_max_workdays() -> int:
    # A common local rule, marked (verify) in the digest: keep it configurable.
    return int(getattr(settings, "GONGKAI_INTERPRETATION_MAX_WORKDAYS", 3))


def policies_without_interpretation(org: Organization) -> QuerySet[Item]:
    """Published policy/normative items that no published interpretation links to."""
    return (
        published_items(org)
        .filter(kind__in=(Item.Kind.POLICY, Item.Kind.NORMATIVE))
        .exclude(
            interpretations__status=S.PUBLISHED,
        )
    )


@dataclass
class InterpretationDelay:
    """How long after its policy a published 政策解读 came out (三同步: 0)."""

    interpretation: Item
    policy: Item
    delay: int  # working days from the policy's publication to the interpretation's (workcal)
    limit: int
    provisional: bool  # the span crosses a year without an entered holiday schedule

    @property
    def late(self) -> bool:
        return self.delay > self.limit


def interpretation_delays(
    org: Organization, max_workdays: int | None = None
) -> list[InterpretationDelay]:
    """Every published interpretation of a published policy with its delay in
    working days (``Calendar.workdays_between``: days in (policy day, interpretation
    day], so 0 when both came out on one day — 国办发〔2016〕80号 同步发布), most
    delayed first.  Rows with a stored date outside the sane range are left out
    (the item page shows the date as wrong)."""
    limit = interpretation_max_workdays() if max_workdays is None else max_workdays
    cal = calendar()
    out: list[InterpretationDelay] = []
    qs = (
        published_items(org)
        .filter(kind=Item.Kind.INTERPRETATION, interprets__status=S.PUBLISHED)
        .select_related("interprets")
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProvisionalScheduleWarning)
        for interp in qs:
            policy_day = stored_day(interp.interprets.published_at)
            interp_day = stored_day(interp.published_at)
            if policy_day is None or interp_day is None:
                continue
            caught.clear()
            delay = cal.workdays_between(policy_day, interp_day)
            provisional = any(issubclass(w.category, ProvisionalScheduleWarning) for w in caught)
            out.append(InterpretationDelay(interp, interp.interprets, delay, limit, provisional))
    out.sort(key=lambda r: (-r.delay, r.interpretation.pk))
    return out


def policies_awaiting_interpretation(org: Organization, today: dt.date) -> list[dict]:
    """:func:`policies_without_interpretation` with the working days each has been
    waiting since its publication (the interpretation's delay so far)."""
    cal = calendar()
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        for policy in policies_without_interpretation(org):
            day = stored_day(policy.published_at)
            waiting = cal.workdays_between(day, today) if day and day <= today else None
            rows.append({"policy": policy, "waiting": waiting})
    return rows


def late_interpretations(org: Organization, max_workdays: int | None = None) -> list[dict]:
    """Interpretations published more than ``max_workdays`` working days after their policy."""
    return [
        {"interpretation": r.interpretation, "policy": r.policy, "lag": r.delay}
        for r in interpretation_delays(org, max_workdays)
        if r.late
    ]


@dataclass
class InterpretationPackage:
    """What the public page of a 政策解读 shows besides its text."""

    content: InterpretationContent | None
    figures: list[InterpretationFigure]

    @property
    def sections(self) -> list[tuple[str, str]]:
        if self.content is None:
            return []
        return [(label, getattr(self.content, name)) for name, label in INTERPRETATION_SECTIONS]

    @property
    def qa(self) -> list[dict[str, str]]:
        return list(self.content.qa) if self.content else []

    @property
    def videos(self) -> list[dict[str, str]]:
        return list(self.content.videos) if self.content else []

    def __bool__(self) -> bool:
        return bool(self.content or self.figures)


def interpretation_package(item: Item) -> InterpretationPackage | None:
    """The package of a 政策解读 (two queries); None for any other kind (no query)."""
    if item.kind != Item.Kind.INTERPRETATION:
        return None
    return InterpretationPackage(
        content=InterpretationContent.objects.filter(item=item).first(),
        figures=list(item.figures.all()),
    )
