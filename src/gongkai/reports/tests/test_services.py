from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.annual.writers import write
from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent
from gongkai.reports import services
from gongkai.reports.lock import YearLocked, assert_year_open
from gongkai.reports.models import AnnualReport, ReportCorrection
from gongkai.reports.selectors import report_findings, report_of

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 2, 3)
NOW = timezone.make_aware(datetime(2025, 2, 10, 9))
TODAY_AT_9 = timezone.make_aware(datetime(2025, 2, 3, 9))  # the clock on TODAY


def _start(org, clerk, year=2024, *, filled=True):
    """A draft as the clerk leaves it before submitting (placeholders filled in)."""
    report = services.report_start(organization=org, year=year, acting_user=clerk, today=TODAY)
    return f.fill_placeholders(report, clerk) if filled else report


def test_start_generates_prose_from_the_records(org, clerk):
    f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = _start(org, clerk)  # placeholders filled: no error left
    assert report.status == "draft" and report.cells == {}
    assert "新收政府信息公开申请1件" in report.section_3
    assert "收取信息处理费0元" in report.section_6
    model, findings = report_findings(report, today=TODAY)
    assert model.cells["t3.new.total"] == 1
    assert [x for x in findings if x.severity == "error"] == []
    assert AuditEvent.objects.filter(verb="report.start").count() == 1


def test_start_copies_last_years_problems(org, clerk):
    f.published(org, 2023, section_5="公示栏更新不及时。")
    report = _start(org, clerk)
    assert report.previous_problems == "公示栏更新不及时。"
    assert "公示栏更新不及时" in report.section_5


def test_workflow_submit_approve_publish(org, clerk, approver):
    report = _start(org, clerk)
    with pytest.raises(PermissionError):
        services.report_approve(report=report, acting_user=clerk, now=NOW)
    report = services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    assert report.status == "submitted" and report.cells["t3.new.total"] == 0
    with pytest.raises(ValidationError):
        services.report_update_prose(report=report, sections={1: "x"}, acting_user=clerk)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    report = services.report_publish(report=report, acting_user=approver, now=NOW)
    assert report.status == "published" and report.published_cells == report.cells
    verbs = list(
        AuditEvent.objects.filter(object_id=str(report.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "report.start",
        "report.edit",
        "report.submit",
        "report.approve",
        "report.publish",
    ]
    with pytest.raises(ValidationError):
        services.report_publish(report=report, acting_user=approver, now=NOW)


def test_return_needs_a_comment_and_unfreezes(org, clerk, approver):
    report = services.report_submit(report=_start(org, clerk), acting_user=clerk, now=TODAY_AT_9)
    with pytest.raises(ValidationError):
        services.report_return(report=report, comment=" ", acting_user=approver)
    report = services.report_return(report=report, comment="第五部分太简单", acting_user=approver)
    assert report.status == "draft" and report.cells == {}
    assert report.return_comment == "第五部分太简单"


def test_submit_refused_with_errors(org, clerk):
    report = _start(org, clerk)
    services.report_update_prose(report=report, sections={6: ""}, acting_user=clerk)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    assert "六、其他需要报告的事项" in "".join(exc.value.messages)


def test_submit_before_year_end_is_refused(org, clerk):
    report = _start(org, clerk, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            report=report, acting_user=clerk, now=timezone.make_aware(datetime(2025, 6, 1, 9))
        )
    assert "尚未结束" in "".join(exc.value.messages)


def test_draft_for_the_current_year_is_a_warning_not_an_error(org, clerk):
    # QA: a 2026 draft started in November 2026 showed "published early" as an error.
    report = services.report_start(
        organization=org, year=2025, acting_user=clerk, today=date(2025, 11, 20)
    )
    report = f.fill_placeholders(report, clerk)
    _, findings = report_findings(report, today=date(2025, 11, 20))
    assert "published_early" not in {x.code for x in findings}
    assert [x for x in findings if x.severity == "error"] == []
    warning = next(x for x in findings if x.code == "year_not_ended")
    assert "2026年1月1日以后才能公布" in warning.message
    # After the year, the same draft has no timing finding at all.
    _, findings = report_findings(report, today=date(2026, 1, 5))
    assert not {"published_early", "year_not_ended"} & {x.code for x in findings}


def test_generated_draft_cannot_be_submitted_with_placeholders(org, clerk):
    # QA: "（请填写。）" and "（请填写政府网站…）" went through to publication.
    f.published(org, 2023, section_5="公示栏更新不及时。")
    report = _start(org, clerk, filled=False)
    _, findings = report_findings(report, today=TODAY)
    placeholder = [x for x in findings if x.code == "unfilled_placeholder"]
    assert {x.location for x in placeholder} == {
        "一、总体情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    }
    assert all(x.severity == "error" for x in placeholder)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    text = "".join(exc.value.messages)
    assert "仍有未填写的模板文字" in text and "「一、总体情况」" in text
    report.refresh_from_db()
    assert report.status == "draft"
    # Once filled in, it goes through.
    report = f.fill_placeholders(report, clerk)
    assert services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9).status == (
        "submitted"
    )


def test_every_generated_placeholder_is_caught_by_the_checker():
    from gongkai.annual.rules import find_placeholders
    from gongkai.reports.prose import PLACEHOLDERS

    for marker in PLACEHOLDERS:
        assert find_placeholders(f"前文{marker}后文") == [marker]


def test_publish_before_year_end_is_refused(org, clerk, approver):
    report = _start(org, clerk)
    report = services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    early = timezone.make_aware(datetime(2024, 12, 20, 9))
    with pytest.raises(ValidationError):
        services.report_publish(report=report, acting_user=approver, now=early)


def test_changing_a_closed_application_in_a_published_year_is_refused(org, approver):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = f.published(org, 2024)
    app.applicant_type = "commercial"
    with pytest.raises(YearLocked) as exc:
        app.save()
    assert "已经公布" in str(exc.value.messages[0])
    with pytest.raises(YearLocked), transaction.atomic():
        app.delete()
    with pytest.raises(YearLocked):
        assert_year_open(org, 2024)
    assert_year_open(org, 2025)  # not published: open
    # A late registration of a 2024 application is refused too.
    with pytest.raises(YearLocked):
        f.application(org, received_on=date(2024, 12, 30))
    # Unrelated fields and later years are free.
    app.refresh_from_db()
    app.notes = "内部备注"
    app.save()
    f.application(org, received_on=date(2025, 1, 5))

    # With a correction the change goes through and the report shows it.
    def change():
        app.applicant_type = "commercial"
        app.save()

    correction, _ = services.report_correction_record(
        report=report, reason="申请人类型登记错误", acting_user=approver, change=change, now=NOW
    )
    assert correction.changes == {
        "t3.new.natural": [1, 0],
        "t3.new.commercial": [0, 1],
        "t3.granted.natural": [1, 0],
        "t3.granted.commercial": [0, 1],
        "t3.total.natural": [1, 0],
        "t3.total.commercial": [0, 1],
    }
    report.refresh_from_db()
    assert report.cells["t3.new.commercial"] == 1
    assert report.published_cells["t3.new.commercial"] == 0
    app.refresh_from_db()
    assert app.applicant_type == "commercial"
    # The lock is back once the correction is closed.
    app.applicant_type = "natural"
    with pytest.raises(YearLocked):
        app.save()


def test_closing_in_2025_an_application_carried_from_2024_is_allowed(org):
    app = f.application(org, received_on=date(2024, 12, 20))
    f.published(org, 2024)
    app.reply_on = date(2025, 1, 10)
    app.outcome = "granted"
    app.status = Application.Status.CLOSED
    app.save()  # 2024 counted it as carried forward either way


def test_correction_through_the_ui_flow_and_failed_change_leaves_nothing(org, approver, clerk):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = f.published(org, 2024)
    with pytest.raises(PermissionError):
        services.report_correction_open(report=report, reason="x", acting_user=clerk, now=NOW)

    def boom():
        app.outcome = "partial"
        app.save()
        raise ValidationError("失败")

    with pytest.raises(ValidationError):
        services.report_correction_record(
            report=report, reason="试一下", acting_user=approver, change=boom, now=NOW
        )
    assert not ReportCorrection.objects.exists()
    app.refresh_from_db()
    assert app.outcome == "granted"
    opened = services.report_correction_open(
        report=report, reason="结果登记错误", acting_user=approver, now=NOW
    )
    with pytest.raises(ValidationError):
        services.report_correction_open(report=report, reason="再来", acting_user=approver, now=NOW)
    app.outcome = "partial"
    app.save()  # allowed while the correction is open
    done = services.report_correction_close(correction=opened, acting_user=approver, now=NOW)
    assert done.changes["t3.partial.total"] == [0, 1]


def test_other_models_are_locked_too(org):
    doc = f.normative(org, issued_on=date(2023, 5, 1))
    appeal = f.appeal(org, filed_on=date(2024, 5, 1))
    figures = f.figures(org, 2024, licensing=3)
    f.published(org, 2024)
    doc.abolished_on = date(2024, 6, 1)
    doc.status = "abolished"
    with pytest.raises(YearLocked):
        doc.save()
    appeal.decided_on, appeal.result = date(2024, 9, 1), "upheld"
    with pytest.raises(YearLocked):
        appeal.save()
    figures.licensing = 4
    with pytest.raises(YearLocked):
        figures.save()
    appeal.refresh_from_db()
    appeal.decided_on, appeal.result = date(2025, 3, 1), "upheld"
    appeal.save()  # decided after 2024: still 尚未审结 in 2024


def test_lock_uses_the_registers_definition_of_in_force(org):
    # Expiry moved from 2023 into 2024: 2024's 本年废止 (废止和失效) changes from 0 to 1,
    # though no 废止日期 is involved and the document is out of force on 31 December
    # either way.  The lock must see what the table counts.
    doc = f.normative(
        org, issued_on=date(2020, 5, 1), expired_on=date(2023, 6, 1), status="expired"
    )
    other = f.normative(org, issued_on=date(2020, 5, 1), valid_until=date(2026, 12, 31))
    later = f.normative(org, issued_on=date(2020, 5, 1), valid_until=date(2026, 12, 31))
    published = f.published(org, 2024)
    assert published.cells["t2.normative.abolished"] == 0
    doc.expired_on = date(2024, 6, 1)
    with pytest.raises(YearLocked):
        doc.save()
    # valid_until (the last valid day) is part of the definition too: lapsing in 2024.
    other.valid_until = date(2024, 6, 30)
    with pytest.raises(YearLocked):
        other.save()
    # A change the 2024 table cannot see is allowed: the lapse moved within 2026.
    later.valid_until = date(2026, 6, 30)
    later.save()


def test_import_a_previous_year_then_carry_over_is_checked(org, clerk, approver):
    prev = report_of(f.published(org, 2023))
    prev.cells["t3.carry_forward.total"] = 2
    prev.cells["t3.carry_forward.natural"] = 2
    prev.cells["t3.new.total"] = 2
    prev.cells["t3.new.natural"] = 2
    prev.organization = org.name
    data = write(prev, "json")
    AnnualReport.objects.filter(organization=org, year=2023).delete()
    imported = services.report_import(
        organization=org, year=None, data=data, filename="2023.json", acting_user=clerk, now=NOW
    )
    assert imported.is_imported and imported.status == "submitted" and imported.year == 2023
    assert imported.source_name == "2023.json" and imported.source_path
    imported = services.report_confirm_import(report=imported, acting_user=approver, now=NOW)
    assert imported.status == "published"
    report = _start(org, clerk)
    _, findings = report_findings(report, today=TODAY)
    assert "carry_over" in {x.code for x in findings}
    with pytest.raises(ValidationError):
        services.report_import(
            organization=org, year=2023, data=data, filename="2023.json", acting_user=clerk, now=NOW
        )
    with pytest.raises(ValidationError) as exc:
        services.report_import(
            organization=org,
            year=2022,
            data=b"\x00\x01garbage",
            filename="x.pdf",
            acting_user=clerk,
            now=NOW,
        )
    assert exc.value.messages


def test_import_reads_text_reports(org, clerk):
    from gongkai.annual.sample import seed_like_report

    sample = seed_like_report()  # a 2024 report
    sample.organization, sample.title = org.name, None
    data = write(sample, "text")
    with pytest.raises(ValidationError) as exc:
        services.report_import(
            organization=org, year=2022, data=data, filename="x.txt", acting_user=clerk, now=NOW
        )
    assert "2024年度" in exc.value.messages[0]
    report = services.report_import(
        organization=org, year=None, data=data, filename="2024.txt", acting_user=clerk, now=NOW
    )
    assert report.year == 2024
    assert report.cells["t3.new.total"] == sample.cells["t3.new.total"]
    assert report.section_1


def test_correcting_an_imported_report_keeps_its_figures(org, approver, approver2, clerk):
    from gongkai.annual.sample import seed_like_report

    sample = seed_like_report()  # a 2024 report with figures the platform never recorded
    sample.organization, sample.title = org.name, None
    report = services.report_import(
        organization=org,
        year=None,
        data=write(sample, "text"),
        filename="2024.txt",
        acting_user=clerk,
        now=NOW,
    )
    report = services.report_confirm_import(report=report, acting_user=approver, now=NOW)
    imported = dict(report.cells)
    assert imported["t3.new.total"] == sample.cells["t3.new.total"] != 0
    correction = services.report_correction_open(
        report=report, reason="第一部分错别字", acting_user=approver, now=NOW
    )
    services.report_correction_update_prose(
        correction=correction, sections={1: "更正后的总体情况。"}, acting_user=approver
    )
    # The prose's editor never closes the correction (review of #9, F6).
    done = services.report_correction_close(correction=correction, acting_user=approver2, now=NOW)
    report.refresh_from_db()
    assert report.cells == imported and report.published_cells == imported
    assert done.changes == {} and set(done.prose_changes) == {"1"}
    assert report.section_1 == "更正后的总体情况。"


def test_publish_refused_when_the_records_changed_after_submission(org, clerk, approver):
    report = _start(org, clerk)
    report = services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    approved = dict(report.cells)
    assert approved["t3.new.total"] == 0
    f.application(org, received_on=date(2024, 6, 3), reply_on=date(2024, 6, 10))
    with pytest.raises(ValidationError) as exc:
        services.report_publish(report=report, acting_user=approver, now=NOW)
    assert "记录在提交后有变化，请退回重新提交" in exc.value.messages[0]
    report.refresh_from_db()
    assert report.status == "approved" and report.cells == approved
    assert report.published_cells == {} and report.published_at is None
    assert not AuditEvent.objects.filter(verb="report.publish").exists()
    # Returned and submitted again, the new figures are approved and published as they are.
    services.report_return(report=report, comment="数字有变化", acting_user=approver)
    report = services.report_submit(report=report, acting_user=clerk, now=TODAY_AT_9)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    report = services.report_publish(report=report, acting_user=approver, now=NOW)
    assert report.status == "published" and report.cells["t3.new.total"] == 1
    assert report.published_cells == report.cells


# --- issue #9: no one person publishes alone; one clock ------------------------------------------


def _file(org_name: str, year: int = 2024, fmt: str = "text") -> bytes:
    """A published report of ``org_name`` for ``year``, as the body's old website had it."""
    from gongkai.annual.sample import seed_like_report

    sample = seed_like_report()
    sample.organization, sample.year, sample.title = org_name, year, None
    return write(sample, fmt)


def _import(org, user, data, *, now=NOW, **kw):
    kw.setdefault("year", None)
    kw.setdefault("filename", "report.txt")
    return services.report_import(organization=org, data=data, acting_user=user, now=now, **kw)


def test_import_of_a_year_that_has_not_ended_is_refused(org, clerk):
    # Issue #9: a clerk could import a report for 2100 and it was published at once.
    for year in (2100, 2025):  # TODAY is in 2025: neither year has ended
        with pytest.raises(ValidationError) as exc:
            _import(org, clerk, _file(org.name, year), year=year)
        assert "尚未结束" in "".join(exc.value.messages)
    assert not AnnualReport.objects.exists()


def test_import_publication_date_must_fall_after_the_year_and_not_in_the_future(org, clerk):
    data = _file(org.name, 2024)
    for day in (date(2024, 12, 31), date(2025, 3, 1)):  # before the year ended; after TODAY
        with pytest.raises(ValidationError) as exc:
            _import(org, clerk, data, published_on=day)
        assert "公布日期" in "".join(exc.value.messages)
    assert not AnnualReport.objects.exists()


def test_imported_report_is_public_only_after_the_approver_confirms(org, clerk, approver):
    from gongkai.reports.selectors import published_reports, report_document_for_public

    report = _import(org, clerk, _file(org.name), published_on=date(2025, 1, 20))
    assert report.is_imported and report.status == "submitted"
    assert report.published_at is None and report.published_by is None
    assert list(published_reports(org)) == []
    assert report_document_for_public(org, 2024) is None
    # The importer cannot confirm its own import, even holding the approver's role too.
    with pytest.raises(PermissionError):
        services.report_confirm_import(report=report, acting_user=clerk, now=NOW)
    from gongkai.organizations.factories import MembershipFactory

    MembershipFactory(user=clerk, organization=org, role="approver")
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh role cache
    with pytest.raises(PermissionError):
        services.report_confirm_import(report=report, acting_user=clerk, now=NOW)
    report = services.report_confirm_import(report=report, acting_user=approver, now=NOW)
    assert report.status == "published"
    assert timezone.localdate(report.published_at) == date(2025, 1, 20)  # the original date
    assert report.approved_by == approver and report.approved_at == NOW
    assert report.published_by == approver
    assert report_document_for_public(org, 2024) == report
    verbs = list(
        AuditEvent.objects.filter(object_id=str(report.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["report.import", "report.import_confirm"]
    # Both audit rows carry the services' ``now`` (review of #9, F11).
    stamps = set(
        AuditEvent.objects.filter(object_id=str(report.pk)).values_list("created_at", flat=True)
    )
    assert stamps == {NOW}


def test_approver_may_reject_an_import_with_a_reason(org, clerk, approver):
    report = _import(org, clerk, _file(org.name))
    with pytest.raises(ValidationError):
        services.report_reject_import(report=report, comment=" ", acting_user=approver)
    services.report_reject_import(report=report, comment="文件不是本机关的", acting_user=approver)
    assert not AnnualReport.objects.filter(organization=org, year=2024).exists()
    event = AuditEvent.objects.get(verb="report.import_reject")
    assert event.comment == "文件不是本机关的" and event.actor == approver
    # The year is free again for the right file.
    assert _import(org, clerk, _file(org.name)).status == "submitted"


def test_import_with_another_bodys_name_needs_an_audited_confirmation(org, clerk):
    data = _file("青山县人民政府")
    with pytest.raises(ValidationError) as exc:
        _import(org, clerk, data)
    message = "".join(exc.value.messages)
    assert "青山县人民政府" in message and org.name in message
    assert not AnnualReport.objects.exists()
    report = _import(org, clerk, data, name_confirmed=True)
    assert report.status == "submitted"
    event = AuditEvent.objects.get(verb="report.import")
    assert event.data["file_organization"] == "青山县人民政府"
    assert event.data["name_confirmed"] is True
    # A matching name needs no confirmation and records none.
    other = _import(org, clerk, _file(org.name, 2023))
    event = AuditEvent.objects.get(verb="report.import", object_id=str(other.pk))
    assert event.data["name_confirmed"] is False


def test_import_refused_when_the_platform_already_has_the_year(org, clerk):
    _start(org, clerk)  # a draft on the platform
    with pytest.raises(ValidationError) as exc:
        _import(org, clerk, _file(org.name))
    assert "已有年度报告" in "".join(exc.value.messages)


def test_approver_may_not_approve_what_they_submitted_or_last_edited(
    org, clerk, approver, org_admin
):
    # Issue #9: one person holding every role submitted, approved and published alone.
    from gongkai.organizations.factories import MembershipFactory

    MembershipFactory(user=org_admin, organization=org, role="approver")
    report = _start(org, clerk)
    services.report_update_prose(
        report=report, sections={1: "管理员改写的总体情况。"}, acting_user=org_admin
    )
    report = services.report_submit(report=report, acting_user=clerk, now=NOW)
    with pytest.raises(PermissionError) as exc:
        services.report_approve(report=report, acting_user=org_admin, now=NOW)
    assert "修改" in str(exc.value)
    services.report_return(report=report, comment="请经办人定稿", acting_user=approver)
    report = f.fill_placeholders(AnnualReport.objects.get(pk=report.pk), clerk)
    report = services.report_submit(report=report, acting_user=org_admin, now=NOW)
    with pytest.raises(PermissionError) as exc:
        services.report_approve(report=report, acting_user=org_admin, now=NOW)
    assert "提交" in str(exc.value)
    report = services.report_approve(report=report, acting_user=approver, now=NOW)
    assert report.status == "approved"


def test_workflow_stamps_the_clock_it_is_given(org, clerk, approver):
    # Issue #9: report_submit(today=2025-01-10) stamped the wall clock (2026).
    submitted = timezone.make_aware(datetime(2025, 1, 10, 9))
    approved = timezone.make_aware(datetime(2025, 1, 12, 15))
    report = services.report_submit(report=_start(org, clerk), acting_user=clerk, now=submitted)
    assert report.submitted_at == submitted
    report = services.report_approve(report=report, acting_user=approver, now=approved)
    assert report.approved_at == approved
    report.refresh_from_db()
    assert (report.submitted_at, report.approved_at) == (submitted, approved)
    # The audit rows share the clock (review of #9, F11).
    stamps = dict(
        AuditEvent.objects.filter(object_id=str(report.pk)).values_list("verb", "created_at")
    )
    assert stamps["report.submit"] == submitted and stamps["report.approve"] == approved


# --- corrections: no one person rewrites the published prose alone (review of #9, F6) ----------


@pytest.fixture
def approver2(org):
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    return user_with_role(org, Role.APPROVER, username="approver2")


def test_correction_prose_is_closed_by_another_approver(org, org_admin, approver, approver2):
    report = f.published(org, 2024)
    # A body admin alone: open, rewrite the published prose, close.
    correction = services.report_correction_open(
        report=report, reason="第一部分有误", acting_user=org_admin, now=NOW
    )
    services.report_correction_update_prose(
        correction=correction, sections={1: "管理员改写的第一部分。"}, acting_user=org_admin
    )
    report.refresh_from_db()
    # Not public while the correction is open: the published text stays.
    assert report.section_1 == "第1部分正文。"
    assert report.last_edited_by == org_admin
    with pytest.raises(PermissionError, match="审批领导"):
        services.report_correction_close(correction=correction, acting_user=org_admin, now=NOW)
    # An approver who edits it last cannot close it either (same rule as report_approve).
    services.report_correction_update_prose(
        correction=correction, sections={1: "审批领导核改的第一部分。"}, acting_user=approver
    )
    with pytest.raises(PermissionError, match="另一位审批领导"):
        services.report_correction_close(correction=correction, acting_user=approver, now=NOW)
    correction.refresh_from_db()
    assert correction.is_open
    report.refresh_from_db()
    assert report.section_1 == "第1部分正文。"
    assert not AuditEvent.objects.filter(verb="report.correct").exists()
    # Another approver closes it: now the corrected text is the report's.
    done = services.report_correction_close(correction=correction, acting_user=approver2, now=NOW)
    report.refresh_from_db()
    assert report.section_1 == "审批领导核改的第一部分。"
    assert done.prose_changes == {"1": ["第1部分正文。", "审批领导核改的第一部分。"]}
    event = AuditEvent.objects.get(verb="report.correct")
    assert event.actor == approver2 and event.created_at == NOW
    assert event.data["prose"] == ["1"] and event.data["prose_edited_by"] == approver.get_username()


def test_correction_without_prose_changes_is_closed_by_an_approver(org, org_admin, approver):
    app = f.application(org, received_on=date(2024, 3, 1), reply_on=date(2024, 3, 10))
    report = f.published(org, 2024)
    correction = services.report_correction_open(
        report=report, reason="结果登记错误", acting_user=org_admin, now=NOW
    )
    app.outcome = "partial"
    app.save()  # allowed while the correction is open
    with pytest.raises(PermissionError, match="审批领导"):
        services.report_correction_close(correction=correction, acting_user=org_admin, now=NOW)
    # The figures come from the records, not from anyone's text: an approver closes.
    done = services.report_correction_close(correction=correction, acting_user=approver, now=NOW)
    assert done.changes["t3.partial.total"] == [0, 1]
