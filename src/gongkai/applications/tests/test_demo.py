from __future__ import annotations

import pytest

from gongkai import demo
from gongkai.appeals.selectors import table4_counts
from gongkai.applications.models import Application
from gongkai.reports.compute import table3_cells

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def test_demo_keeps_ganhetan_2024_empty_and_gives_the_district_numbers(monkeypatch):
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


def test_demo_unified_intake_has_an_application_at_every_hop(monkeypatch):
    import datetime as dt

    import time_machine

    from gongkai.applications.models import DeliveryRecord, ReleasedDocument, UnifiedIntake
    from gongkai.notifications.models import Message, Notice

    monkeypatch.setattr(demo, "DEMO_APPS", ("applications",))
    with time_machine.travel(dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC), tick=False):
        ctx = demo.load_demo()
    intake = UnifiedIntake.objects.get(organization=ctx.district)
    assert intake.is_active
    unified = Application.objects.filter(intake=intake)
    # Never a 甘河滩镇 application: its tables are guarded above.
    assert not unified.filter(organization=ctx.ganhetan).exists()
    states = {(a.organization.slug, a.intake_state, a.status) for a in unified}
    assert states == {
        ("hewan", "pending", "open"),  # waiting in the queue
        ("liulin", "dispatched", "open"),  # dispatched, not yet signed for
        ("hewan-minzheng", "signed", "open"),  # signed, in progress
        ("hewan-minzheng", "signed", "closed"),  # answered
    }
    for a in unified:
        # 条例第三十一条: the platform's day of receipt, on or before each hop and today.
        days = [h.on for h in a.hops.order_by("at")]
        assert days == sorted(days) and a.intake_received_on <= days[0] <= ctx.today
    answered = unified.get(status="closed")
    assert [h.kind for h in answered.hops.order_by("at")] == ["received", "dispatched", "signed"]
    assert ReleasedDocument.objects.filter(application=answered).count() == 1
    record = DeliveryRecord.objects.get(application=answered)
    assert record.served_on > answered.reply_on and record.served_on <= ctx.today
    # Notices, not spam: e-mail goes nowhere without EMAIL_HOST, the clerks of the
    # receiving bodies get in-app notices, and the demo clerk has a few.
    assert not Message.objects.filter(channel="email").exists()
    assert Notice.objects.filter(user=ctx.minzheng_clerk, event="application.assigned").count() == 2
    assert Notice.objects.filter(user=ctx.liulin_clerk, event="application.assigned").count() == 1
    assert Notice.objects.filter(user=ctx.clerk).exists()
