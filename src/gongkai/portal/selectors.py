"""Reads of the public portal: only published 主动公开 items of active bodies.

Every public page and API goes through these, so the rule "nothing
unpublished, nothing of an inactive body" is enforced in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.disclosure import list_selectors as registers
from gongkai.disclosure import selectors as disclosure
from gongkai.disclosure.models import Category, Item, NormativeDocument
from gongkai.organizations.models import Organization
from gongkai.reports import selectors as reports
from gongkai.search.models import SearchDocument

from .pagecache import ALL, SITE, body_scope, cached_value


def public_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True).order_by("level", "name")


def public_organization(slug: str) -> Organization:
    org = Organization.objects.filter(slug=slug, is_active=True).first()
    if org is None:
        raise Http404("没有这个机关")
    return org


def public_children(org: Organization) -> QuerySet[Organization]:
    return public_organizations().filter(parent=org)


def public_items(org: Organization | None = None) -> QuerySet[Item]:
    """Published 主动公开 items of active bodies, newest first."""
    return disclosure.published_items(org).filter(organization__is_active=True)


def public_item(org: Organization, pk: int) -> Item:
    item = public_items(org).filter(pk=pk).select_related("interprets").first()
    if item is None:
        raise Http404("该信息不存在或已撤回")
    return item


def public_interpretations(item: Item) -> QuerySet[Item]:
    return public_items().filter(interprets=item)


def public_policy_of(item: Item) -> Item | None:
    """The published policy an interpretation explains (None when it is not public)."""
    if not item.interprets_id:
        return None
    return public_items().filter(pk=item.interprets_id).first()


def category_of(org: Organization, pk: int) -> Category:
    category = Category.objects.filter(organization=org, pk=pk).select_related("unit").first()
    if category is None:
        raise Http404("没有这个目录类目")
    return category


def items_in_category(category: Category) -> QuerySet[Item]:
    return public_items(category.organization).filter(
        category_id__in=disclosure.category_ids_below(category)
    )


def docs_in_category(category: Category):
    return public_docs(category.organization).filter(
        category_id__in=disclosure.category_ids_below(category)
    )


def category_path(category: Category) -> list[Category]:
    """Root first, ending with ``category`` (for breadcrumbs).  One query for the
    body's tree, however deep the category (following ``parent`` would cost one
    query per level)."""
    if category.parent_id is None:
        return [category]
    nodes = Category.objects.filter(organization_id=category.organization_id).in_bulk()
    path, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        path.append(node)
        node = nodes.get(node.parent_id)
    return list(reversed(path))


@dataclass
class TreeRow:
    """One catalogue line: depth for indentation, own and subtree counts."""

    category: Category
    depth: int
    count: int  # published items in this category and below


def published_counts_by_category(org: Organization) -> dict[int | None, int]:
    """Published 主动公开 items per category id (None: uncategorised).

    Read from the search index, which holds exactly the published items and is
    kept in the publish/withdraw transaction; its (organization, category)
    index answers this without reading the wide item rows.  The GROUP BY reads
    every index row of the body, so the answer is kept per version of the
    body's pages (``pagecache.cached_value``): the catalogue, the body's home
    page and the category pages share one computation per change.
    """

    def compute() -> dict[int | None, int]:
        rows = (
            SearchDocument.objects.filter(organization=org)
            .values("category_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {r["category_id"]: r["n"] for r in rows}

    return cached_value("counts", [SITE, body_scope(org.slug)], compute)


def catalogue_rows(org: Organization, counts: dict[int | None, int] | None = None) -> list[TreeRow]:
    """The catalogue, depth-first (by order, code), with subtree counts
    (``counts``: ``published_counts_by_category(org)`` when the caller has it)."""
    if counts is None:
        counts = published_counts_by_category(org)
    categories = list(
        Category.objects.filter(organization=org).select_related("unit").order_by("order", "code")
    )
    ids = {c.pk for c in categories}
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    rows: list[TreeRow] = []

    def walk(parent_id, depth, seen) -> int:
        total = 0
        for c in children.get(parent_id, []):
            if c.pk in seen:  # a cycle would be a data error; never loop forever
                continue
            row = TreeRow(c, depth, 0)
            rows.append(row)
            row.count = counts.get(c.pk, 0) + walk(c.pk, depth + 1, seen | {c.pk})
            total += row.count
        return total

    walk(None, 0, frozenset())
    return rows


def normative_register(org: Organization) -> QuerySet[NormativeDocument]:
    """条例第二十条第（一）项: the body's register of 规章/行政规范性文件."""
    return NormativeDocument.objects.filter(organization=org).select_related("item__organization")


def current_notices(org: Organization, today: dt.date) -> QuerySet[Item]:
    """Items whose 公示期 includes ``today`` (service-hall screen), earliest ending first."""
    return (
        public_items(org)
        .filter(notice_from__lte=today, notice_to__gte=today)
        .order_by("notice_to", "-published_at", "pk")
    )


def years_with_items(org: Organization | None = None) -> list[int]:
    """Publication years for the search filter, read from the search index
    (one small indexed column instead of converting every item's timestamp).
    SELECT DISTINCT reads the whole index, so the answer is kept until the next
    publication or withdrawal (``pagecache.cached_value`` under ``all``)."""

    def compute() -> list[int]:
        qs = SearchDocument.objects.all()
        if org is not None:
            qs = qs.filter(organization=org)
        return list(qs.order_by("-year").values_list("year", flat=True).distinct())

    name = f"years:{org.pk if org is not None else ''}"
    return cached_value(name, [SITE, ALL], compute)


# --- annual reports (gongkai.reports) ---------------------------------------------------


def published_reports(org: Organization) -> list:
    return list(reports.published_reports(org))


def published_report(org: Organization, year: int):
    """(row, gongkai.annual.model.Report) of the published report of ``year``, or 404."""
    row = reports.report_document_for_public(org, year)
    if row is None:
        raise Http404("该年度报告尚未发布")
    return row, reports.report_of(row)


# --- lists read through the search index (narrow rows, indexed) ------------------------


def public_docs(org: Organization | None = None):
    """Index rows of public items (the index holds published 主动公开 items only)."""
    if org is not None:  # callers got ``org`` from public_organization(): it is active
        qs = SearchDocument.objects.filter(organization=org)
    else:
        qs = SearchDocument.objects.filter(organization_id__in=list(
            Organization.objects.filter(is_active=True).values_list("pk", flat=True)))  # fmt: skip
    return qs.order_by("-published_at", "-pk")


def with_register_state(items: QuerySet[Item]) -> QuerySet[Item]:
    """``items`` annotated with ``register_state``: 已废止/已失效/已修订 from the
    register today, or "" (a subquery, no extra query)."""
    return items.annotate(register_state=registers.register_state_subquery(timezone.localdate()))


def items_for_docs(item_ids: list[int]) -> list[Item]:
    """The public items behind index rows, in the given order (re-checked as public),
    each with ``register_state`` (已废止/已失效/已修订 from the register, or "")."""
    items = with_register_state(public_items().select_related("interprets")).in_bulk(item_ids)
    return [items[pk] for pk in item_ids if pk in items]


def paginate_items(doc_qs, page_number, per_page: int = 20):
    """A Django ``Page`` over index rows whose ``object_list`` is the items."""
    page = Paginator(doc_qs.values_list("item_id", flat=True), per_page).get_page(page_number)
    page.object_list = items_for_docs(list(page.object_list))
    return page
