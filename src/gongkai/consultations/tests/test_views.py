"""Back-office pages: the flow through the views, and who may see and do what."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.audit.models import AuditEvent
from gongkai.consultations.models import Comment, Consultation
from gongkai.disclosure.factories import PublishedItemFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "甘河滩镇集镇停车管理办法（征求意见稿）",
        "body_format": "plain",
        "body": "第一条 为规范集镇停车秩序，制定本办法。",
        "explanation": "集镇停车矛盾突出，群众反映强烈。",
        "start_on": "2025-05-06",
        "end_on": "2025-05-21",
        "accepts_online": "on",
        "email": "tingche@example.gov.cn",
    }
    data.update(overrides)
    return data


@time_machine.travel(at(dt.date(2025, 5, 6), 9), tick=False)
def test_draft_submit_approve_through_the_views(client_for, clerk, approver):
    page = client_for(clerk).get("/backoffice/consultations/new/")
    assert page.status_code == 200 and "起草意见征集" in page.text
    # The form proposes the body's default period: 6 May + 15 days.
    assert 'value="2025-05-21"' in page.text
    bad = client_for(clerk).post("/backoffice/consultations/new/", form_data(end_on="2025-05-10"))
    assert bad.status_code == 200 and "不得少于7日" in bad.text
    response = client_for(clerk).post("/backoffice/consultations/new/", form_data())
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    client_for(clerk).post(f"/backoffice/consultations/{c.pk}/step/submit/")
    # The clerk cannot approve; the approver can.
    client_for(clerk).post(f"/backoffice/consultations/{c.pk}/step/approve/")
    c.refresh_from_db()
    assert c.status == "in_approval"
    client_for(approver).post(f"/backoffice/consultations/{c.pk}/step/approve/")
    c.refresh_from_db()
    assert c.status == "published"
    assert AuditEvent.objects.filter(verb="consultation.approve", actor=approver).exists()


def test_other_body_cannot_see_or_moderate(client_for, make_published, comment_on, other_clerk):
    c = make_published()
    comment = comment_on(c, day=dt.date(2025, 3, 3))
    other = client_for(other_clerk)
    assert other.get(f"/backoffice/consultations/{c.pk}/").status_code == 404
    assert other.get("/backoffice/consultations/?scope=all").text.count(c.title) == 0
    response = other.post(
        f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/moderate/", {"accept": "1"}
    )
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_supervisor_reads_without_names_and_cannot_moderate(
    client_for, make_published, comment_on, supervisor
):
    c = make_published()
    comment = comment_on(c, day=dt.date(2025, 3, 3), name="张晓明", contact="13912345678")
    client = client_for(supervisor)
    page = client.get(f"/backoffice/consultations/{c.pk}/")
    assert page.status_code == 200 and c.title in page.text
    assert "张晓明" not in page.text and "13912345678" not in page.text
    response = client.post(
        f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/moderate/", {"accept": "1"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_clerk_sees_names_and_moderates(client_for, make_published, comment_on, clerk):
    c = make_published()
    comment = comment_on(c, day=dt.date(2025, 3, 3), name="张晓明", contact="13912345678")
    client = client_for(clerk)
    assert "张晓明" in client.get(f"/backoffice/consultations/{c.pk}/").text
    client.post(
        f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/moderate/",
        {"accept": "0", "reason": ""},
    )
    comment.refresh_from_db()
    assert comment.status == "pending"  # a reason is required
    client.post(
        f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/moderate/", {"accept": "1"}
    )
    comment.refresh_from_db()
    assert comment.status == "accepted"


def test_work_list_and_supervision(client_for, make_published, comment_on, clerk, supervisor):
    ended = make_published(title="已截止的草案")
    comment_on(ended, day=dt.date(2025, 3, 3))
    with time_machine.travel(at(dt.date(2025, 5, 6)), tick=False):
        home = client_for(clerk).get("/backoffice/")
        assert "待审核的意见（1）" in home.text
        assert "已截止未公布采纳情况（1）" in home.text and "已逾期" in home.text
        page = client_for(supervisor).get("/backoffice/consultations/supervision/?year=2025")
        assert page.status_code == 200
        assert "已截止的草案" in page.text and "逾期" in page.text
        supervisor_home = client_for(supervisor).get("/backoffice/")
        assert "逾期未公布的意见采纳情况（1）" in supervisor_home.text


def test_decide_and_publish_feedback_views(client_for, make_published, comment_on, clerk, org):
    c = make_published()
    comment = comment_on(c, day=dt.date(2025, 3, 3))
    client = client_for(clerk)
    client.post(
        f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/moderate/", {"accept": "1"}
    )
    final = PublishedItemFactory(organization=org, title="最终方案")
    with time_machine.travel(at(dt.date(2025, 4, 2)), tick=False):
        client.post(
            f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/decide/",
            {"decision": "not_adopted", "reason": ""},
        )
        comment.refresh_from_db()
        assert comment.status == "accepted"
        client.post(
            f"/backoffice/consultations/{c.pk}/comments/{comment.pk}/decide/",
            {"decision": "not_adopted", "reason": "已有专项安排。", "summary": "增设投放点"},
        )
        page = client.get(f"/backoffice/consultations/{c.pk}/")
        assert "公布意见采纳情况" in page.text and "最终方案" in page.text
        client.post(f"/backoffice/consultations/{c.pk}/feedback/", {"final_item": final.pk})
    c.refresh_from_db()
    assert c.status == "concluded" and c.final_item == final
    assert Comment.objects.get().decision == "not_adopted"


def test_settings_page_admin_only(client_for, org_admin, clerk, org):
    assert client_for(clerk).get("/backoffice/consultations/settings/").status_code == 403
    client = client_for(org_admin)
    bad = client.post(
        "/backoffice/consultations/settings/",
        {"ordinary_min_days": "10", "ordinary_default_days": "5", "feedback_workdays": "20"},
    )
    assert bad.status_code == 200 and "默认征求意见期不能短于" in bad.text
    response = client.post(
        "/backoffice/consultations/settings/",
        {"ordinary_min_days": "10", "ordinary_default_days": "20", "feedback_workdays": "15"},
    )
    assert response.status_code == 302
    assert org.consultation_settings.ordinary_min_days == 10


@time_machine.travel(at(dt.date(2025, 2, 20)), tick=False)
def test_edit_draft_with_attachment(client_for, clerk, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.consultations.services import consultation_create

    from .conftest import draft

    c = consultation_create(organization=org, acting_user=clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 20)))  # fmt: skip
    data = form_data(start_on="2025-03-01", end_on="2025-03-31", title="修改后的标题")
    data["attachments"] = SimpleUploadedFile("说明.txt", "规划说明".encode(), "text/plain")
    response = client_for(clerk).post(f"/backoffice/consultations/{c.pk}/edit/", data)
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "修改后的标题" and c.attachments.get().original_name == "说明.txt"
    download = client_for(clerk).get(
        f"/backoffice/consultations/{c.pk}/attachments/{c.attachments.get().pk}/"
    )
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
