from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from gongkai.applications.models import Application, Status
from gongkai.disclosure.factories import ItemFactory
from gongkai.inquiries.services import inquiry_submit
from gongkai.organizations.factories import OrganizationFactory, user_with_role
from gongkai.organizations.models import Organization, Role

from .. import targets
from ..services import urging_send

_codes = itertools.count(1)

# Sent on Tue 30 September 2025, just before National Day (国办发明电〔2024〕12号:
# 10月1日至8日放假, 10月11日(周六)上班).
SENT = dt.date(2025, 9, 30)


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def overdue_application(org, *, received_on=dt.date(2025, 8, 1), due_on=dt.date(2025, 8, 29)):
    return Application.objects.create(
        organization=org,
        tracking_code=f"U{next(_codes):011d}",
        channel="in_person",
        applicant_type="natural",
        applicant_name="王五",
        phone="13900005678",
        description="测试申请",
        submitted_on=received_on,
        received_on=received_on,
        due_on=due_on,
        status=Status.OPEN,
    )


@pytest.fixture
def application(org):
    return overdue_application(org)


@pytest.fixture
def item(org):
    # Formed 1 August 2025: 条例第二十六条's 20 working days end in late August.
    return ItemFactory(organization=org, formed_on=dt.date(2025, 8, 1))


@pytest.fixture
def inquiry(org):
    # Received 1 September 2025, 10 working days to answer: overdue by 30 September.
    return inquiry_submit(
        organization=org,
        kind="consult",
        subject="低保怎么申请？",
        content="请问低保怎么申请？",
        asker_name="李四",
        phone="13912345678",
        now=at(2025, 9, 1),
    )


@pytest.fixture
def district_admin(district):
    return user_with_role(district, Role.ADMIN, username="district_admin")


@pytest.fixture
def org_head(org):
    return user_with_role(org, Role.OFFICE_HEAD, username="org_head")


@pytest.fixture
def other_district(db) -> Organization:
    return OrganizationFactory(name="邻区人民政府", slug="next-district", level="county")


@pytest.fixture
def send(supervisor, district):
    """``send(target_object_or_(body, year), **kw)``: a 督办 from ``district`` sent on SENT."""

    def make(obj, *, user=None, now=None, text="请抓紧办理。", **kw):
        today = (now or at(SENT.year, SENT.month, SENT.day)).date()
        if isinstance(obj, tuple):
            target = targets.report_target(obj[0], obj[1], today)
        else:
            kind = {"Application": "application", "Item": "item", "Inquiry": "inquiry"}[
                type(obj).__name__
            ]
            target = getattr(targets, f"{kind}_target")(obj, today)
        return urging_send(
            sender=district,
            target=target,
            text=text,
            acting_user=user or supervisor,
            now=now or at(SENT.year, SENT.month, SENT.day),
            **kw,
        )

    return make
