"""Every write to annual reports: draft, prose, workflow, publication, import, corrections.

Each state change: ``@transaction.atomic``, the current state checked against
the one TRANSITIONS table, the change, an audit row (who, when, from -> to).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from . import permissions as perms
from .lock import corrections_open
from .models import AnnualReport, ReportCorrection, Source, Status, SupervisionSettings
from .prose import generate_sections
from .selectors import (
    cells_from_json,
    cells_to_json,
    previous_report,
    prose_facts,
    report_compute,
)

T = TypeVar("T")

# The one transition table: (state, action) -> new state, for a report made on the platform.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "return"): Status.DRAFT,
    (Status.SUBMITTED, "approve"): Status.APPROVED,
    (Status.APPROVED, "return"): Status.DRAFT,
    (Status.APPROVED, "publish"): Status.PUBLISHED,
}
# The same shape for an imported report (a record of what the body published
# elsewhere): it arrives ``submitted`` and the 审批领导 confirms it (published with
# its original date) or rejects it (``None``: the pending import is removed).
IMPORT_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (Status.SUBMITTED, "confirm"): Status.PUBLISHED,
    (Status.SUBMITTED, "reject"): None,
}
ACTION_LABEL = {
    "submit": "提交",
    "return": "退回",
    "approve": "审批",
    "publish": "公布",
    "confirm": "确认公布",
    "reject": "退回导入",
}


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _transition(report: AnnualReport, action: str) -> tuple[str, str | None]:
    table = TRANSITIONS if report.source == Source.PLATFORM else IMPORT_TRANSITIONS
    if (report.status, action) not in table:
        raise ValidationError(
            f"报告当前状态为「{report.get_status_display()}」，不能{ACTION_LABEL[action]}。"
        )
    return report.status, table[(report.status, action)]


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise PermissionError(message)


# --- draft -----------------------------------------------------------------------------------


@transaction.atomic
def report_start(
    *, organization: Organization, year: int, acting_user, today: date
) -> AnnualReport:
    """Create the year's draft with prose generated from the records."""
    _need(perms.can_edit(acting_user, organization), "您在该机关没有编写年度报告的权限。")
    if year > today.year or year < 2008:
        raise ValidationError(f"不能为{year}年度编写年度报告。")
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(f"{organization.name}{year}年度的年度报告已经存在。")
    report = AnnualReport(
        organization=organization, year=year, created_by=acting_user, last_edited_by=acting_user
    )
    prev = previous_report(report)
    report.previous_problems = prev.section_5 if prev else ""
    _fill_generated(report)
    report.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="report.start",
        obj=report,
        to_state=report.status,
        data={"year": year},
    )
    return report


def _fill_generated(report: AnnualReport) -> None:
    computed = report_compute(organization=report.organization, year=report.year)
    facts = prose_facts(
        organization=report.organization,
        year=report.year,
        previous_problems=report.previous_problems,
    )
    for number, text in generate_sections(computed, facts).items():
        setattr(report, f"section_{number}", text)


@transaction.atomic
def report_regenerate(*, report: AnnualReport, acting_user) -> AnnualReport:
    """Replace the prose by a freshly generated draft (the clerk asked for it)."""
    report = _lock(report)
    _need(perms.can_edit(acting_user, report.organization), "您没有编写年度报告的权限。")
    if not report.is_editable:
        raise ValidationError("只有草稿状态的报告可以重新生成正文。")
    _fill_generated(report)
    report.last_edited_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.regenerate",
        obj=report,
    )
    return report


@transaction.atomic
def report_update_prose(
    *, report: AnnualReport, sections: dict[int, str], acting_user
) -> AnnualReport:
    report = _lock(report)
    _need(perms.can_edit(acting_user, report.organization), "您没有编写年度报告的权限。")
    if not report.is_editable:
        raise ValidationError(
            f"报告当前状态为「{report.get_status_display()}」，不能修改正文；如需修改请先退回。"
        )
    changed = []
    for number, text in sections.items():
        if number not in fmt.SECTION_BY_NUMBER:
            raise ValidationError(f"没有第{number}部分。")
        text = (text or "").replace("\r\n", "\n").strip()
        if getattr(report, f"section_{number}") != text:
            setattr(report, f"section_{number}", text)
            changed.append(number)
    if changed:
        report.last_edited_by = acting_user
        report.save()
        audit_record(
            actor=acting_user,
            organization=report.organization,
            verb="report.edit",
            obj=report,
            data={"sections": changed},
        )
    return report


# --- workflow ----------------------------------------------------------------------------------


def _error_findings(report: AnnualReport, *, today: date, cells) -> list:
    from .selectors import report_findings

    _, findings = report_findings(report, today=today, cells=cells)
    return [f for f in findings if f.severity == ERROR]


@transaction.atomic
def report_submit(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """经办人 submits: the computed tables are frozen; refused while the checker finds errors.
    ``now`` is the one clock: the year check and ``submitted_at`` both come from it."""
    report = _lock(report)
    _need(perms.can_submit(acting_user, report.organization), "您没有提交年度报告的权限。")
    old, new = _transition(report, "submit")
    today = timezone.localdate(now)
    # 条例第四十九条: the report covers a finished year.  A draft may be prepared
    # during the year (its tables follow the records); it goes to review afterwards.
    if today < date(report.year + 1, 1, 1):
        raise ValidationError(
            f"{report.year}年度尚未结束：草稿可以先准备，"
            f"{report.year + 1}年1月1日以后才能提交审核和公布（条例第四十九条）。"
        )
    computed = report_compute(organization=report.organization, year=report.year).cells
    errors = _error_findings(report, today=today, cells=computed)
    if errors:
        raise ValidationError(
            [f"检查发现{len(errors)}个错误，请先修改后再提交："]
            + [
                f.message
                + (f"（{f.location}）" if f.location and f.location not in f.message else "")
                for f in errors[:5]
            ]
        )
    report.cells = cells_to_json(computed)
    report.status = new
    report.return_comment = ""
    report.submitted_at = now
    report.submitted_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.submit",
        obj=report,
        from_state=old,
        to_state=new,
    )
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, comment: str, acting_user) -> AnnualReport:
    report = _lock(report)
    _need(
        perms.can_approve(acting_user, report.organization)
        or (
            report.status == Status.APPROVED and perms.can_publish(acting_user, report.organization)
        ),
        "您没有退回年度报告的权限。",
    )
    old, new = _transition(report, "return")
    if not (comment or "").strip():
        raise ValidationError("退回时请填写退回意见。")
    report.status = new
    report.return_comment = comment.strip()
    report.cells = {}
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.return",
        obj=report,
        from_state=old,
        to_state=new,
        comment=report.return_comment,
    )
    return report


@transaction.atomic
def report_approve(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """审批领导 approves; never the person who submitted the report or last changed its
    prose (no one person publishes alone)."""
    report = _lock(report)
    _need(perms.can_approve(acting_user, report.organization), "只有审批领导可以审批年度报告。")
    old, new = _transition(report, "approve")
    _need(
        report.submitted_by_id != acting_user.pk,
        "不能审批自己提交的年度报告，请由另一位审批领导审批。",
    )
    _need(
        perms.last_editor_id(report) != acting_user.pk,
        "不能审批自己修改过正文的年度报告，请由另一位审批领导审批。",
    )
    report.status = new
    report.approved_at = now
    report.approved_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.approve",
        obj=report,
        from_state=old,
        to_state=new,
    )
    return report


@transaction.atomic
def report_publish(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """Publish the approved cells unchanged and lock the year (lock.py); refused when
    the records no longer give the approved figures."""
    report = _lock(report)
    _need(perms.can_publish(acting_user, report.organization), "您没有公布年度报告的权限。")
    old, new = _transition(report, "publish")
    today = timezone.localdate(now)
    # 条例第四十九条: the report covers a finished year.
    if today.year <= report.year:
        raise ValidationError(f"{report.year}年度尚未结束，不能公布该年度的年度报告。")
    # What is published is what was submitted, checked and approved: if the records
    # behind it changed since, the figures go back through submission and review.
    computed = report_compute(organization=report.organization, year=report.year).cells
    if cells_to_json(computed) != report.cells:
        raise ValidationError("记录在提交后有变化，请退回重新提交。")
    report.published_cells = report.cells
    report.status = new
    report.published_at = now
    report.published_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.publish",
        obj=report,
        from_state=old,
        to_state=new,
    )
    return report


# --- corrections after publication ---------------------------------------------------------------


def _changes(before: dict, after: dict) -> dict[str, list]:
    b, a = cells_to_json(before), cells_to_json(after)
    return {k: [b.get(k), v] for k, v in a.items() if b.get(k) != v}


@transaction.atomic
def report_correction_open(
    *, report: AnnualReport, reason: str, acting_user, now: datetime
) -> ReportCorrection:
    """Open a correction: until it is closed, the year accepts changes to its records."""
    report = _lock(report)
    _need(perms.can_correct(acting_user, report.organization), "只有审批领导或管理员可以登记更正。")
    if not report.is_published:
        raise ValidationError("只有已公布的年度报告需要登记更正。")
    if not (reason or "").strip():
        raise ValidationError("请填写更正理由。")
    if report.corrections.filter(recorded_at__isnull=True).exists():
        raise ValidationError("该报告已有一项未完成的更正，请先完成。")
    correction = ReportCorrection.objects.create(
        report=report,
        reason=reason.strip(),
        cells_before=report.cells,
        opened_by=acting_user,
        opened_at=now,
    )
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.correction_open",
        obj=report,
        comment=correction.reason,
    )
    return correction


@transaction.atomic
def report_correction_close(
    *, correction: ReportCorrection, acting_user, now: datetime
) -> ReportCorrection:
    """Close: store the cells that changed and update the published report's figures
    (an imported report keeps the figures of its file)."""
    correction = ReportCorrection.objects.select_for_update().get(pk=correction.pk)
    report = _lock(correction.report)
    _need(perms.can_correct(acting_user, report.organization), "只有审批领导或管理员可以登记更正。")
    if not correction.is_open:
        raise ValidationError("该更正已经完成。")
    if report.is_imported:
        # An imported report's figures are those of its file, not of the platform's
        # records: the correction records its prose changes only; the cells stay.
        correction.changes = {}
    else:
        after = report_compute(organization=report.organization, year=report.year).cells
        correction.changes = _changes(cells_from_json(correction.cells_before), after)
        report.cells = cells_to_json(after)
    correction.recorded_by = acting_user
    correction.recorded_at = now
    correction.save()
    report.save(update_fields=["cells", "updated_at"])
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.correct",
        obj=report,
        comment=correction.reason,
        data={"changes": correction.changes, "prose": sorted(correction.prose_changes)},
    )
    return correction


@transaction.atomic
def report_correction_update_prose(
    *, correction: ReportCorrection, sections: dict[int, str], acting_user
) -> ReportCorrection:
    """Correct the published prose as part of an open correction (e.g. a figure the
    corrected tables no longer support).  The correction keeps, per section, the
    text as it stood before it and the corrected text; the public page shows both."""
    correction = ReportCorrection.objects.select_for_update().get(pk=correction.pk)
    report = _lock(correction.report)
    _need(perms.can_correct(acting_user, report.organization), "只有审批领导或管理员可以登记更正。")
    if not correction.is_open:
        raise ValidationError("该更正已经完成，不能再修改正文；如需修改请登记新的更正。")
    prose_changes = dict(correction.prose_changes)
    changed = []
    for number, text in sections.items():
        if number not in fmt.SECTION_BY_NUMBER:
            raise ValidationError(f"没有第{number}部分。")
        text = (text or "").replace("\r\n", "\n").strip()
        if not text:
            # 条例第五十条: a published report keeps its six sections.
            raise ValidationError(f"「{fmt.SECTION_BY_NUMBER[number].title}」不能为空。")
        current = getattr(report, f"section_{number}")
        if text == current:
            continue
        before = prose_changes.get(str(number), [current, None])[0]
        if text == before:
            prose_changes.pop(str(number), None)  # edited back to the published text
        else:
            prose_changes[str(number)] = [before, text]
        setattr(report, f"section_{number}", text)
        changed.append(number)
    if changed:
        correction.prose_changes = prose_changes
        correction.save(update_fields=["prose_changes"])
        report.save()
        audit_record(
            actor=acting_user,
            organization=report.organization,
            verb="report.correction_prose",
            obj=report,
            comment=correction.reason,
            data={"sections": changed},
        )
    return correction


@transaction.atomic
def report_correction_record(
    *,
    report: AnnualReport,
    reason: str,
    acting_user,
    change: Callable[[], T],
    now: datetime,
) -> tuple[ReportCorrection, T]:
    """Open a correction, run ``change()`` (service calls that alter the records),
    close it: one transaction, so a failing change leaves no trace."""
    correction = report_correction_open(
        report=report, reason=reason, acting_user=acting_user, now=now
    )
    with corrections_open({(report.organization_id, report.year)}):
        result = change()
    return report_correction_close(correction=correction, acting_user=acting_user, now=now), result


# --- import of earlier reports ---------------------------------------------------------------------


def _normalize_name(name: str | None) -> str:
    return "".join((name or "").split())


def _names_match(file_name: str | None, organization: Organization) -> bool:
    found = _normalize_name(file_name)
    return bool(found) and found in {
        _normalize_name(organization.name),
        _normalize_name(organization.short_name),
    } - {""}


@transaction.atomic
def report_import(
    *,
    organization: Organization,
    year: int | None,
    data: bytes,
    filename: str,
    acting_user,
    now: datetime,
    published_on: date | None = None,
    name_confirmed: bool = False,
    from_command_line: bool = False,
) -> AnnualReport:
    """Bring in an earlier report (text, HTML, DOCX, PDF, JSON, XLSX) that the body
    published elsewhere: cells and prose stored, the original file kept.

    The import is a record, not a publication: it is allowed only for a year that
    has ended and has no report on the platform, the file's body name must be this
    body's (or ``name_confirmed``, which the audit row records), and it waits,
    ``submitted``, until a 审批领导 other than the importer confirms it
    (:func:`report_confirm_import`) — only then is it public.

    ``from_command_line``: the server operator runs ``gongkai report import``
    (shell access to the installation); no user role is checked then."""
    if not from_command_line:
        _need(perms.can_import(acting_user, organization), "您没有导入年度报告的权限。")
    today = timezone.localdate(now)
    if len(data) > int(settings.UPLOAD_MAX_BYTES):
        raise ValidationError("文件过大，超过上传上限。")
    try:
        parsed = read_bytes(data, name=filename)
    except ReadError as exc:
        raise ValidationError(f"文件无法读取：{exc}") from exc
    year = year or parsed.year
    if not year:
        raise ValidationError("无法从文件中识别报告年度，请填写年度。")
    # 条例第四十九条: a report covers a finished year and is published after it.
    if year >= today.year:
        raise ValidationError(
            f"{year}年度尚未结束，不能导入该年度的报告（年度报告在次年公布，条例第四十九条）。"
        )
    if year < 2008:
        raise ValidationError("《政府信息公开条例》2008年起施行，没有更早年度的年度报告。")
    if parsed.year and parsed.year != year:
        raise ValidationError(f"文件是{parsed.year}年度的报告，与所填年度{year}不一致。")
    if not parsed.cells and not parsed.sections:
        raise ValidationError("文件中没有识别到年度报告的表格或章节，未导入。")
    when = published_on or date(year + 1, 1, 1)
    if not date(year + 1, 1, 1) <= when <= today:
        raise ValidationError(
            f"公布日期应在{year + 1}年1月1日至今天（{today:%Y-%m-%d}）之间，所填为{when:%Y-%m-%d}。"
        )
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(f"{organization.name}{year}年度已有年度报告，未导入。")
    name_matches = _names_match(parsed.organization, organization)
    if not name_matches and not name_confirmed:
        found = (
            f"文件中的机关名称为「{parsed.organization}」"
            if parsed.organization
            else "文件中没有识别到机关名称"
        )
        raise ValidationError(
            f"{found}，与本机关「{organization.name}」不一致，未导入。"
            "如确属本机关的报告（例如机关更名），请确认机关名称后重新导入；确认将记入审计记录。",
            code="name_mismatch",
        )
    # The reader above is the content check; the original is kept byte for byte
    # under a random name and only ever sent back as an attachment.
    path = default_storage.save(
        f"{organization.pk}/annual-reports/{year}/{secrets.token_hex(16)}.bin",
        ContentFile(data),
    )
    report = AnnualReport(
        organization=organization,
        year=year,
        status=Status.SUBMITTED,
        source=Source.IMPORTED,
        cells=cells_to_json(parsed.cells),
        published_cells=cells_to_json(parsed.cells),
        source_published_on=when,
        submitted_at=now,
        submitted_by=acting_user,
        source_path=path,
        source_name=filename[:255],
        source_format=parsed.source_format or "",
        created_by=acting_user,
        last_edited_by=acting_user,
    )
    for number, section in parsed.sections.items():
        setattr(report, f"section_{number}", section.text)
    report.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="report.import",
        obj=report,
        to_state=report.status,
        data={
            "file": filename,
            "cells": len(parsed.cells),
            "sections": sorted(parsed.sections),
            "published_on": when.isoformat(),
            "file_organization": parsed.organization or "",
            # True only when the names differed and the importer confirmed anyway.
            "name_confirmed": not name_matches,
            "from_command_line": from_command_line,
        },
    )
    return report


@transaction.atomic
def report_confirm_import(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """审批领导 confirms an imported report: it becomes public with the date the body
    originally published it.  Never the importer (no one person publishes alone)."""
    report = _lock(report)
    _need(
        perms.can_approve(acting_user, report.organization), "只有审批领导可以确认导入的年度报告。"
    )
    old, new = _transition(report, "confirm")
    _need(
        acting_user.pk not in {report.created_by_id, report.submitted_by_id},
        "不能确认自己导入的年度报告，请由另一位审批领导确认。",
    )
    when = report.source_published_on or date(report.year + 1, 1, 1)
    report.status = new
    report.approved_at = now
    report.approved_by = acting_user
    report.published_at = timezone.make_aware(datetime.combine(when, datetime.min.time()))
    report.published_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.import_confirm",
        obj=report,
        from_state=old,
        to_state=new,
        data={"published_on": when.isoformat()},
    )
    return report


@transaction.atomic
def report_reject_import(*, report: AnnualReport, comment: str, acting_user) -> None:
    """审批领导 rejects an imported report that waits for confirmation (wrong file,
    wrong body): the import and its stored file are removed, the audit row stays."""
    report = _lock(report)
    _need(
        perms.can_approve(acting_user, report.organization), "只有审批领导可以退回导入的年度报告。"
    )
    old, _ = _transition(report, "reject")
    if not (comment or "").strip():
        raise ValidationError("退回导入时请填写理由。")
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.import_reject",
        obj=report,
        from_state=old,
        comment=comment.strip(),
        data={"file": report.source_name, "year": report.year},
    )
    path = report.source_path
    report.delete()
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


# --- supervision settings ----------------------------------------------------------------------------


@transaction.atomic
def supervision_settings_save(
    *, organization: Organization, town_month: int, town_day: int, weights: dict, acting_user
) -> SupervisionSettings:
    _need(perms.can_configure_supervision(acting_user, organization), "只有管理员可以修改设置。")
    obj, _ = SupervisionSettings.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = {"month": obj.town_deadline_month, "day": obj.town_deadline_day}
    obj.town_deadline_month = town_month
    obj.town_deadline_day = town_day
    obj.indicator_weights = weights
    obj.save()
    audit_record(
        actor=acting_user,
        organization=organization,
        verb="report.settings",
        obj=obj,
        data={
            "before": before,
            "after": {"month": town_month, "day": town_day},
            "weights": weights,
        },
    )
    return obj
