"""Consultation fixtures: consultations created and published through the services,
dated by passing ``now`` (the period is never cut short, so a test that needs an
ended period publishes one in the past)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.consultations.services import (
    Draft,
    comment_submit,
    consultation_approve,
    consultation_create,
    consultation_submit,
)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A timezone-aware moment on ``day`` in the project's time zone."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def draft(**overrides) -> Draft:
    values = {
        "title": "甘河滩镇农村人居环境整治三年行动方案（征求意见稿）",
        "body": "第一条 为改善农村人居环境，制定本方案。\n第二条 各村设立保洁员。",
        "body_format": "plain",
        "explanation": "根据县委、县政府部署，结合本镇实际起草。",
        "is_major": False,
        "start_on": dt.date(2025, 3, 1),
        "end_on": dt.date(2025, 3, 31),
        "mail_address": "999131 甘河滩镇人民路1号 党政办公室",
        "email": "yijian@example.gov.cn",
    }
    values.update(overrides)
    return Draft(**values)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_published(org, clerk, approver):
    """``make_published(start_on=..., end_on=..., **draft fields)``: a consultation
    drafted, submitted and approved on its start day."""

    def make(**overrides):
        d = draft(**overrides)
        c = consultation_create(organization=org, acting_user=clerk, draft=d, now=at(d.start_on))
        consultation_submit(consultation=c, acting_user=clerk, now=at(d.start_on))
        return consultation_approve(consultation=c, acting_user=approver, now=at(d.start_on, 11))

    return make


@pytest.fixture
def comment_on():
    def make(consultation, day=None, content="建议增加垃圾分类投放点。", **kw):
        day = day or consultation.start_on
        kw.setdefault("consented", True)
        return comment_submit(consultation=consultation, content=content, now=at(day, 15), **kw)

    return make
