"""Reads other apps (portal, applications, reports) share with the back office.

Field names and return shapes here are a contract: add, never rename.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from gongkai.annual.format import T2_ROW_BY_KEY, t2_keys
from gongkai.organizations.models import Organization
from gongkai.workdays import Calendar, ProvisionalScheduleWarning, WorkDate, parse_schedule

from .models import (
    Category,
    Guide,
    HolidaySchedule,
    Item,
    NormativeDocument,
    Publication,
    YearlyFigures,
)

S = Item.Status
# 条例第二十六条: proactive information within 20 working days of being formed or changed.
PUBLICATION_DEADLINE_WORKDAYS = 20
# "Due soon" on the timeliness list: at most this many working days left.
DUE_SOON_WORKDAYS = 5
OPEN_STATUSES = (S.DRAFT, S.IN_REVIEW, S.IN_APPROVAL, S.RETURNED)


# --- the working-day calendar built from administrator schedules ---------------------

_calendar_lock = threading.Lock()
_calendar_cache: dict[str, object] = {}


def calendar_invalidate() -> None:
    with _calendar_lock:
        _calendar_cache.clear()


def calendar() -> Calendar:
    """The platform's :class:`gongkai.workdays.Calendar`: administrator schedules from
    the database first, then the chinesecalendar package, then Mon-Fri (provisional).

    Cached per process; the cache key is the schedules' count and last change,
    so a schedule saved in another process is picked up on the next call.
    """
    stamp = HolidaySchedule.objects.aggregate(n=Count("pk"), last=Max("entered_at"))
    key = (stamp["n"], stamp["last"])
    with _calendar_lock:
        if _calendar_cache.get("key") == key:
            return _calendar_cache["calendar"]  # type: ignore[return-value]
    schedules = [
        parse_schedule(s.text, s.year, source=s.source or "管理员录入")
        for s in HolidaySchedule.objects.order_by("year")
    ]
    cal = Calendar(schedules)
    with _calendar_lock:
        _calendar_cache.update(key=key, calendar=cal)
    return cal


def publication_deadline(item: Item, cal: Calendar | None = None) -> WorkDate:
    """条例第二十六条: the 20th working day after ``formed_on``."""
    cal = cal or calendar()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        return cal.add_workdays(item.formed_on, PUBLICATION_DEADLINE_WORKDAYS)


# --- history (the audit log of one record, in words) --------------------------------------

VERB_LABELS = {
    "item.create": "起草",
    "item.update": "修改",
    "item.submit": "提交保密审查",
    "item.review_pass": "通过保密审查",
    "item.return": "退回",
    "item.approve": "审批通过",
    "item.withdraw": "撤回",
    "item.mask_personal_data": "对正文中的个人信息打码",
    "item.publication_record": "登记发布渠道",
    "item.import": "导入",
    "guide.generate": "生成指南",
    "guide.update": "修改指南",
}
STATUS_LABELS = dict(Item.Status.choices)


def history_for(obj) -> list[dict]:
    """The audit events about ``obj``, oldest first, with Chinese labels."""
    from gongkai.audit.selectors import events_for

    rows = []
    for event in events_for(obj):
        rows.append(
            {
                "at": event.created_at,
                "actor": (event.actor.get_full_name() or event.actor.get_username())
                if event.actor
                else (event.actor_repr or "系统"),
                "verb": event.verb,
                "label": VERB_LABELS.get(event.verb, event.verb),
                "from": STATUS_LABELS.get(event.from_state, event.from_state),
                "to": STATUS_LABELS.get(event.to_state, event.to_state),
                "changed": event.from_state != event.to_state and bool(event.to_state),
                "comment": event.comment,
            }
        )
    return rows


def publication_late(item: Item, today: dt.date, deadline: WorkDate | None = None) -> bool:
    """条例第二十六条: published after, or still unpublished past, the deadline."""
    if item.attribute != Item.Attribute.PROACTIVE:
        return False
    deadline = deadline or publication_deadline(item)
    if item.published_at:
        return timezone.localdate(item.published_at) > deadline
    return item.status in OPEN_STATUSES and today > deadline


# --- what the portal reads -------------------------------------------------------------


def published_items(org: Organization | None = None) -> QuerySet[Item]:
    """Items the public may see: published and 主动公开; newest first."""
    qs = Item.objects.filter(status=S.PUBLISHED, attribute=Item.Attribute.PROACTIVE)
    if org is not None:
        qs = qs.filter(organization=org)
    return qs.select_related("organization", "category", "unit").order_by("-published_at", "-pk")


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode]
    item_count: int  # published items directly in this category


def catalogue_tree(org: Organization) -> list[CategoryNode]:
    """The body's catalogue as a tree (roots first, by order then code)."""
    categories = list(
        Category.objects.filter(organization=org)
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


def interpretations_of(item: Item) -> QuerySet[Item]:
    return published_items().filter(interprets=item)


def notices_current(org: Organization, today: dt.date) -> QuerySet[Item]:
    """Published items whose 公示期 includes ``today`` (for the service-hall screen)."""
    return published_items(org).filter(notice_from__lte=today, notice_to__gte=today)


# --- yearly counts (annual report) ---------------------------------------------------------


def normative_counts(org: Organization, year: int, kind: str) -> dict[str, int]:
    """Table 2 row of the register (条例第二十条第（一）项), exactly:

    - issued: ``issued_on`` within the year;
    - abolished: ``abolished_on`` within the year;
    - in_force: at 31 December — issued on or before it, not abolished or expired
      on or before it, and ``valid_until`` (the last valid day) not before it.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = NormativeDocument.objects.filter(organization=org, kind=kind)
    return {
        "issued": qs.filter(issued_on__range=(start, end)).count(),
        "abolished": qs.filter(abolished_on__range=(start, end)).count(),
        "in_force": qs.filter(issued_on__lte=end)
        .exclude(abolished_on__lte=end)
        .exclude(expired_on__lte=end)
        .exclude(valid_until__lt=end)
        .count(),
    }


def table2_figures(org: Organization, year: int) -> dict[str, int | Decimal]:
    """Every table-2 cell (keys from gongkai.annual.format) for ``org`` and ``year``.

    规章 rows come from the register (always 0 for a body without the power);
    许可/处罚/强制/收费 from :class:`YearlyFigures` (0 when not yet entered —
    see :func:`yearly_figures_entered`).
    """
    out: dict[str, int | Decimal] = {}
    kinds = {"regulations": NormativeDocument.Kind.REGULATION, "normative": "normative"}
    figures = YearlyFigures.objects.filter(organization=org, year=year).first()
    for key in t2_keys():
        _, row_key, *col = key.split(".")
        row = T2_ROW_BY_KEY[row_key]
        if row.has_columns:
            counts = normative_counts(org, year, kinds[row_key])
            out[key] = counts[col[0]]
        elif row.is_decimal:
            out[key] = figures.fees if figures else Decimal("0")
        else:
            out[key] = getattr(figures, row_key) if figures else 0
    return out


def yearly_figures_entered(org: Organization, year: int) -> bool:
    return YearlyFigures.objects.filter(organization=org, year=year).exists()


def items_by_channel(org: Organization, year: int) -> dict[str, int]:
    """Distinct items published through each channel in ``year`` (all channels listed)."""
    rows = (
        Publication.objects.filter(item__organization=org, published_on__year=year)
        .values("channel")
        .annotate(n=Count("item", distinct=True))
    )
    out = dict.fromkeys(Publication.Channel.values, 0)
    out.update({r["channel"]: r["n"] for r in rows})
    return out


def items_by_category(org: Organization, year: int) -> list[tuple[Category | None, int]]:
    """Published 主动公开 items per catalogue category in ``year`` (by publication date)."""
    rows = (
        published_items(org)
        .filter(published_at__year=year)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cats = Category.objects.in_bulk([r["category"] for r in rows if r["category"]])
    result = [(cats.get(r["category"]), r["n"]) for r in rows]
    return sorted(result, key=lambda t: (t[0] is None, t[0].order if t[0] else 0, str(t[0])))


# --- timeliness (条例第二十六条) ----------------------------------------------------------


@dataclass
class TimelinessRow:
    item: Item
    deadline: WorkDate
    state: str  # "overdue" | "due_soon" | "published_late"
    workdays_left: int  # negative when overdue

    @property
    def provisional(self) -> bool:
        return self.deadline.provisional

    @property
    def days_late(self) -> int:
        return max(0, -self.workdays_left)

    @property
    def state_label(self) -> str:
        return {"overdue": "已超期未公开", "due_soon": "即将超期", "published_late": "超期公开"}[
            self.state
        ]


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
            if item.status == S.PUBLISHED:
                published_on = timezone.localdate(item.published_at)
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
    rows.sort(key=lambda r: (r.deadline, r.item.pk))
    return rows


def late_items(org: Organization, today: dt.date) -> list[TimelinessRow]:
    """Proactive items past the 条例第二十六条 deadline: still open, or published late."""
    return [r for r in _timeliness(org, today) if r.state in ("overdue", "published_late")]


def due_soon_items(org: Organization, today: dt.date) -> list[TimelinessRow]:
    """Open proactive items with at most DUE_SOON_WORKDAYS working days left."""
    return [r for r in _timeliness(org, today) if r.state == "due_soon"]


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


def late_interpretations(org: Organization, max_workdays: int | None = None) -> list[dict]:
    """Interpretations published more than ``max_workdays`` working days after their policy."""
    limit = interpretation_max_workdays() if max_workdays is None else max_workdays
    cal = calendar()
    out = []
    qs = (
        published_items(org)
        .filter(kind=Item.Kind.INTERPRETATION, interprets__status=S.PUBLISHED)
        .select_related("interprets")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        for interp in qs:
            policy_day = timezone.localdate(interp.interprets.published_at)
            interp_day = timezone.localdate(interp.published_at)
            lag = cal.workdays_between(policy_day, interp_day)
            if lag > limit:
                out.append({"interpretation": interp, "policy": interp.interprets, "lag": lag})
    return out
