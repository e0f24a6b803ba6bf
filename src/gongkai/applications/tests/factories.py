"""Helpers to make applications in tests: through the service (realistic) or
directly as rows (fast, for bookkeeping tests)."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, Status

_codes = itertools.count(1)


def receive(org, *, user=None, on: date = date(2024, 9, 27), **overrides) -> Application:
    """An application registered by ``user`` (in person on ``on`` unless overridden)."""
    kwargs = {
        "organization": org,
        "channel": "in_person",
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_number": "110101199003070011",
        "phone": "13800001234",
        "email": "zhangsan@example.org",
        "address": "测试市测试路2号",
        "description": "请公开2024年本镇农村危房改造补助资金发放名单",
        "form_wanted": "paper",
        "delivery": "mail",
        "submitted_on": on,
        "acting_user": user,
        "now": timezone.now(),
    }
    kwargs.update(overrides)
    return services.application_receive(**kwargs)


def row(
    org,
    *,
    received_on: date,
    reply_on: date | None = None,
    outcome: str = "",
    applicant_type: str = "natural",
    **extra,
) -> Application:
    """A bare row (no events), for table-3 bookkeeping."""
    return Application(
        organization=org,
        tracking_code=f"T{next(_codes):011d}",
        channel="in_person",
        applicant_type=applicant_type,
        applicant_name=extra.pop("applicant_name", "李四"),
        phone="13900005678",
        description=extra.pop("description", "测试申请"),
        submitted_on=received_on,
        received_on=received_on,
        reply_on=reply_on,
        outcome=outcome if reply_on else "",
        status=Status.CLOSED if reply_on else Status.OPEN,
        **extra,
    )
