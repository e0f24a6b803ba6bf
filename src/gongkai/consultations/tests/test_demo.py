"""The demo: an ended consultation of 甘河滩镇 with its 采纳情况 linked to the final
document, and an open major decision, seen as a visitor sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.consultations.models import Consultation
from gongkai.consultations.selectors import feedback
from gongkai.demo import load_demo

# The demo stores files (QR codes, 图解, letters): in a temporary folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def test_demo_consultations():
    ctx = load_demo()
    ended = Consultation.objects.get(organization=ctx.ganhetan, status="concluded")
    assert ended.final_item.document_number == "甘政规〔2025〕1号"
    assert ended.feedback_published_at.date() >= ended.end_on
    assert ended.published_at.date() <= ended.start_on  # no period before publication
    fb = feedback(ended)
    assert (fb.received, fb.rejected, fb.adopted, fb.partly, fb.not_adopted) == (7, 1, 2, 2, 2)
    today = timezone.localdate()
    current = Consultation.objects.get(organization=ctx.ganhetan, status="published")
    assert current.is_major and current.is_open(today) and current.period_days == 30
    client = Client()
    listing = client.get("/ganhetan/consultations/").text
    assert ended.title in listing and current.title in listing
    page = client.get(ended.get_public_url()).text
    assert "意见采纳情况" in page and "甘河滩镇农村人居环境整治村庄保洁管理办法" in page
    for personal in ("王德福", "13900001111", "李秀兰", "zhang@example.com", "赵某", "西村三组"):
        assert personal not in page
    assert "提交意见" in client.get(current.get_public_url()).text
    item_page = client.get(f"/ganhetan/items/{ended.final_item.pk}/").text
    assert ended.get_public_url() in item_page
