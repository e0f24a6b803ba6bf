import datetime as dt
from decimal import Decimal

import pytest

from gongkai.annual.format import t2_keys
from gongkai.disclosure import selectors, services
from gongkai.disclosure.factories import (
    CategoryFactory,
    ItemFactory,
    NormativeDocumentFactory,
    PublicationFactory,
    PublishedItemFactory,
    YearlyFiguresFactory,
)
from gongkai.disclosure.models import HolidaySchedule, Item

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
        "t2.normative.abolished": 1,
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
    assert figures["t2.licensing"] == 0 and figures["t2.fees"] == Decimal("0")
    assert not selectors.yearly_figures_entered(org, 2024)


def test_in_force_on_matches_the_count(org):
    doc = NormativeDocumentFactory(
        organization=org, issued_on=dt.date(2021, 1, 1), valid_until=dt.date(2024, 12, 31)
    )
    assert doc.in_force_on(dt.date(2024, 12, 31)) and not doc.in_force_on(dt.date(2025, 1, 1))


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
    item = ItemFactory(organization=org, formed_on=dt.date(2031, 1, 2))
    result = selectors.publication_deadline(item)
    # Mon-Fri only: Jan 2 2031 is a Thursday -> 20 working days later is Jan 30.
    assert result == dt.date(2031, 1, 30) and result.provisional
    HolidaySchedule.objects.create(year=2031, text="2031-01-20~2031-01-24 休 测试")
    selectors.calendar_invalidate()
    result = selectors.publication_deadline(item)
    assert result == dt.date(2031, 2, 6) and not result.provisional


def test_calendar_cache_picks_up_new_schedule_without_explicit_invalidation(org, org_admin):
    first = selectors.calendar()
    assert selectors.calendar() is first
    services.holiday_schedule_save(
        year=2032, text="2032-01-05 休", acting_user=org_admin, organization=org
    )
    second = selectors.calendar()
    assert second is not first and second.has_schedule(2032)


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
    soon = selectors.due_soon_items(org, today)
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
    services.catalogue_seed(organization=org)
    cat = org.disclosure_categories.get(code="B17")
    PublishedItemFactory(organization=org, category=cat)
    ItemFactory(organization=org, category=cat)
    tree = selectors.catalogue_tree(org)
    assert [n.category.code for n in tree] == ["A", "B", "C"]
    b = tree[1]
    assert len(b.children) == 26
    assert next(n for n in b.children if n.category.code == "B17").item_count == 1


def test_items_by_channel_and_category(org):
    cat = CategoryFactory(organization=org, code="X1")
    a = PublishedItemFactory(organization=org, category=cat, published_at=at(2024, 3, 1))
    b = PublishedItemFactory(organization=org, published_at=at(2024, 5, 1))
    PublishedItemFactory(organization=org, published_at=at(2023, 5, 1))
    PublicationFactory(item=a, channel="website", published_on=dt.date(2024, 3, 1))
    PublicationFactory(item=a, channel="bulletin_board", published_on=dt.date(2024, 3, 2))
    PublicationFactory(item=a, channel="bulletin_board", published_on=dt.date(2024, 3, 20))
    PublicationFactory(item=b, channel="bulletin_board", published_on=dt.date(2024, 5, 2))
    PublicationFactory(item=b, channel="screen", published_on=dt.date(2023, 12, 31))
    by_channel = selectors.items_by_channel(org, 2024)
    assert (
        by_channel["bulletin_board"] == 2
        and by_channel["website"] == 1
        and by_channel["screen"] == 0
    )
    assert set(by_channel) == set(
        Item._meta.get_field("kind").model.publications.rel.related_model.Channel.values
    )
    assert selectors.items_by_category(org, 2024) == [(cat, 1), (None, 1)]


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
    assert list(selectors.interpretations_of(policy)) == [interp]


def test_notices_current(org):
    today = dt.date(2024, 5, 10)
    current = PublishedItemFactory(
        organization=org, notice_from=dt.date(2024, 5, 1), notice_to=dt.date(2024, 5, 10)
    )
    PublishedItemFactory(
        organization=org, notice_from=dt.date(2024, 4, 1), notice_to=dt.date(2024, 4, 10)
    )
    assert list(selectors.notices_current(org, today)) == [current]
    assert current.notice_current(today)
