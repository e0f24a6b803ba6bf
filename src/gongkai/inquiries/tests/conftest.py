from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.organizations.factories import MembershipFactory, UserFactory
from gongkai.organizations.models import Role

from ..services import inquiry_submit


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


# Invented personal data that must never reach a public page.
ASKER = "王秀兰"
PHONE = "13912345678"
ID_NUMBER = "640121197005120027"
EMAIL = "wangxl@example.com"


@pytest.fixture
def ask(org):
    """``ask(**overrides)``: a question to ``org`` received 2025-09-30 10:00 (before 国庆)."""

    def make(organization=None, **kw):
        fields = {
            "kind": "consult",
            "subject": "高龄津贴怎么申请？",
            "content": f"我是{ASKER}，身份证号{ID_NUMBER}，电话{PHONE}，请问父亲的高龄津贴怎么申请？",
            "asker_name": ASKER,
            "phone": PHONE,
            "email": EMAIL,
            "consent_publish": True,
            "now": at(2025, 9, 30),
        }
        fields.update(kw)
        return inquiry_submit(organization=organization or org, **fields)

    return make


@pytest.fixture
def unit_staff(org, unit):
    """A 科室 member without a handler role (a reviewer sitting in 党政办公室)."""
    user = UserFactory(username="unit_staff", last_name="周科员")
    MembershipFactory(user=user, organization=org, role=Role.REVIEWER, unit=unit)
    return user
