"""gongkai.core.counting: the two writings of every rule agree.

The report is computed with GROUP BY queries; the year lock judges one row at a
time with the per-row contributions.  Over random multi-year histories of two
bodies: summing the contributions of the rows gives exactly the GROUP BY cells
of tables 2, 3 and 4; the drill-down of every cell selects exactly the rows
whose contribution names it; a ``.values()`` dict, a loaded row and an unsaved
row contribute the same; and the one-body register path agrees with the
independent implementation in gongkai.tests.oracles.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual import format as fmt
from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application
from gongkai.core import counting
from gongkai.disclosure import selectors as disclosure_selectors
from gongkai.disclosure.models import NormativeDocument, YearlyFigures
from gongkai.organizations.factories import OrganizationFactory
from gongkai.organizations.models import Organization
from gongkai.reports.tests import factories as f
from gongkai.tests import oracles

START, END = date(2021, 1, 1), date(2025, 6, 30)
YEARS = range(2020, 2027)  # one year before the records start, one after they end
# Every rule turns on 1 January and 31 December: draw those days often.
EDGES = [date(y, m, d) for y in range(2021, 2026) for m, d in ((12, 30), (12, 31), (1, 1), (1, 2))]

body = st.integers(0, 1)
day = st.one_of(st.sampled_from(EDGES), st.dates(START, END))
# A later day (a reply, a decision, an end), or None (still open, no end).
later = st.one_of(st.none(), st.sampled_from(EDGES), st.dates(START, END + timedelta(400)))

applications = st.lists(
    st.tuples(
        body,
        day,
        later,
        st.sampled_from(fmt.T3_RESULT_ROWS),
        st.sampled_from(fmt.T3_APPLICANT_COLUMNS),
    ),
    max_size=30,
)
appeals = st.lists(
    st.tuples(
        body,
        day,
        later,
        st.sampled_from(counting.T4_BLOCK_KEYS),
        st.sampled_from(counting.T4_RESULTS),
    ),
    max_size=12,
)
register = st.lists(
    st.tuples(
        body,
        st.sampled_from(list(counting.KIND_BY_ROW.values())),
        day,
        later,  # valid_until
        st.one_of(
            st.none(), st.tuples(st.sampled_from(["abolished", "expired"]), later.filter(bool))
        ),
    ),
    max_size=15,
)
figures = st.dictionaries(
    st.tuples(body, st.sampled_from(YEARS)),
    st.tuples(
        st.integers(0, 500),
        st.integers(0, 500),
        st.integers(0, 500),
        st.decimals(min_value=0, max_value=9999, places=6, allow_nan=False, allow_infinity=False),
    ),
    max_size=6,
)


def _not_before(day: date | None, start: date) -> date | None:
    """``day`` moved to ``start`` when earlier (a reply never precedes the receipt)."""
    return None if day is None else max(day, start)


def _build(orgs, apps, cases, docs, figs):
    """Unsaved rows for the generated history (saved with bulk_create: no signals)."""
    rows = {
        Application: [
            f.application(
                orgs[o],
                received_on=received,
                reply_on=_not_before(reply, received),
                outcome=outcome,
                applicant_type=col,
                save=False,
            )
            for o, received, reply, outcome, col in apps
        ],
        Appeal: [
            Appeal(
                organization=orgs[o],
                kind=kind,
                filed_on=filed,
                decided_on=_not_before(decided, filed),
                result=result if decided is not None else "",
                authority="测试区人民政府",
            )
            for o, filed, decided, kind, result in cases
        ],
        NormativeDocument: [],
        YearlyFigures: [
            YearlyFigures(
                organization=orgs[o],
                year=year,
                licensing=licensing,
                penalty=penalty,
                coercion=coercion,
                fees=fees,
            )
            for (o, year), (licensing, penalty, coercion, fees) in figs.items()
        ],
    }
    for o, kind, issued_on, valid, end in docs:
        status, ended = end or ("issued", None)
        rows[NormativeDocument].append(
            NormativeDocument(
                organization=orgs[o],
                kind=kind,
                title="测试规范性文件",
                issued_on=issued_on,
                valid_until=_not_before(valid, issued_on),
                status=status,
                abolished_on=_not_before(ended, issued_on) if status == "abolished" else None,
                expired_on=_not_before(ended, issued_on) if status == "expired" else None,
            )
        )
    for model, objs in rows.items():
        model.objects.bulk_create(objs)
    return rows


def _summed(contributions) -> dict:
    out: dict = {}
    for cells in contributions:
        for key, amount in (cells or {}).items():
            out[key] = out.get(key, 0) + amount
    return out


def _nonzero(cells: dict) -> dict:
    return {k: v for k, v in cells.items() if v}


def _items(cells: dict | None) -> tuple:
    return tuple(sorted((cells or {}).items()))


def _same_contributions(contribution, unsaved, qs, fields, year) -> list:
    """The contributions of the rows of ``qs``, after checking that a ``.values()``
    dict, the loaded instance and the unsaved instance all give the same."""
    by_pk = {obj.pk: obj for obj in qs}
    values = list(qs.values("pk", *fields))
    assert len(values) == len(unsaved) == len(by_pk)
    loaded = [contribution(by_pk[v["pk"]], year) for v in values]
    as_dicts = [contribution(v, year) for v in values]
    assert loaded == as_dicts
    before_saving = [contribution(obj, year) for obj in unsaved]
    assert sorted(map(_items, before_saving)) == sorted(map(_items, as_dicts))
    return [(v["pk"], contribution(v, year)) for v in values]


def _drill_down_matches(qs, contributions, keys, cell_q, year) -> None:
    """Every cell's drill-down query selects exactly the rows that count in it."""
    for key in keys:
        _, row, col = key.split(".")
        expected = {pk for pk, cells in contributions if cells and key in cells}
        assert set(qs.filter(cell_q(row, col, year)).values_list("pk", flat=True)) == expected, key


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(applications, appeals, register, figures, st.sampled_from(YEARS))
def test_summed_contributions_equal_the_group_by_cells(apps, cases, docs, figs, drill_year):
    orgs = [OrganizationFactory(), OrganizationFactory()]
    rows = _build(orgs, apps, cases, docs, figs)
    t3_qs = Application.objects.filter(organization__in=orgs)
    t4_qs = Appeal.objects.filter(organization__in=orgs)
    t2_qs = NormativeDocument.objects.filter(organization__in=orgs)
    figures_qs = YearlyFigures.objects.filter(organization__in=orgs)
    for year in YEARS:
        # Table 3.
        contributions = _same_contributions(
            counting.t3_contribution, rows[Application], t3_qs, counting.T3_FIELDS, year
        )
        cells = counting.t3_cells(t3_qs, year)
        assert set(cells) == set(fmt.t3_keys())
        assert _nonzero(cells) == _summed(c for _, c in contributions)
        if year == drill_year:
            _drill_down_matches(t3_qs, contributions, cells, counting.t3_cell_q, year)

        # Table 4.
        contributions = _same_contributions(
            counting.t4_contribution, rows[Appeal], t4_qs, counting.T4_FIELDS, year
        )
        cells = counting.t4_cells(t4_qs, year)
        assert set(cells) == set(fmt.t4_keys())
        assert _nonzero(cells) == _summed(c for _, c in contributions)
        if year == drill_year:
            _drill_down_matches(t4_qs, contributions, cells, counting.t4_cell_q, year)

        # Table 2: the register and the yearly figures.
        register_contributions = _same_contributions(
            counting.t2_register_contribution,
            rows[NormativeDocument],
            t2_qs,
            counting.REGISTER_FIELDS,
            year,
        )
        figure_contributions = _same_contributions(
            counting.t2_figures_contribution,
            rows[YearlyFigures],
            figures_qs,
            counting.FIGURES_FIELDS,
            year,
        )
        register_cells = counting.register_cells(t2_qs, year)
        assert _nonzero(register_cells) == _summed(c for _, c in register_contributions)
        expected = dict(register_cells)
        if any(c for _, c in figure_contributions):
            expected.update(_summed(c for _, c in figure_contributions))
        cells = counting.t2_cells(t2_qs, figures_qs, year)
        assert cells == expected
        # Format rule 9: the figures are there exactly when someone entered them.
        entered = any(y == year for (_, y) in figs)
        assert ("t2.fees" in cells) is entered
        assert list(cells) == [k for k in fmt.t2_keys() if entered or k.count(".") == 2]
        if year == drill_year:
            register_keys = [k for k in cells if k.count(".") == 2]
            _drill_down_matches(
                t2_qs, register_contributions, register_keys, counting.register_cell_q, year
            )

        if year != drill_year:
            continue
        # One body at a time: the register page and yearly figures page agree with the
        # independent implementation (one query per column, its own "in force").
        for org in orgs:
            assert disclosure_selectors.table2_figures(org, year) == oracles.table2_figures(
                org, year
            )
            for kind in counting.KIND_BY_ROW.values():
                assert disclosure_selectors.normative_counts(
                    org, year, kind
                ) == oracles.normative_counts(org, year, kind)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    register, st.one_of(st.sampled_from(EDGES), st.dates(START - timedelta(30), date(2027, 1, 1)))
)
def test_in_force_on_is_the_twin_of_in_force_q(docs, day):
    orgs = [OrganizationFactory(), OrganizationFactory()]
    _build(orgs, [], [], docs, {})
    qs = NormativeDocument.objects.filter(organization__in=orgs)
    by_query = set(qs.filter(counting.in_force_q(day)).values_list("pk", flat=True))
    by_row = {d.pk for d in qs if counting.in_force_on(d, day)}
    assert by_query == by_row
    # A relation: organizations with a document in force (the ``prefix`` form).
    with_one = Organization.objects.filter(
        counting.in_force_q(day, "normative_documents__"), pk__in=[o.pk for o in orgs]
    )
    assert set(with_one.values_list("pk", flat=True)) == {
        d.organization_id for d in qs if d.pk in by_row
    }


def test_a_contribution_is_none_outside_the_year():
    row = {"received_on": date(2024, 3, 1), "reply_on": date(2024, 3, 5)}
    row |= {"outcome": "granted", "applicant_type": "natural"}
    assert counting.t3_contribution(row, 2023) is None  # not yet received
    assert counting.t3_contribution(row, 2025) is None  # closed the year before
    assert counting.t3_contribution(row, 2024) == {
        "t3.new.natural": 1,
        "t3.new.total": 1,
        "t3.granted.natural": 1,
        "t3.granted.total": 1,
        "t3.total.natural": 1,
        "t3.total.total": 1,
    }
    case = {"kind": "reconsideration", "filed_on": date(2024, 12, 31)}
    case |= {"decided_on": date(2025, 1, 1), "result": "corrected"}
    assert counting.t4_contribution(case, 2024) == {
        "t4.reconsideration.pending": 1,
        "t4.reconsideration.total": 1,
    }
    assert counting.t4_contribution(case, 2025) == {
        "t4.reconsideration.corrected": 1,
        "t4.reconsideration.total": 1,
    }
    figures_row = {"year": 2024, "licensing": 1, "penalty": 0, "coercion": 0}
    figures_row["fees"] = Decimal("0.5")
    assert counting.t2_figures_contribution(figures_row, 2023) is None
    assert counting.t2_figures_contribution(figures_row, 2024)["t2.fees"] == Decimal("0.5")
    doc = {"kind": "normative", "issued_on": date(2022, 1, 1), "valid_until": date(2024, 12, 30)}
    doc |= {"abolished_on": None, "expired_on": None}
    assert counting.t2_register_contribution(doc, 2024) == {"t2.normative.abolished": 1}
    assert counting.t2_register_contribution(doc, 2025) is None
