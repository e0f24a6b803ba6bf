import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongkai import demo
from gongkai.annual.format import t2_keys
from gongkai.disclosure import selectors, services
from gongkai.disclosure.models import Item, Publication
from gongkai.privacy import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_APPS", ("disclosure",))
    return demo.load_demo()


def test_demo_loads_a_realistic_year_for_ganhetan(ctx):
    org = ctx.ganhetan
    published_2024 = selectors.published_items(org).filter(published_at__year=2024)
    assert published_2024.count() >= 10
    kinds = set(published_2024.values_list("kind", flat=True))
    assert {"budget", "notice", "list", "policy"} <= kinds
    kinds_2025 = set(
        selectors.published_items(org)
        .filter(published_at__year=2025)
        .values_list("kind", flat=True)
    )
    assert {"normative", "interpretation"} <= kinds_2025
    # 惠农补贴公示: ID numbers are masked, so the scanner finds no full ID number.
    subsidy = Item.objects.get(organization=org, title__contains="耕地地力保护补贴")
    assert not [h for h in scan(subsidy.body) if h.kind == "id_card"]
    assert "****" in subsidy.body
    assert subsidy.publications.filter(channel=Publication.Channel.BULLETIN_BOARD).exists()
    # Two 公示 running today, for the service-hall screen.
    today = timezone.localdate()
    running = Item.objects.filter(
        organization=org, status="published", notice_from__lte=today, notice_to__gte=today
    )
    assert running.count() == 2
    # Work waiting for the demo reviewer and approver.
    assert Item.objects.filter(organization=org, status="in_review").count() == 2
    assert Item.objects.filter(organization=org, status="in_approval").count() == 1
    assert selectors.late_items(org, timezone.localdate())
    # Register, interpretation check, catalogue, guide, figures.
    figures = selectors.table2_figures(org, 2024)
    assert set(figures) == set(t2_keys())
    # The seed report for 2024 is all zeros; the normative document is from 2025.
    assert all(v == 0 for v in figures.values())
    figures_2025 = selectors.table2_figures(org, 2025)
    assert figures_2025["t2.normative.issued"] == 1 and figures_2025["t2.normative.in_force"] == 1
    assert figures["t2.fees"] == Decimal("0")
    assert [p.title for p in selectors.policies_without_interpretation(org)] == [
        "甘河滩镇2024年特色种养业奖补办法"
    ]
    assert selectors.late_interpretations(org) == []
    assert len(selectors.catalogue_tree(org)) == 3
    assert "0999-86230000" in selectors.guide_for(org).text
    for other in (ctx.liulin, ctx.minzheng):
        assert selectors.published_items(other).exists()
    # Index numbers follow the documented scheme.
    budget = Item.objects.get(organization=org, title="甘河滩镇人民政府2024年部门预算公开")
    assert budget.index_number == f"{org.credit_code}/B04-2024-00001"


def test_demo_guide_reflects_not_applicable_areas(ctx):
    guide = services.guide_text_for(ctx.ganhetan, today=dt.date(2024, 1, 1))
    assert "户籍管理由派出所负责" in guide
