"""Back-office pages: work list, detail steps, permissions per organization,
settings and the supervisor's view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent

from .. import services
from .conftest import ASKER, PHONE, at

pytestmark = pytest.mark.django_db


def test_list_and_detail_for_clerk(client_for, clerk, ask):
    q = ask()
    c = client_for(clerk)
    page = c.get(reverse("inquiries:list"))
    assert page.status_code == 200
    assert q.tracking_code in page.content.decode()
    detail = c.get(q.get_absolute_url()).content.decode()
    assert ASKER in detail and PHONE in detail
    assert "转办" in detail and "提交答复" in detail
    assert "收到网上留言" in detail  # the audit verb's Chinese label


def test_overdue_tab(client_for, clerk, ask):
    ask()  # due 2025-10-21: overdue today
    page = client_for(clerk).get(reverse("inquiries:list") + "?tab=overdue").content.decode()
    assert "已超期（1）" in page


def test_other_bodys_clerk_gets_404(client_for, other_clerk, ask):
    q = ask()
    c = client_for(other_clerk)
    assert c.get(q.get_absolute_url()).status_code == 404
    response = c.post(reverse("inquiries:answer", args=[q.pk]), {"answer": "x"})
    assert response.status_code == 404
    assert (
        q.tracking_code
        not in c.get(reverse("inquiries:list") + "?tab=all&scope=all").content.decode()
    )


def test_supervisor_reads_without_personal_data_and_cannot_answer(client_for, supervisor, ask):
    q = ask()
    c = client_for(supervisor)
    detail = c.get(q.get_absolute_url())
    assert detail.status_code == 200
    assert PHONE not in detail.content.decode() and ASKER not in detail.content.decode()
    assert "提交答复" not in detail.content.decode()
    assert c.post(reverse("inquiries:answer", args=[q.pk]), {"answer": "x"}).status_code == 403


def test_route_answer_publish_through_pages(client_for, clerk, unit, ask):
    q = ask()
    c = client_for(clerk)
    r = c.post(reverse("inquiries:route", args=[q.pk]), {"unit": unit.pk})
    assert r.status_code == 302
    r = c.post(reverse("inquiries:answer", args=[q.pk]), {"answer": "请到便民服务中心办理。"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.status == "answered"
    detail = c.get(q.get_absolute_url()).content.decode()
    # The publish form is pre-filled with the masked texts.
    assert "公开问答" in detail and "王**" in detail
    r = c.post(
        reverse("inquiries:publish", args=[q.pk]),
        {
            "public_subject": "高龄津贴怎么申请？",
            "public_content": "请问高龄津贴怎么申请？",
            "public_answer": "",
        },
    )
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.status == "published"
    assert list(
        AuditEvent.objects.filter(object_id=str(q.pk)).order_by("id").values_list("verb", flat=True)
    ) == ["inquiry.submit", "inquiry.route", "inquiry.answer", "inquiry.publish"]


def test_publish_with_remaining_personal_data_is_shown_on_form(client_for, clerk, ask, monkeypatch):
    q = services.inquiry_answer(
        inquiry=ask(), answer="答复。", acting_user=clerk, now=at(2025, 10, 9)
    )
    # A leak the masking cannot see (simulated): the page says so in Chinese, 400.
    monkeypatch.setattr(services, "leaks", lambda text, inquiry: ["留言人姓名"])
    r = client_for(clerk).post(reverse("inquiries:publish", args=[q.pk]), {})
    assert r.status_code == 400
    assert "仍含个人信息" in r.content.decode()
    q.refresh_from_db()
    assert q.status == "answered"


def test_empty_answer_is_a_form_error(client_for, clerk, ask):
    q = ask()
    r = client_for(clerk).post(reverse("inquiries:answer", args=[q.pk]), {"answer": ""})
    assert r.status_code == 400
    assert "请填写答复内容" in r.content.decode()


def test_reject_through_page(client_for, clerk, ask):
    q = ask()
    r = client_for(clerk).post(reverse("inquiries:reject", args=[q.pk]), {"reason": "广告"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.status == "rejected"


def test_unit_staff_sees_answer_form_only(client_for, clerk, unit, unit_staff, ask):
    q = services.inquiry_route(inquiry=ask(), unit=unit, acting_user=clerk, now=at(2025, 10, 9))
    page = client_for(unit_staff).get(q.get_absolute_url()).content.decode()
    assert "提交答复" in page and "不予受理理由" not in page
    r = client_for(unit_staff).post(
        reverse("inquiries:answer", args=[q.pk]), {"answer": "已办理。"}
    )
    assert r.status_code == 302
    assert (
        client_for(unit_staff)
        .post(reverse("inquiries:reject", args=[q.pk]), {"reason": "x"})
        .status_code
        == 403
    )


def test_settings_page(client_for, clerk, office_head, org):
    assert client_for(clerk).get(reverse("inquiries:settings")).status_code == 403
    c = client_for(office_head)
    assert c.get(reverse("inquiries:settings")).status_code == 200
    r = c.post(reverse("inquiries:settings"), {"reply_workdays": "0", "signature": "unit"})
    assert "答复期限至少1个工作日" in r.content.decode()
    r = c.post(reverse("inquiries:settings"), {"reply_workdays": "7", "signature": "person"})
    assert r.status_code == 302
    assert org.inquiry_settings.reply_workdays == 7


def test_dashboard_widget_shows_overdue(client_for, clerk, ask):
    ask()
    page = client_for(clerk).get(reverse("organizations:dashboard")).content.decode()
    assert "政民互动" in page and "已超期未答复" in page
