from __future__ import annotations

import pytest

from gongkai import demo
from gongkai.appeals.selectors import table4_counts
from gongkai.applications.models import Application
from gongkai.reports.compute import table3_cells

pytestmark = pytest.mark.django_db


def test_demo_keeps_ganhetan_2024_empty_and_gives_the_district_numbers(
    tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    # Only this area's loaders: other apps' demos are tested by their owners.
    monkeypatch.setattr(demo, "DEMO_APPS", ("applications", "appeals"))
    ctx = demo.load_demo()
    town = table3_cells(organization_ids=[ctx.ganhetan.pk], year=2024)
    assert not any(town.values())  # 甘河滩镇's published 2024 table 3 is all zeros
    ids = [o.pk for o in ctx.organizations]
    district = table3_cells(organization_ids=ids, year=2024)
    assert district["t3.new.total"] == 10
    assert district["t3.carry_forward.total"] == 1
    assert district["t3.new.total"] + district["t3.carried.total"] == (
        district["t3.total.total"] + district["t3.carry_forward.total"]
    )
    t4 = table4_counts(organization_ids=ids, year=2024)
    assert t4["t4.reconsideration.upheld"] == 1 and t4["t4.litigation_direct.pending"] == 1
    ganhetan = Application.objects.filter(organization=ctx.ganhetan)
    assert ganhetan.filter(received_on__year__gte=2025).count() >= 8
    states = set(ganhetan.values_list("status", flat=True))
    assert {"open", "closed", "awaiting_correction", "consulting"} <= states
    # An extension waits for the office head (条例第三十三条第二款), one was approved last year.
    from gongkai.applications.models import ExtensionRequest
    from gongkai.applications.permissions import extension_requests_to_decide

    assert (
        extension_requests_to_decide(ctx.office_head)
        .filter(application__organization=ctx.ganhetan)
        .exists()
    )
    assert ExtensionRequest.objects.filter(status="approved", decided_by=ctx.office_head).exists()
