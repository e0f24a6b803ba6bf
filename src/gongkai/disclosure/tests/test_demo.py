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
def ctx(monkeypatch, local_files):
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


def test_demo_fills_the_issue_11_columns(ctx):
    """失效文件, 三同步 package with a 图解, 拟稿/审核/签发, 转载, 三项清单, the standard
    catalogue, 收费 and 建议提案: each made through its service, coherent."""
    from gongkai.audit.models import AuditEvent
    from gongkai.disclosure.list_selectors import standard_adoption_rows, void_documents
    from gongkai.disclosure.models import (
        Category,
        FeeItem,
        InterpretationFigure,
        ListKind,
        ListRevision,
        NormativeDocument,
        ProposalReply,
        PublishingSettings,
        StandardCatalogue,
    )

    today = timezone.localdate(ctx.now)
    # 失效文件清单 of the district: one abolished, one revised, each replaced.
    void = {d.document_number: d for d in void_documents(ctx.district, today)}
    abolished, revised = void["河政规〔2021〕3号"], void["河政规〔2022〕2号"]
    assert abolished.status == "abolished" and abolished.replaced_by.document_number == (
        "河政规〔2024〕1号"
    )
    assert revised.status == "amended" and revised.replaced_by.item.is_public
    assert revised.amended_on == revised.replaced_by.issued_on
    # Registered by the clerk through the register service (audited), not raw writes.
    registered = NormativeDocument.objects.filter(organization=ctx.district)
    assert AuditEvent.objects.filter(verb="normative.create").count() >= registered.count() == 4

    # 三同步: the district's policy and its interpretation published in one step.
    settings = PublishingSettings.objects.get(organization=ctx.district)
    assert settings.publish_with_interpretation and settings.signoff_display == "posts"
    package = Item.objects.get(title="《河湾区城乡居民临时救助实施办法》政策解读")
    policy = package.interprets
    assert package.is_public and policy.is_public
    assert package.published_at == policy.published_at
    content = package.interpretation_content
    assert content.background and content.purpose and content.measures and len(content.qa) == 3
    figure = InterpretationFigure.objects.get(item=package)
    assert figure.alt_text.startswith("临时救助办理流程图解")
    with figure_open(figure) as image:
        assert image.format == "PNG" and image.size == (480, 160)
    # 拟稿/审核/签发: names at 甘河滩镇, posts at the district.
    assert PublishingSettings.objects.get(organization=ctx.ganhetan).signoff_display == "names"
    repost = Item.objects.get(organization=ctx.ganhetan, is_reposted=True)
    assert repost.is_public and repost.source_name == "河湾区人民政府办公室"
    assert (repost.signoff_drafter, repost.signoff_reviewer, repost.signoff_approver) == (
        "李晓燕",
        "王建国",
        "赵志强",
    )
    assert policy.signoff_approver == "审批领导" and "郑文博" not in policy.signoff_drafter

    # 三项清单: two published revisions of each list, for 甘河滩镇 and the district.
    for org in (ctx.ganhetan, ctx.district):
        for kind in ListKind.values:
            revisions = list(
                ListRevision.objects.filter(organization=org, kind=kind).order_by("number")
            )
            assert [r.number for r in revisions] == [1, 2], (org.slug, kind)
            assert revisions[0].revised_on < revisions[1].revised_on <= today
            assert revisions[0].entries != revisions[1].entries
        withheld = ListRevision.objects.filter(organization=org, kind="withheld").last()
        assert all(e["reason"] and e["basis"] for e in withheld.entries)

    # The district's standard catalogue: 甘河滩镇 adopted it, 柳林镇 has not.
    standard = StandardCatalogue.objects.get(publisher=ctx.district)
    adoption = {row.organization.slug: row.adoption for row in standard_adoption_rows(standard)}
    assert adoption["ganhetan"] is not None and adoption["liulin"] is None
    b17 = Category.objects.get(organization=ctx.ganhetan, code="B17")
    assert (
        b17.basis == "条例第二十一条"
        and not Category.objects.get(organization=ctx.liulin, code="B17").basis
    )

    # 收费 and 建议提案 of the department and the district.
    for org in (ctx.district, ctx.minzheng):
        assert FeeItem.objects.filter(organization=org).exists()
        assert ProposalReply.objects.filter(organization=org).values("kind").distinct().count() == 2


def figure_open(figure):
    from django.core.files.storage import default_storage
    from PIL import Image

    return Image.open(default_storage.open(figure.path))
