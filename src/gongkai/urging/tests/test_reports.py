"""督办 in the annual-report app above: the supervision page and 考核."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.reports import assessment
from gongkai.reports.models import SupervisionSettings

from .. import services
from ..tasks import escalate
from .conftest import at, overdue_application

pytestmark = pytest.mark.django_db


def test_supervision_page_lists_escalated_ones_highlighted(
    client_for, send, application, inquiry, supervisor, org, clerk, time_machine
):
    late = send(application)
    answered = send(inquiry)
    services.urging_answer(
        urging=answered,
        response="已答复留言人。",
        done_by=dt.date(2025, 10, 9),
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    escalate(day="2025-10-15")
    time_machine.move_to("2025-10-15 10:00 +08:00", tick=False)
    r = client_for(supervisor).get(reverse("reports:supervision") + "?year=2024")
    assert r.status_code == 200
    html = r.content.decode()
    summary = r.context["urgings"]
    assert (summary.escalated, summary.waiting) == (1, 1)
    assert summary.urgings[0] == late  # escalated first
    assert f'class="overdue urging-escalated" data-urging="{late.pk}"' in html
    assert f'data-urging="{answered.pk}"' in html
    # Each body row has its 督办 button; the late 2024 report its own.
    assert reverse("urging:overdue") + f"?body={org.pk}" in html
    assert f"kind=report&amp;body={org.pk}&amp;year=2024" in html


def test_a_higher_supervisor_reads_the_page_but_does_not_urge_for_the_district(
    client_for, district, org
):
    from gongkai.organizations.factories import OrganizationFactory, user_with_role
    from gongkai.organizations.models import Role

    city = OrganizationFactory(name="测试市人民政府", slug="test-city", level="city")
    district.parent = city
    district.save()
    city_supervisor = user_with_role(city, Role.SUPERVISOR, username="city_supervisor")
    c = client_for(city_supervisor)
    session = c.session
    session["gongkai_organization_id"] = district.pk
    session.save()
    r = c.get(reverse("reports:supervision"))
    assert r.status_code == 200 and r.context["can_urge"] is False
    assert r.context["urgings"] is None and 'id="urgings"' not in r.content.decode()
    assert c.get(reverse("urging:sent")).status_code == 403


def _urging_score(org, year, today):
    result = assessment.assess_body(org, year, today=today)
    return result, {s.indicator.key: s for s in result.scores}["urging_answered"]


def test_assessment_deducts_per_escalated_urging(send, org, district, clerk):
    a1, a2, a3 = (overdue_application(org) for _ in range(3))
    late1, late2, on_time = send(a1), send(a2), send(a3)
    services.urging_answer(
        urging=on_time,
        response="已答复。",
        done_by=dt.date(2025, 10, 9),
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    # Answered after the respond-by date (14 Oct): still late.
    services.urging_answer(
        urging=late2,
        response="已答复。",
        done_by=dt.date(2025, 10, 20),
        acting_user=clerk,
        now=at(2025, 10, 20),
    )
    # Before the respond-by date has passed nothing is due.
    _, score = _urging_score(org, 2025, dt.date(2025, 10, 14))
    assert not score.applicable and score.points_off == 0
    today = dt.date(2025, 10, 21)
    base = assessment.Assessment(
        "x",
        [
            s
            for s in assessment.assess_body(org, 2025, today=today).scores
            if not s.indicator.deduction
        ],
    ).total
    result, score = _urging_score(org, 2025, today)
    assert (score.numerator, score.denominator) == (1, 3)
    assert set(score.records) == {late1, late2}
    assert score.points_off == 4.0 and score.value == -4.0  # 2 points each by default
    assert "每件扣2分" in score.note
    assert result.total == round(max(0.0, base - 4.0), 1)
    # The weight is configurable like the others: 5 points each.
    SupervisionSettings.objects.create(
        organization=district, indicator_weights={"urging_answered": 5}
    )
    result, score = _urging_score(org, 2025, today)
    assert score.points_off == 10.0
    # Another year is not touched.
    assert not _urging_score(org, 2024, today)[1].applicable


def test_assessment_page_shows_the_deduction(
    client_for, send, application, supervisor, time_machine
):
    send(application)
    time_machine.move_to("2025-10-21 10:00 +08:00", tick=False)
    r = client_for(supervisor).get(reverse("reports:assessment") + "?year=2025&scope=bodies")
    html = r.content.decode()
    assert "每件扣2分" in html and "扣2分" in html and "逾期未回复1件" in html
    data = assessment.export_xlsx("考核", r.context["results"])
    assert data[:2] == b"PK"


def test_settings_form_labels_the_deduction(client_for, district):
    from gongkai.reports.forms import SupervisionSettingsForm

    form = SupervisionSettingsForm()
    assert form.fields["w_urging_answered"].label.startswith("每件扣分")
    # Deductions alone are not a scheme: at least one averaged weight must be > 0.
    data = {"town_deadline_month": 3, "town_deadline_day": 31}
    data |= {f"w_{i.key}": 0 for i in assessment.INDICATORS}
    data["w_urging_answered"] = 3
    assert not SupervisionSettingsForm(data).is_valid()


def test_a_blank_deduction_keeps_its_default():
    from gongkai.reports.forms import SupervisionSettingsForm

    data = {"town_deadline_month": 3, "town_deadline_day": 31}
    data |= {f"w_{i.key}": 10 for i in assessment.INDICATORS if not i.deduction}
    form = SupervisionSettingsForm(data)
    assert form.is_valid(), form.errors
    assert form.weights()["urging_answered"] == 2
