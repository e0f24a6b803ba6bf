import re
from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.annual.format import cell_label
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
    # No 年度主动公开数据 entered yet: the four cells are blank, not 0 (format rule 9),
    # and submitting is refused with the checker's message.
    for key in ("t2.licensing", "t2.penalty", "t2.coercion", "t2.fees"):
        cell = checked.text[checked.text.index(f'data-key="{key}"') :].split("</td>")[0]
        assert "—" in cell and ">0<" not in cell, cell
    assert "表二缺少4个单元格的数字" in checked.text
    r = c.post(reverse("reports:report_action", args=[2024, "submit"]), follow=True)
    assert "表二缺少4个单元格的数字" in r.text and "空白不等于0" in r.text
    assert AnnualReport.objects.get(organization=org, year=2024).status == "draft"
    f.figures(org, 2024, licensing=3)
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
    f.fill_placeholders(report, clerk)
    services.report_submit(report=report, acting_user=clerk, now=NOW)
    c = client_for(approver)
    c.post(reverse("reports:report_action", args=[2024, "approve"]))
    r = c.post(reverse("reports:report_action", args=[2024, "publish"]), follow=True)
    assert "已公布" in r.text
    # One canonical public page: the portal's; /reports/<slug>/<year>/ redirects there.
    portal = reverse("portal:report", args=[org.slug, 2024])
    assert f'href="{portal}"' in r.text
    public = client.get(reverse("reports_public:report", args=[org.slug, 2024]))
    assert public.status_code == 301 and public["Location"] == portal
    index = client.get(reverse("reports_public:index", args=[org.slug]))
    assert index.status_code == 301 and index["Location"] == reverse(
        "portal:reports", args=[org.slug]
    )
    for to in ("html", "docx", "xlsx", "json"):
        d = client.get(reverse("reports_public:download", args=[org.slug, 2024, to]))
        assert d.status_code == 200 and d["Content-Disposition"].startswith("attachment")
    graphic = client.get(reverse("reports_public:graphic", args=[org.slug, 2024]))
    assert graphic.status_code == 200 and graphic.text.count("<svg") == 5
    assert client.get(reverse("reports_public:report", args=[org.slug, 2023])).status_code == 404


def test_back_office_public_duplicates_are_gone(client, org):
    f.published(org, 2024)
    assert client.get(f"/backoffice/reports/public/{org.slug}/2024/").status_code == 404


@pytest.mark.urls("gongkai.reports.tests.urls_without_portal")
def test_without_the_portal_reports_page_is_the_public_page(client, org):
    f.published(org, 2024)
    page = client.get(reverse("reports_public:report", args=[org.slug, 2024]))
    assert page.status_code == 200 and "本年新收政府信息公开申请数量" in page.text
    index = client.get(reverse("reports_public:index", args=[org.slug]))
    assert index.status_code == 200
    assert f'href="{reverse("reports_public:report", args=[org.slug, 2024])}"' in index.text


def test_public_page_refuses_drafts(client, org, clerk):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    assert client.get(reverse("reports_public:report", args=[org.slug, 2024])).status_code == 404


@pytest.mark.urls("gongkai.reports.tests.urls_without_portal")
def test_public_report_shows_the_correction(client, org, approver):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = f.published(org, 2024)

    def change():
        app.applicant_type = "legal_service"
        app.save()

    services.report_correction_record(
        report=report, reason="申请人类型登记错误", acting_user=approver, change=change, now=NOW
    )
    page = client.get(reverse("reports_public:report", args=[org.slug, 2024]))
    assert "更正说明" in page.text and "申请人类型登记错误" in page.text
    # Human cell labels, never the canonical keys, in what people read.
    assert f"{cell_label('t3.new.natural')}：原为 1，更正为 0" in page.text


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
    # The file is 青山县人民政府's: refused until the clerk confirms the name (audited).
    r = c.post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("2024.docx", data), "year": ""},
    )
    assert r.status_code == 200 and "青山县人民政府" in r.text and "不一致" in r.text
    assert not AnnualReport.objects.exists()
    r = c.post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("2024.docx", data), "year": "", "name_confirmed": "on"},
        follow=True,
    )
    assert "审批领导确认后才在门户网站上公开" in r.text
    report = AnnualReport.objects.get(organization=org, year=2024)
    assert report.is_imported and report.cells["t3.new.total"] > 0
    assert report.status == "submitted" and 'id="import-pending"' in r.text
    assert "确认导入并公布" not in r.text  # a clerk has no approver's role
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


# --- findings of the QA pass ---------------------------------------------------------------


def test_supervision_shows_the_number_of_days_late(client_for, org, other_org, supervisor):
    # QA: the 按期 column said "逾期天" (the template called overdue_days without today).
    f.published(org, 2024, on=date(2025, 3, 5))  # town deadline 20 February: 13 days late
    with time_machine.travel(datetime(2025, 3, 2, 9, tzinfo=NOW.tzinfo), tick=False):
        page = client_for(supervisor).get(reverse("reports:supervision") + "?year=2024")
    assert "逾期13天" in page.text
    # other_org has published nothing, ten days after the deadline.
    assert "已过期限未公布（逾期10天）" in page.text
    assert "逾期天" not in page.text


def test_dashboard_shows_an_overdue_report(client_for, org, clerk):
    # QA: the widget said 草稿 with the deadline long past and nothing about it.
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    with time_machine.travel(datetime(2025, 11, 26, 9, tzinfo=NOW.tzinfo), tick=False):
        page = client_for(clerk).get(reverse("organizations:dashboard"))
    assert "草稿" in page.text and "已逾期279天" in page.text  # 2025-02-20 -> 2025-11-26
    # Before the deadline, no overdue mark.
    page = client_for(clerk).get(reverse("organizations:dashboard"))
    assert "已逾期" not in page.text


def test_get_on_a_button_url_goes_back_to_the_report(client_for, org, approver):
    # QA: GET /backoffice/reports/2024/correct/ gave a blank 405.
    f.published(org, 2024)
    c = client_for(approver)
    for url in (
        reverse("reports:correction_open", args=[2024]),
        reverse("reports:report_action", args=[2024, "publish"]),
        reverse("reports:report_regenerate", args=[2024]),
    ):
        r = c.get(url, follow=True)
        assert r.redirect_chain[0] == (reverse("reports:report_detail", args=[2024]), 302)
        assert r.status_code == 200 and "须通过页面上的按钮提交" in r.text
    r = c.get(reverse("reports:report_start"))
    assert r.status_code == 302 and r["Location"] == reverse("reports:report_list")
    assert AnnualReport.objects.get(organization=org, year=2024).corrections.count() == 0


def test_history_shows_names_and_chinese_states(client_for, org, clerk):
    # QA: "ganhetan_clerk 提交审核 draft → submitted".
    clerk.first_name, clerk.last_name = "芳", "王"
    clerk.save()
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    f.fill_placeholders(report, clerk)
    services.report_submit(report=report, acting_user=clerk, now=NOW)
    page = client_for(clerk).get(reverse("reports:report_detail", args=[2024]))
    history = page.text[page.text.index('id="hist-h"') :]
    name = clerk.get_full_name()
    assert f"{name} 提交审核（草稿 → 已提交审核）" in history
    assert "draft" not in history and "submitted" not in history
    assert f">{clerk.username} " not in history and f" {clerk.username} " not in history


def test_check_shows_placeholders_and_no_raw_codes(client_for, org, clerk):
    # QA: 运行检查 on a draft with "（请填写。）" said 未发现问题; raw codes were on screen.
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    page = client_for(clerk).get(reverse("reports:report_detail", args=[2024]) + "?check=1")
    assert "未发现问题" not in page.text
    findings = page.text[page.text.index('id="findings"') : page.text.index('id="tables-h"')]
    assert "仍有未填写的模板文字「（请填写。）」" in findings
    assert "「五、存在的主要问题及改进情况」" in findings
    visible = re.sub(r"<[^>]+>", "", findings)  # attributes may keep the code for support
    assert "unfilled_placeholder" not in visible and "<code" not in findings
    r = client_for(clerk).post(reverse("reports:report_action", args=[2024, "submit"]), follow=True)
    assert "仍有未填写的模板文字" in r.text
    assert AnnualReport.objects.get(organization=org, year=2024).status == "draft"


def test_cell_page_shows_the_label_not_the_key(client_for, org, clerk):
    services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    page = client_for(clerk).get(reverse("reports:cell_records", args=[2024, "t3.new.natural"]))
    visible = re.sub(r"<[^>]+>", "", page.text)
    assert cell_label("t3.new.natural").split()[-1] in visible
    assert "t3.new.natural" not in visible


def test_correction_warns_about_the_prose_and_lets_the_approver_correct_it(
    client_for, org, approver
):
    # QA: after a 更正 the table showed 1 application, the text still said none;
    # the warning was listed twice under 一 with the raw code on screen.
    sentence = "2024年，我镇未收到政府信息公开申请。"
    report = f.published(org, 2024, section_1="总体情况。" + sentence, section_3=sentence)

    def change():
        f.application(org, received_on=date(2024, 6, 1), reply_on=date(2024, 6, 10))

    services.report_correction_record(
        report=report, reason="漏登一件申请", acting_user=approver, change=change, now=NOW
    )
    c = client_for(approver)
    page = c.get(reverse("reports:report_detail", args=[2024]))
    warning = page.text[page.text.index('id="prose-warning"') :].split("</div>", 1)[0]
    assert "正文可能需要同步更正" in warning
    assert warning.count("位置：一、总体情况") == 1
    assert warning.count("位置：三、收到和处理政府信息公开申请情况") == 1
    assert "text_vs_table" not in re.sub(r"<[^>]+>", "", page.text)

    # The approver corrects the prose as part of a correction.
    c.post(reverse("reports:correction_open", args=[2024]), {"reason": "正文数字与表格一致"})
    correction = report.corrections.get(recorded_at__isnull=True)
    form = {f"section_{n}": t for n, t in report.section_texts().items()}
    form["section_1"] = "总体情况。2024年，我镇收到政府信息公开申请1件。"
    form["section_3"] = "2024年，我镇收到政府信息公开申请1件，已按期答复。"
    r = c.post(reverse("reports:correction_prose", args=[2024, correction.pk]), form)
    assert r.status_code == 302
    # Another 审批领导 closes it: the prose's editor cannot (review of #9, F6).
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    second = client_for(user_with_role(org, Role.APPROVER, username="approver2"))
    r = second.post(reverse("reports:correction_close", args=[2024, correction.pk]))
    assert r.status_code == 302
    correction.refresh_from_db()
    assert correction.prose_changes["3"] == [sentence, form["section_3"]]
    assert set(correction.prose_changes) == {"1", "3"}
    page = c.get(reverse("reports:report_detail", args=[2024]))
    assert 'id="prose-warning"' not in page.text and "正文更正：一、总体情况" in page.text
    # Closed: the prose can no longer change under this correction.
    r = c.post(reverse("reports:correction_prose", args=[2024, correction.pk]), form, follow=True)
    assert "该更正已经完成" in r.text


def test_correction_prose_needs_the_right_role_and_an_open_correction(org, clerk, approver):
    report = f.published(org, 2024)
    correction = services.report_correction_open(
        report=report, reason="正文有误", acting_user=approver, now=NOW
    )
    with pytest.raises(PermissionError):
        services.report_correction_update_prose(
            correction=correction, sections={2: "改"}, acting_user=clerk
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_correction_update_prose(
            correction=correction, sections={2: " "}, acting_user=approver
        )
    services.report_correction_update_prose(
        correction=correction, sections={2: "改正后的第二部分。"}, acting_user=approver
    )
    # Edited back to the published text: nothing to record.
    services.report_correction_update_prose(
        correction=correction, sections={2: "第2部分正文。"}, acting_user=approver
    )
    correction.refresh_from_db()
    assert correction.prose_changes == {}


def test_approver_confirms_or_rejects_an_import(client_for, org, clerk, approver, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.annual.sample import seed_like_report
    from gongkai.annual.writers import write

    sample = seed_like_report()
    sample.organization, sample.title = org.name, None
    data = write(sample, "text")
    client_for(clerk).post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("2024.txt", data), "published_on": "2025-01-25"},
    )
    assert client.get(reverse("portal:report", args=[org.slug, 2024])).status_code == 404
    c = client_for(approver)
    page = c.get(reverse("reports:report_detail", args=[2024]))
    assert "确认导入并公布" in page.text and "退回导入" in page.text
    assert "审批通过" not in page.text  # an import is confirmed, not approved
    r = c.post(
        reverse("reports:report_action", args=[2024, "reject"]), {"comment": ""}, follow=True
    )
    assert "请填写理由" in r.text
    r = c.post(
        reverse("reports:report_action", args=[2024, "reject"]),
        {"comment": "文件有误"},
        follow=True,
    )
    assert "已退回2024年度导入的报告" in r.text
    assert not AnnualReport.objects.filter(organization=org, year=2024).exists()
    client_for(clerk).post(
        reverse("reports:report_import"),
        {"file": SimpleUploadedFile("2024.txt", data), "published_on": "2025-01-25"},
    )
    r = c.post(reverse("reports:report_action", args=[2024, "confirm"]), follow=True)
    assert "已确认导入的报告" in r.text
    report = AnnualReport.objects.get(organization=org, year=2024)
    assert report.status == "published" and report.published_by == approver
    assert timezone.localdate(report.published_at) == date(2025, 1, 25)
    assert client.get(reverse("portal:report", args=[org.slug, 2024])).status_code == 200


def test_approver_who_edited_the_report_sees_why_they_cannot_approve(client_for, org, clerk):
    from gongkai.organizations.factories import user_with_role

    chief = user_with_role(org, "approver", username="chief")
    report = services.report_start(organization=org, year=2024, acting_user=clerk, today=NOW.date())
    f.fill_placeholders(report, clerk)
    from gongkai.organizations.factories import MembershipFactory

    MembershipFactory(user=chief, organization=org, role="clerk")
    services.report_update_prose(
        report=report, sections={1: "领导改写的总体情况。"}, acting_user=chief
    )
    services.report_submit(report=report, acting_user=clerk, now=NOW)
    page = client_for(chief).get(reverse("reports:report_detail", args=[2024]))
    assert 'id="approver-is-author"' in page.text and "审批通过" not in page.text
    r = client_for(chief).post(reverse("reports:report_action", args=[2024, "approve"]))
    assert r.status_code == 403
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"


def test_correction_editor_sees_why_not_the_close_button(client_for, org, org_admin, approver):
    # Review of #9 (F6): one admin opened a correction, rewrote the published
    # prose and closed it.  Now the page shows the reason instead of the button.
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    approver2 = user_with_role(org, Role.APPROVER, username="approver2")
    report = f.published(org, 2024)
    admin = client_for(org_admin)
    admin.post(reverse("reports:correction_open", args=[2024]), {"reason": "第一部分有误"})
    correction = report.corrections.get(recorded_at__isnull=True)
    form = {f"section_{n}": t for n, t in report.section_texts().items()}
    form["section_1"] = "管理员改写的第一部分。"
    r = admin.post(reverse("reports:correction_prose", args=[2024, correction.pk]), form)
    assert r.status_code == 302
    close_url = reverse("reports:correction_close", args=[2024, correction.pk])
    # The edit form shows the pending text; the public page still the published one.
    edit = admin.get(reverse("reports:correction_prose", args=[2024, correction.pk]))
    assert "管理员改写的第一部分。" in edit.text
    public = client_for(org_admin).get(reverse("portal:report", args=[org.slug, 2024]))
    assert "管理员改写的第一部分。" not in public.text and "第1部分正文。" in public.text

    page = admin.get(reverse("reports:report_detail", args=[2024]))
    assert close_url not in page.text
    assert "完成更正须由审批领导办理" in page.text
    r = admin.post(close_url)
    assert r.status_code == 403
    # The approver edits last: the reason, not the button.
    form["section_1"] = "审批领导核改的第一部分。"
    first = client_for(approver)
    first.post(reverse("reports:correction_prose", args=[2024, correction.pk]), form)
    page = first.get(reverse("reports:report_detail", args=[2024]))
    assert close_url not in page.text
    refusal = page.text[page.text.index('id="correction-close-refusal"') :].split("</p>", 1)[0]
    assert "另一位审批领导" in refusal
    assert first.post(close_url).status_code == 403
    # Another approver closes it.
    second = client_for(approver2)
    page = second.get(reverse("reports:report_detail", args=[2024]))
    assert close_url in page.text and 'id="correction-close-refusal"' not in page.text
    r = second.post(close_url, follow=True)
    assert "更正已完成" in r.text
    report.refresh_from_db()
    assert report.section_1 == "审批领导核改的第一部分。"
    history = r.text[r.text.index('id="hist-h"') :]
    assert f"{approver2.get_full_name() or approver2.get_username()} 完成更正" in history
