"""Reads of the 失效文件清单, the catalogue's update date, the 三项清单 and the
standard catalogues, shared by the back office and the portal (a contract like
``selectors``: add, never rename)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, OuterRef, Q, Subquery, Value, When

from gongkai.core import counting
from gongkai.organizations.models import Organization

from .models import (
    Catalogue,
    CatalogueAdoption,
    ListKind,
    ListRevision,
    NormativeDocument,
    StandardCatalogue,
)

# --- 失效 documents (the register decides) ----------------------------------------------


def register_void_q(day: dt.date, prefix: str = "") -> Q:
    """Register rows the public should no longer rely on, on ``day``: issued, and
    either out of force (废止/失效, :func:`counting.in_force_q`) or amended
    (已修订) — :meth:`NormativeDocument.void_on` as a query."""
    p = prefix
    return Q(**{f"{p}issued_on__lte": day}) & (
        ~counting.in_force_q(day, p) | Q(**{f"{p}status": NormativeDocument.Status.AMENDED})
    )


def void_documents(org: Organization, day: dt.date) -> list[NormativeDocument]:
    """The 失效文件清单 of ``org`` on ``day``: 已废止, 已失效 and 已修订 register
    rows with the document that replaced them, the latest change first."""
    rows = list(
        NormativeDocument.objects.filter(register_void_q(day), organization=org).select_related(
            "item__organization", "replaced_by__item__organization"
        )
    )
    rows.sort(key=lambda d: (d.void_date(day) or d.issued_on, d.pk), reverse=True)
    return rows


def register_state_subquery(day: dt.date) -> Subquery:
    """:meth:`NormativeDocument.void_on` of an item's newest register row, in SQL:
    ``items.annotate(register_state=register_state_subquery(day))`` lets a list
    show 已废止/已失效/已修订 without another query.  The same rule as
    :func:`register_void_q` (tests check that they agree)."""
    state = Case(
        When(abolished_on__lte=day, then=Value("已废止")),
        When(Q(expired_on__lte=day) | Q(valid_until__lt=day), then=Value("已失效")),
        When(status=NormativeDocument.Status.AMENDED, then=Value("已修订")),
        default=Value(""),
        output_field=CharField(),
    )
    rows = NormativeDocument.objects.filter(item_id=OuterRef("pk"), issued_on__lte=day)
    return Subquery(rows.order_by("-issued_on", "-pk").annotate(state=state).values("state")[:1])


def register_states(item_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    """:func:`register_state_subquery` for a handful of items, in Python: the
    :meth:`NormativeDocument.void_on` of each item's newest register row
    (items without one are left out).  One plain query — cheaper to build than
    the annotation where a page loads only a few items (search results)."""
    rows = NormativeDocument.objects.filter(item_id__in=list(item_ids), issued_on__lte=day)
    states: dict[int, str] = {}
    for doc in rows.order_by("item_id", "-issued_on", "-pk"):
        states.setdefault(doc.item_id, doc.void_on(day))
    return states


# --- the catalogue's date and the 三项清单 ------------------------------------------------


def catalogue_updated_at(org: Organization) -> dt.datetime | None:
    """When ``org``'s catalogue last changed (None: not since the date was kept)."""
    return Catalogue.objects.filter(organization=org).values_list("updated_at", flat=True).first()


def list_revisions(org: Organization, kind: str) -> list[ListRevision]:
    """Every published revision of one of ``org``'s lists, newest first."""
    return list(ListRevision.objects.filter(organization=org, kind=kind).order_by("-number"))


def list_overview(org: Organization) -> list[tuple[str, str, ListRevision | None]]:
    """(kind, label, newest revision or None) of the three lists (one query)."""
    newest: dict[str, ListRevision] = {}
    for rev in ListRevision.objects.filter(organization=org).defer("entries").order_by("-number"):
        newest.setdefault(rev.kind, rev)
    return [(kind, label, newest.get(kind)) for kind, label in ListKind.choices]


# --- standard catalogues -----------------------------------------------------------------


def standards_offered_to(org: Organization) -> list[StandardCatalogue]:
    """Standard catalogues of the bodies above ``org`` meant for its level, with at
    least one published version."""
    ancestors = [a.pk for a in org.ancestors()]
    return list(
        StandardCatalogue.objects.filter(publisher_id__in=ancestors, versions__isnull=False)
        .filter(Q(target_level="") | Q(target_level=org.level))
        .select_related("publisher")
        .distinct()
        .order_by("publisher__name", "title")
    )


def adoptions_of(org: Organization) -> dict[int, CatalogueAdoption]:
    """Standard id → ``org``'s adoption of the newest version it adopted."""
    found: dict[int, CatalogueAdoption] = {}
    rows = CatalogueAdoption.objects.filter(organization=org).select_related("version")
    for row in rows.order_by("-version__number"):
        found.setdefault(row.version.standard_id, row)
    return found


@dataclass
class AdoptionRow:
    organization: Organization
    adoption: CatalogueAdoption | None  # of the newest version it adopted, or None

    def up_to_date(self, latest_number: int | None) -> bool:
        return bool(self.adoption and self.adoption.version.number == latest_number)


def standard_adoption_rows(standard: StandardCatalogue) -> list[AdoptionRow]:
    """Who has adopted which version: every active body below the publisher the
    standard is meant for, with its newest adoption."""
    bodies = Organization.objects.filter(pk__in=standard.publisher.descendant_ids(), is_active=True)
    if standard.target_level:
        bodies = bodies.filter(level=standard.target_level)
    newest: dict[int, CatalogueAdoption] = {}
    adoptions = CatalogueAdoption.objects.filter(version__standard=standard).select_related(
        "version", "adopted_by"
    )
    for row in adoptions.order_by("-version__number"):
        newest.setdefault(row.organization_id, row)
    return [AdoptionRow(o, newest.get(o.pk)) for o in bodies.order_by("level", "name")]
