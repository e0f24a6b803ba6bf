"""A correction recorded after publication shows on the portal's report page."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.reports import services
from gongkai.reports.tests import factories

pytestmark = pytest.mark.django_db


def test_portal_report_shows_the_corrections(world, org, approver):
    app = factories.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = factories.published(org, 2024)
    page = reverse("portal:report", args=["test-town", 2024])
    html = Client().get(page).content.decode()
    assert "更正说明" not in html

    def change():
        app.applicant_type = "commercial"
        app.save()

    now = timezone.make_aware(datetime(2025, 3, 5, 9))
    correction = services.report_correction_open(
        report=report, reason="申请人类型登记错误<b>", acting_user=approver, now=now
    )
    services.report_correction_update_prose(
        correction=correction, sections={3: "更正后的第三部分。"}, acting_user=approver
    )
    html = Client().get(page).content.decode()
    assert "更正说明" not in html  # still open: nothing to announce yet
    assert "更正后的第三部分。" not in html  # nor the corrected text
    # Another 审批领导 closes it: the prose's editor cannot (review of #9, F6).
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    approver2 = user_with_role(org, Role.APPROVER, username="approver2")
    services.report_correction_close(correction=correction, acting_user=approver2, now=now)
    html = Client().get(page).content.decode()
    assert "更正说明" in html and "下列表格为更正后的数字" not in html  # prose only
    services.report_correction_record(
        report=report, reason="再次核对", acting_user=approver, change=change, now=now
    )
    response = Client().get(page)
    html = response.content.decode()
    assert response.status_code == 200
    assert "更正说明" in html
    assert "2025年3月5日更正：申请人类型登记错误&lt;b&gt;" in html
    assert "2025年3月5日更正：再次核对" in html
    assert "原为 1，更正为 0" in html and "原为 0，更正为 1" in html
    assert "更正了「三、收到和处理政府信息公开申请情况」的正文" in html
    assert "第3部分正文。" in html  # the text as first published
    assert "更正后的第三部分。" in html
    assert "下列表格为更正后的数字" in html
