"""The supervisor's figures on a fixture with on-time, late, open, overdue and
rejected questions in two bodies; another district's body is not counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.organizations.factories import OrganizationFactory

from .. import services
from ..selectors import figures_by_body, supervised_bodies
from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(ask, org, other_org, clerk, other_clerk):
    # org (测试镇): 4 received in 2025.
    a = ask()  # due 2025-10-21
    services.inquiry_answer(inquiry=a, answer="按期。", acting_user=clerk, now=at(2025, 10, 21))
    b = ask()
    services.inquiry_answer(inquiry=b, answer="超期。", acting_user=clerk, now=at(2025, 10, 22))
    ask()  # open, overdue since 22 October
    c = ask()
    services.inquiry_reject(inquiry=c, reason="广告", acting_user=clerk, now=at(2025, 10, 9))
    # A 2024 question still open: not received in 2025, but overdue open.
    ask(now=at(2024, 12, 2))
    # other_org (另一镇): 1 answered on time, 1 open not yet due on the fixed day.
    d = ask(organization=other_org, now=at(2025, 11, 3))  # due 2025-11-17
    services.inquiry_answer(
        inquiry=d, answer="按期。", acting_user=other_clerk, now=at(2025, 11, 4)
    )
    ask(organization=other_org, now=at(2025, 12, 29))  # due 2026-01-13 (元旦 1 Jan)
    # A body outside the district.
    stranger = OrganizationFactory(name="外区某镇", slug="stranger")
    ask(organization=stranger)
    return {"stranger": stranger}


def test_figures_per_body(world, district, org, other_org):
    rows = {
        r.organization.slug: r
        for r in figures_by_body(supervised_bodies(district), 2025, today=dt.date(2026, 1, 5))
    }
    assert set(rows) == {"test-district", "test-town", "other-town"}
    town = rows["test-town"]
    assert (town.received, town.answered, town.on_time, town.rejected, town.overdue_open) == (
        4,
        2,
        1,
        1,
        2,
    )
    assert town.on_time_rate == "50.0%"
    other = rows["other-town"]
    assert (other.received, other.answered, other.on_time, other.overdue_open) == (2, 1, 1, 0)
    assert rows["test-district"].received == 0


def test_year_2024_counts_the_old_question(world, district):
    rows = {
        r.organization.slug: r
        for r in figures_by_body(supervised_bodies(district), 2024, today=dt.date(2026, 1, 5))
    }
    assert rows["test-town"].received == 1
    assert rows["test-town"].answered == 0


def test_supervision_page_for_supervisor(world, client_for, supervisor):
    r = client_for(supervisor).get(reverse("inquiries:supervision") + "?year=2025")
    assert r.status_code == 200
    html = r.content.decode()
    assert "另一镇人民政府" in html and "测试镇人民政府" in html
    assert "外区某镇" not in html
    town = [row for row in r.context["rows"] if row.organization.slug == "test-town"][0]
    assert town.on_time == 1


def test_supervision_page_refused_to_town_clerk(client_for, clerk):
    assert client_for(clerk).get(reverse("inquiries:supervision")).status_code == 403


def test_supervisor_dashboard_widget(world, client_for, supervisor):
    html = client_for(supervisor).get(reverse("organizations:dashboard")).content.decode()
    assert "政民互动（本机关及下级机关" in html
