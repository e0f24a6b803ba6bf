import datetime as dt
from decimal import Decimal

import pytest

from gongkai.annual.format import t2_keys
from gongkai.disclosure import selectors, services
from gongkai.disclosure.factories import (
    ItemFactory,
    NormativeDocumentFactory,
    PublishedItemFactory,
    YearlyFiguresFactory,
)
from gongkai.disclosure.models import NormativeDocument
from gongkai.workcal.models import HolidaySchedule
from gongkai.workcal.selectors import calendar_invalidate

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d):
    return dt.datetime(y, m, d, 10, 0, tzinfo=TZ)


# --- table 2 ---------------------------------------------------------------------


def test_table2_figures_hand_computed(org, other_org):
    N = "normative"
    # Issued in 2024, in force at year end.
    NormativeDocumentFactory(organization=org, issued_on=dt.date(2024, 2, 1))
    # Issued 2024-12-31 (counts as issued and in force).
    NormativeDocumentFactory(organization=org, issued_on=dt.date(2024, 12, 31))
    # Issued 2023, abolished in 2024 -> abolished 1, not in force.
    NormativeDocumentFactory(
        organization=org,
        issued_on=dt.date(2023, 3, 1),
        status="abolished",
        abolished_on=dt.date(2024, 6, 1),
    )
    # Issued 2022, abolished 2025 -> in force at end of 2024.
    NormativeDocumentFactory(
        organization=org,
        issued_on=dt.date(2022, 3, 1),
        status="abolished",
        abolished_on=dt.date(2025, 1, 2),
    )
    # Valid until 2024-12-31 -> still in force on 31 Dec; valid until 2024-12-30 -> not.
    NormativeDocumentFactory(
        organization=org, issued_on=dt.date(2021, 1, 1), valid_until=dt.date(2024, 12, 31)
    )
    NormativeDocumentFactory(
        organization=org, issued_on=dt.date(2021, 1, 1), valid_until=dt.date(2024, 12, 30)
    )
    # Expired (declared) on 2024-12-31 -> not in force.
    NormativeDocumentFactory(
        organization=org,
        issued_on=dt.date(2020, 1, 1),
        status="expired",
        expired_on=dt.date(2024, 12, 31),
    )
    # Issued 2025 -> nothing for 2024.
    NormativeDocumentFactory(organization=org, issued_on=dt.date(2025, 1, 1))
    # Another body's document never counts.
    NormativeDocumentFactory(organization=other_org, issued_on=dt.date(2024, 2, 1), kind=N)
    YearlyFiguresFactory(
        organization=org, year=2024, licensing=12, penalty=3, coercion=1, fees=Decimal("1.234567")
    )
    YearlyFiguresFactory(organization=org, year=2023, licensing=99)

    figures = selectors.table2_figures(org, 2024)
    assert set(figures) == set(t2_keys())
    assert figures == {
        "t2.regulations.issued": 0,
        "t2.regulations.abolished": 0,
        "t2.regulations.in_force": 0,
        "t2.normative.issued": 2,
        # 废止和失效: abolished 06-01, valid until 12-30 (out of force 12-31), expired 12-31.
        "t2.normative.abolished": 3,
        "t2.normative.in_force": 4,  # Feb-2024, Dec-31-2024, abolished-2025, valid-until-31-Dec
        "t2.licensing": 12,
        "t2.penalty": 3,
        "t2.coercion": 1,
        "t2.fees": Decimal("1.234567"),
    }


def test_table2_regulations_and_missing_figures(org):
    org.may_make_regulations = True
    org.save()
    NormativeDocumentFactory(organization=org, kind="regulation", issued_on=dt.date(2024, 7, 1))
    figures = selectors.table2_figures(org, 2024)
    assert figures["t2.regulations.issued"] == 1 and figures["t2.regulations.in_force"] == 1
    assert figures["t2.normative.issued"] == 0
    # Rule 9, a blank is not a zero: no YearlyFigures row -> the cells are left out.
    for key in ("t2.licensing", "t2.penalty", "t2.coercion", "t2.fees"):
        assert key not in figures
    YearlyFiguresFactory(organization=org, year=2024, licensing=0, fees=Decimal("0"))
    figures = selectors.table2_figures(org, 2024)
    assert figures["t2.licensing"] == 0 and figures["t2.fees"] == Decimal("0")


def test_missing_figures_are_reported_missing_by_the_checker(org):
    from gongkai.annual.model import Report
    from gongkai.annual.rules import MISSING_CELLS, check

    cells = selectors.table2_figures(org, 2024)
    report = Report(year=2024, cells=cells)
    findings = [f for f in check(report) if f.code == MISSING_CELLS]
    missing = {k for f in findings for k in f.cells if k.startswith("t2.")}
    assert missing == {"t2.licensing", "t2.penalty", "t2.coercion", "t2.fees"}


def _chain(org, year):
    counts = selectors.normative_counts(org, year, "normative")
    return counts["in_force"], counts["issued"], counts["abolished"]


def test_in_force_chain_holds_across_years_with_expiries(org):
    """Format rule 6 (in_force = last in_force + issued - abolished) holds for the
    computed counts when documents expire: expiries count as 废止 in their year."""
    D = dt.date
    # In force from 2023, runs out (valid_until) in 2024.
    NormativeDocumentFactory(organization=org, issued_on=D(2023, 2, 1), valid_until=D(2024, 5, 31))
    # Declared expired in 2024.
    NormativeDocumentFactory(
        organization=org, issued_on=D(2023, 3, 1), status="expired", expired_on=D(2024, 8, 1)
    )
    # Issued and expired within 2024 (counted in both columns, nets zero).
    NormativeDocumentFactory(organization=org, issued_on=D(2024, 1, 5), valid_until=D(2024, 6, 30))
    # Expired (valid_until) in 2024 and later also formally abolished: counted once, in 2024.
    NormativeDocumentFactory(
        organization=org,
        issued_on=D(2022, 1, 1),
        valid_until=D(2024, 3, 31),
        status="abolished",
        abolished_on=D(2025, 2, 1),
    )
    # Still in force; valid until the last day of 2024 -> out of force in 2025.
    NormativeDocumentFactory(organization=org, issued_on=D(2023, 6, 1), valid_until=D(2024, 12, 31))
    NormativeDocumentFactory(organization=org, issued_on=D(2024, 9, 1))
    assert _chain(org, 2023) == (4, 3, 0)
    assert _chain(org, 2024) == (2, 2, 4)  # 4 + 2 - 4 = 2
    assert _chain(org, 2025) == (1, 0, 1)  # 2 + 0 - 1 = 1
    for year in (2024, 2025):
        in_force, issued, abolished = _chain(org, year)
        assert in_force == _chain(org, year - 1)[0] + issued - abolished


def test_in_force_on_matches_the_count(org):
    doc = NormativeDocumentFactory(
        organization=org, issued_on=dt.date(2021, 1, 1), valid_until=dt.date(2024, 12, 31)
    )
    assert doc.in_force_on(dt.date(2024, 12, 31)) and not doc.in_force_on(dt.date(2025, 1, 1))


def test_in_force_q_is_the_one_definition(org):
    """The model method and the queryset filter agree on every document and day."""
    D = dt.date
    docs = [
        NormativeDocumentFactory(organization=org, issued_on=D(2024, 3, 1)),
        NormativeDocumentFactory(
            organization=org, issued_on=D(2023, 1, 1), valid_until=D(2024, 3, 1)
        ),
        NormativeDocumentFactory(
            organization=org, issued_on=D(2023, 1, 1), status="expired", expired_on=D(2024, 3, 1)
        ),
        NormativeDocumentFactory(
            organization=org,
            issued_on=D(2023, 1, 1),
            status="abolished",
            abolished_on=D(2024, 3, 2),
        ),
    ]
    for day in (D(2024, 2, 29), D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 3)):
        by_query = set(NormativeDocument.objects.filter(NormativeDocument.objects.in_force_q(day)))
        by_method = {d for d in docs if d.in_force_on(day)}
        assert by_query == by_method
        assert set(NormativeDocument.objects.in_force_on(day)) == by_method
    on_first = {d.pk for d in docs if d.in_force_on(D(2024, 3, 1))}
    assert on_first == {docs[0].pk, docs[1].pk, docs[3].pk}


# --- timeliness (条例第二十六条) -------------------------------------------------


@pytest.mark.parametrize(
    ("formed_on", "deadline"),
    [
        (dt.date(2024, 3, 1), dt.date(2024, 3, 29)),  # Fri; four plain weeks
        (
            dt.date(2024, 9, 30),
            dt.date(2024, 11, 1),
        ),  # across 国庆 (Oct 1-7 off, Sep 29/Oct 12 worked)
        (
            dt.date(2024, 2, 1),
            dt.date(2024, 3, 5),
        ),  # across 春节 (Feb 10-17 off; Sun Feb 4, Sun Feb 18 worked)
    ],
)
def test_publication_deadline_hand_computed(org, formed_on, deadline):
    item = ItemFactory(organization=org, formed_on=formed_on)
    result = selectors.publication_deadline(item)
    assert result == deadline and not result.provisional


def test_deadline_provisional_without_schedule_then_admin_schedule(org):
    # March has no statutory holiday, so no estimate of a lunar feast interferes.
    item = ItemFactory(organization=org, formed_on=dt.date(2031, 3, 3))
    result = selectors.publication_deadline(item)
    # Mon-Fri only: Mar 3 2031 is a Monday -> 20 working days later is Mon Mar 31.
    assert result == dt.date(2031, 3, 31) and result.provisional
    HolidaySchedule.objects.create(year=2031, text="2031-03-17~2031-03-21 休 测试")
    calendar_invalidate()
    result = selectors.publication_deadline(item)
    # Five working days off -> Apr 1, 2, 3, 4, 7.
    assert result == dt.date(2031, 4, 7) and not result.provisional


def test_late_and_due_soon(org, other_org):
    today = dt.date(2024, 4, 1)  # Monday
    overdue = ItemFactory(
        organization=org, formed_on=dt.date(2024, 2, 1), status="in_review"
    )  # due 3-5
    due_soon = ItemFactory(organization=org, formed_on=dt.date(2024, 3, 6))  # due 2024-04-03
    not_yet = ItemFactory(organization=org, formed_on=dt.date(2024, 3, 25))
    late_pub = PublishedItemFactory(
        organization=org, formed_on=dt.date(2024, 3, 1), published_at=at(2024, 4, 2)
    )
    PublishedItemFactory(
        organization=org, formed_on=dt.date(2024, 3, 1), published_at=at(2024, 3, 29)
    )
    ItemFactory(
        organization=org,
        formed_on=dt.date(2024, 1, 2),
        attribute="withheld",
        attribute_reason="r",
        attribute_basis="b",
    )
    ItemFactory(organization=other_org, formed_on=dt.date(2024, 1, 2))
    late = selectors.late_items(org, today)
    assert [(r.item, r.state) for r in late] == [(overdue, "overdue"), (late_pub, "published_late")]
    assert late[0].deadline == dt.date(2024, 3, 5) and late[0].workdays_left < 0
    soon = [r for r in selectors.timeliness_rows(org, today) if r.state == "due_soon"]
    assert [(r.item, r.workdays_left) for r in soon] == [(due_soon, 2)]
    assert not_yet not in [r.item for r in selectors.timeliness_rows(org, today)]


# --- portal reads ------------------------------------------------------------------


def test_published_items_only_proactive_published(org, other_org):
    shown = PublishedItemFactory(organization=org)
    PublishedItemFactory(organization=other_org)
    ItemFactory(organization=org)
    ItemFactory(organization=org, status="withdrawn", published_at=at(2024, 1, 1))
    assert list(selectors.published_items(org)) == [shown]
    assert selectors.published_items().count() == 2


def test_catalogue_tree_and_counts(org, clerk):
    services.catalogue_seed_system(organization=org)
    cat = org.disclosure_categories.get(code="B17")
    PublishedItemFactory(organization=org, category=cat)
    ItemFactory(organization=org, category=cat)
    tree = selectors.catalogue_tree(org)
    assert [n.category.code for n in tree] == ["A", "B", "C"]
    b = tree[1]
    assert len(b.children) == 26
    assert next(n for n in b.children if n.category.code == "B17").item_count == 1


def test_policies_without_interpretation_and_late_interpretations(org, settings):
    policy = PublishedItemFactory(organization=org, kind="normative", published_at=at(2024, 3, 1))
    lonely = PublishedItemFactory(organization=org, kind="policy", published_at=at(2024, 3, 1))
    PublishedItemFactory(organization=org, kind="notice")
    # Interpretation 4 working days later (Mon 3-4 .. Thu 3-7): late under the default 3.
    interp = PublishedItemFactory(
        organization=org, kind="interpretation", interprets=policy, published_at=at(2024, 3, 7)
    )
    assert set(selectors.policies_without_interpretation(org)) == {lonely}
    late = selectors.late_interpretations(org)
    assert [(r["interpretation"], r["lag"]) for r in late] == [(interp, 4)]
    settings.GONGKAI_INTERPRETATION_MAX_WORKDAYS = 5
    assert selectors.late_interpretations(org) == []
