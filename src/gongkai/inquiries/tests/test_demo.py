"""The demo's 政民互动: published Q&A for 甘河滩镇 without personal data, one
overdue open question, and figures in the district's supervisor view."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkai import demo as demo_module

from ..models import Inquiry
from ..selectors import figures_by_body, supervised_bodies

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

TODAY = date(2026, 11, 26)


@pytest.fixture
def ctx(monkeypatch):
    # Only this app's loader: the others are tested by their owners.
    monkeypatch.setattr(demo_module, "DEMO_APPS", ("inquiries",))
    with time_machine.travel(TODAY, tick=False):
        return demo_module.load_demo()


def test_ganhetan_year(ctx, client):
    town = Inquiry.objects.filter(organization=ctx.ganhetan)
    states = sorted(town.values_list("status", flat=True))
    assert states.count("published") == 3
    assert {"not_published", "rejected", "routed", "received"} <= set(states)
    overdue = [q for q in town if q.is_overdue(TODAY)]
    assert len(overdue) == 1 and overdue[0].unit.name == "农业农村办公室"
    late = town.get(subject="新庄村垃圾清运不及时")
    assert late.answered_on_time() is False
    # The public list and each Q&A: no asker's name, phone or ID number.
    html = client.get(reverse("portal_inquiries:list", args=["ganhetan"])).content.decode()
    for q in town.filter(status="published"):
        detail = client.get(reverse("portal_inquiries:detail", args=["ganhetan", q.pk]))
        page = html + detail.content.decode()
        assert q.asker_name not in page and q.phone not in page
        assert q.masked_name in page
    assert "640121197005120027" not in html
    assert "丁国庆" not in html and "宅基地审批进度" not in html  # no consent


def test_district_figures(ctx):
    with time_machine.travel(TODAY, tick=False):
        rows = {
            r.organization.slug: r
            for r in figures_by_body(supervised_bodies(ctx.district), TODAY.year, today=TODAY)
        }
    ganhetan = rows["ganhetan"]
    assert (ganhetan.received, ganhetan.answered, ganhetan.on_time, ganhetan.overdue_open) == (
        7,
        4,
        3,
        1,
    )
    assert rows["liulin"].overdue_open == 1 and rows["liulin"].on_time == 1
