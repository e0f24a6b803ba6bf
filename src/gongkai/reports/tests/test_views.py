from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.reports import services
from gongkai.reports.models import AnnualReport

from . import factories as f

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 2, 10, 9, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_clerk_starts_edits_checks_and_submits(client_for, org, clerk):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    c = client_for(clerk)
    page = c.get(reverse("reports:report_list"))
    assert page.status_code == 200 and "编写2024年度报告" in page.text
    r = c.post(reverse("reports:report_start"), {"year": 2024})
    assert r.status_code == 302
    detail = c.get(reverse("reports:report_detail", args=[2024]))
    assert detail.status_code == 200
    assert 'data-key="t3.new.total"' in detail.text
    assert "/backoffice/reports/2024/cell/t3.new.total/" in detail.text
    form = {f"section_{n}": f"第{n}部分。" for n in range(1, 7)}
    form["section_6"] = "2024年收取信息处理费0元。"
    r = c.post(reverse("reports:report_edit", args=[2024]), form)
    assert r.status_code == 302
    checked = c.get(reverse("reports:report_detail", args=[2024]) + "?check=1")
    assert "检查完成" in checked.text
    r = c.post(reverse("reports:report_action", args=[2024, "submit"]), follow=True)
    assert "已提交审核" in r.text
    assert AnnualReport.objects.get(organization=org, year=2024).status == "submitted"
    # The clerk may not approve.
    r = c.post(reverse("reports:report_action", args=[2024, "approve"]))
    assert r.status_code == 403


def test_findings_shown_next_to_cells(client_for, org, clerk):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    # Regulations in a town's register: a competence error on the cell.
    f.normative(org, issued_on=date(2024, 5, 1), kind="regulation")
    page = client_for(clerk).get(reverse("reports:report_detail", args=[2024]) + "?check=1")
    assert "rp-error" in page.text and "无规章制定权" in page.text


def test_drill_down_page(client_for, org, clerk):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    page = client_for(clerk).get(reverse("reports:cell_records", args=[2024, "t3.granted.total"]))
    assert page.status_code == 200 and app.tracking_code in page.text


def test_other_body_cannot_see_the_report(client_for, org, clerk, other_clerk):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    assert (
        client_for(other_clerk).get(reverse("reports:report_detail", args=[2024])).status_code
        == 404
    )


def test_approver_publishes_and_public_pages_show_it(client_for, org, clerk, approver, client):
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    services.report_submit(report=report, acting_user=clerk, today=NOW.date())
    c = client_for(approver)
    c.post(reverse("reports:report_action", args=[2024, "approve"]))
    r = c.post(reverse("reports:report_action", args=[2024, "publish"]), follow=True)
    assert "已公布" in r.text
    public = client.get(reverse("reports:public_report", args=[org.slug, 2024]))
    assert public.status_code == 200 and "本年新收政府信息公开申请数量" in public.text
    for to in ("html", "docx", "xlsx", "json"):
        d = client.get(reverse("reports:public_download", args=[org.slug, 2024, to]))
        assert d.status_code == 200 and d["Content-Disposition"].startswith("attachment")
    graphic = client.get(reverse("reports:public_graphic", args=[org.slug, 2024]))
    assert graphic.status_code == 200 and graphic.text.count("<svg") == 5
    assert client.get(reverse("reports:public_report", args=[org.slug, 2023])).status_code == 404


def test_public_page_refuses_drafts(client, org, clerk):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    assert client.get(reverse("reports:public_report", args=[org.slug, 2024])).status_code == 404


def test_public_report_shows_the_correction(client, org, approver):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = f.published(org, 2024)

    def change():
        app.applicant_type = "legal_service"
        app.save()

    services.report_correction_record(
        report=report, reason="申请人类型登记错误", acting_user=approver, change=change, now=NOW
    )
    page = client.get(reverse("reports:public_report", args=[org.slug, 2024]))
    assert "更正说明" in page.text and "申请人类型登记错误" in page.text
    assert "原为 1，更正为 0" in page.text


def test_correction_ui(client_for, org, approver):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    f.published(org, 2024)
    c = client_for(approver)
    r = c.post(
        reverse("reports:correction_open", args=[2024]), {"reason": "结果登记有误"}, follow=True
    )
    assert "已登记更正" in r.text
    app.outcome = "partial"
    app.save()
    correction = AnnualReport.objects.get(year=2024).corrections.get()
    r = c.post(reverse("reports:correction_close", args=[2024, correction.pk]), follow=True)
    assert "更正已完成，4个单元格有变化" in r.text


def test_import_view(client_for, org, clerk):
    from gongkai.annual.sample import seed_like_report
    from gongkai.annual.writers import write

    data = write(seed_like_report(), "docx")
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(clerk)
    r = c.post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("2024.docx", data), "year": ""},
    )
    assert r.status_code == 302
    report = AnnualReport.objects.get(organization=org, year=2024)
    assert report.is_imported and report.cells["t3.new.total"] > 0
    src = c.get(reverse("reports:source_download", args=[2024]))
    assert src.status_code == 200 and b"".join(src.streaming_content) == data
    bad = c.post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("x.txt", "随便写点什么".encode()), "year": "2023"},
    )
    assert bad.status_code == 200 and "不是政府信息公开工作年度报告" in bad.text


def test_supervisor_sees_every_body_and_exports(
    client_for, district, org, other_org, supervisor, clerk
):
    f.published(org, 2024, on=date(2025, 2, 10))
    page = client_for(supervisor).get(reverse("reports:supervision") + "?year=2024")
    assert page.status_code == 200
    assert org.name in page.text and other_org.name in page.text and district.name in page.text
    assert "按期" in page.text and "未编制" in page.text
    x = client_for(supervisor).get(
        reverse("reports:supervision_export", args=["xlsx"]) + "?year=2024"
    )
    assert x.status_code == 200 and x.content[:2] == b"PK"
    j = client_for(supervisor).get(
        reverse("reports:supervision_export", args=["json"]) + "?year=2024"
    )
    bodies = j.json()["bodies"]
    assert len(bodies) == 3
    assert [b for b in bodies if b["organization"] == org.name][0]["on_time"] is True
    agg = client_for(supervisor).get(reverse("reports:aggregate") + "?year=2024")
    assert agg.status_code == 200
    # A clerk of a town is not a supervisor.
    assert client_for(clerk).get(reverse("reports:supervision")).status_code == 403


def test_assessment_pages(client_for, org, supervisor, clerk):
    r = client_for(supervisor).get(reverse("reports:assessment") + "?year=2024&scope=bodies")
    assert r.status_code == 200 and org.name in r.text
    r = client_for(clerk).get(reverse("reports:assessment") + "?year=2024")
    assert r.status_code == 200
    x = client_for(clerk).get(reverse("reports:assessment") + "?year=2024&export=xlsx")
    assert x.content[:2] == b"PK"


def test_settings_change_the_town_deadline(client_for, district, org):
    from gongkai.organizations.factories import user_with_role

    admin = user_with_role(district, "admin", username="district_admin")
    form = {"town_deadline_month": 3, "town_deadline_day": 5}
    form.update(
        {
            f"w_{k}": 10
            for k in (
                "proactive_timely",
                "replies_timely",
                "policies_interpreted",
                "guide_updated",
                "report_on_time",
                "report_original",
            )
        }
    )
    r = client_for(admin).post(reverse("reports:supervision_settings"), form)
    assert r.status_code == 302
    from gongkai.reports.deadlines import deadline_for

    assert deadline_for(org, 2024) == date(2025, 3, 5)
    form["town_deadline_month"], form["town_deadline_day"] = 2, 30
    r = client_for(admin).post(reverse("reports:supervision_settings"), form)
    assert "2月没有30日" in r.text


def test_dashboard_widget(client_for, clerk):
    page = client_for(clerk).get(reverse("organizations:dashboard"))
    assert page.status_code == 200 and "2024年度报告" in page.text


def test_broken_reader_is_a_clear_message(client_for, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with mock.patch(
        "gongkai.reports.services.read_bytes", side_effect=services.ReadError("坏文件")
    ):
        r = client_for(clerk).post(
            reverse("reports:report_import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
        )
    assert "文件无法读取：坏文件" in r.text


def test_supervisor_reads_but_never_writes(client_for, org, clerk, supervisor):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    c = client_for(supervisor)
    from gongkai.organizations.permissions import SESSION_KEY

    session = c.session
    session[SESSION_KEY] = org.pk
    session.save()
    assert c.get(reverse("reports:report_detail", args=[2024])).status_code == 200
    assert c.post(reverse("reports:report_action", args=[2024, "submit"])).status_code == 403
    assert c.get(reverse("reports:report_edit", args=[2024])).status_code == 403
    assert c.post(reverse("reports:report_start"), {"year": 2023}).status_code == 403
