"""Every write to annual reports: draft, prose, workflow, publication, import, corrections.

Each state change is a step of ``workflow.REPORT`` (or ``IMPORTED_REPORT`` for an
imported report) taken through :func:`gongkai.core.transition.transition`: the
row locked, the role checked, then the state, then the step's own checks, the
change and one audit row (who, when, from -> to).  A refused role is
:class:`~gongkai.core.errors.Forbidden` (a 403 in the back office), any other
refusal :class:`~gongkai.core.errors.Invalid`.  Every service takes ``now`` (the
audit rows and the stamps come from it); it defaults to the current time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.writers import write
from gongkai.audit.services import audit_record
from gongkai.core.errors import Forbidden, Invalid, WrongState, require
from gongkai.core.transition import lock, transition
from gongkai.jobs import defer
from gongkai.organizations.models import Organization

from . import permissions as perms
from .documents import DOCUMENT_FORMATS, documents_digest, stored_name
from .lock import corrections_open
from .models import (
    SECTION_FIELDS,
    AnnualReport,
    ReportCorrection,
    ReportDocument,
    Source,
    Status,
    SupervisionSettings,
)
from .prose import generate_sections
from .selectors import (
    cells_from_json,
    cells_to_json,
    previous_report,
    prose_facts,
    report_compute,
    report_findings,
    report_of,
)
from .workflow import refusal_for, table_for

T = TypeVar("T")

Refusal = Callable[[AnnualReport], "str | None"]


def _lock(report: AnnualReport) -> AnnualReport:
    return lock(report, related=("organization",))


def _role(allowed: Callable[[AnnualReport], bool], message: str) -> Refusal:
    """A transition guard: ``message`` unless ``allowed(locked report)``."""
    return lambda report: None if allowed(report) else message


def _step(
    report: AnnualReport, action: str, *, acting_user, now: datetime, guard: Refusal, **kw
) -> AnnualReport:
    """Take ``action`` on ``report`` through the table of its source (``workflow``).

    An action only the other table has (confirming a report made here, submitting
    an imported one) is refused like a state that does not allow it — after the
    role, as every step is."""
    table = table_for(report.source)
    if action in table:
        return transition(
            report,
            action,
            table=table,
            actor=acting_user,
            now=now,
            guard=guard,
            related=("organization",),
            **kw,
        )
    with transaction.atomic():
        report = _lock(report)
        refusal = guard(report)
        if refusal is not None:
            raise Forbidden(refusal)
        raise WrongState(
            refusal_for(report.source, report.status, action), state=report.status, action=action
        )


# --- draft -----------------------------------------------------------------------------------


@transaction.atomic
def report_start(
    *,
    organization: Organization,
    year: int,
    acting_user,
    today: date,
    now: datetime | None = None,
) -> AnnualReport:
    """Create the year's draft with prose generated from the records.  ``now``
    (default: the wall clock) stamps the audit row, e.g. the demo's own dates."""
    now = now or timezone.now()
    require(perms.can_edit(acting_user, organization), "您在该机关没有编写年度报告的权限。")
    if year > today.year or year < 2008:
        raise Invalid(f"不能为{year}年度编写年度报告。")
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise Invalid(f"{organization.name}{year}年度的年度报告已经存在。")
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
        at=now,
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
def report_regenerate(
    *, report: AnnualReport, acting_user, now: datetime | None = None
) -> AnnualReport:
    """Replace the prose by a freshly generated draft (the clerk asked for it)."""
    now = now or timezone.now()
    report = _lock(report)
    require(perms.can_edit(acting_user, report.organization), "您没有编写年度报告的权限。")
    if not report.is_editable:
        raise Invalid("只有草稿状态的报告可以重新生成正文。")
    _fill_generated(report)
    report.last_edited_by = acting_user
    report.save()
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.regenerate",
        obj=report,
        at=now,
    )
    return report


@transaction.atomic
def report_update_prose(
    *, report: AnnualReport, sections: dict[int, str], acting_user, now: datetime | None = None
) -> AnnualReport:
    """Change the draft's prose; the editor becomes ``last_edited_by`` (who may then
    not approve it).  ``now`` (default: the wall clock) stamps the audit row."""
    now = now or timezone.now()
    report = _lock(report)
    require(perms.can_edit(acting_user, report.organization), "您没有编写年度报告的权限。")
    if not report.is_editable:
        raise Invalid(
            f"报告当前状态为「{report.get_status_display()}」，不能修改正文；如需修改请先退回。"
        )
    changed = []
    for number, text in sections.items():
        if number not in fmt.SECTION_BY_NUMBER:
            raise Invalid(f"没有第{number}部分。")
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
            at=now,
        )
    return report


# --- workflow ----------------------------------------------------------------------------------


def _error_findings(report: AnnualReport, *, today: date, cells) -> list:
    _, findings = report_findings(report, today=today, cells=cells)
    return [f for f in findings if f.severity == ERROR]


@transaction.atomic
def report_submit(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """经办人 submits: the computed tables are frozen; refused while the checker finds errors.
    ``now`` is the one clock: the year check and ``submitted_at`` both come from it."""

    def freeze(report: AnnualReport) -> None:
        today = timezone.localdate(now)
        # 条例第四十九条: the report covers a finished year.  A draft may be prepared
        # during the year (its tables follow the records); it goes to review afterwards.
        if today < date(report.year + 1, 1, 1):
            raise Invalid(
                f"{report.year}年度尚未结束：草稿可以先准备，"
                f"{report.year + 1}年1月1日以后才能提交审核和公布（条例第四十九条）。"
            )
        computed = report_compute(organization=report.organization, year=report.year).cells
        errors = _error_findings(report, today=today, cells=computed)
        if errors:
            raise Invalid(
                [f"检查发现{len(errors)}个错误，请先修改后再提交："]
                + [
                    f.message
                    + (f"（{f.location}）" if f.location and f.location not in f.message else "")
                    for f in errors[:5]
                ]
            )
        report.cells = cells_to_json(computed)

    return _step(
        report,
        "submit",
        acting_user=acting_user,
        now=now,
        guard=_role(
            lambda r: perms.can_submit(acting_user, r.organization), "您没有提交年度报告的权限。"
        ),
        change=freeze,
        return_comment="",
        submitted_by=acting_user,
    )


@transaction.atomic
def report_return(
    *, report: AnnualReport, comment: str, acting_user, now: datetime | None = None
) -> AnnualReport:
    """Back to the clerk (草稿) with the reviewer's comment; the frozen cells are dropped."""
    now = now or timezone.now()
    comment = (comment or "").strip()

    def needs_comment(report: AnnualReport) -> None:
        if not comment:
            raise Invalid("退回时请填写退回意见。")

    return _step(
        report,
        "return",
        acting_user=acting_user,
        now=now,
        guard=_role(lambda r: perms.can_return(acting_user, r), "您没有退回年度报告的权限。"),
        change=needs_comment,
        comment=comment,
        return_comment=comment,
        cells={},
    )


@transaction.atomic
def report_approve(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """审批领导 approves; never the person who submitted the report or last changed its
    prose (no one person publishes alone)."""

    def separation_of_duties(report: AnnualReport) -> None:
        require(
            report.submitted_by_id != acting_user.pk,
            "不能审批自己提交的年度报告，请由另一位审批领导审批。",
        )
        require(
            perms.last_editor_id(report) != acting_user.pk,
            "不能审批自己修改过正文的年度报告，请由另一位审批领导审批。",
        )

    return _step(
        report,
        "approve",
        acting_user=acting_user,
        now=now,
        guard=_role(
            lambda r: perms.can_approve(acting_user, r.organization),
            "只有审批领导可以审批年度报告。",
        ),
        change=separation_of_duties,
        approved_by=acting_user,
    )


@transaction.atomic
def report_publish(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """Publish the approved cells unchanged and lock the year (lock.py); refused when
    the records no longer give the approved figures."""

    def publish_approved_cells(report: AnnualReport) -> None:
        today = timezone.localdate(now)
        # 条例第四十九条: the report covers a finished year.
        if today.year <= report.year:
            raise Invalid(f"{report.year}年度尚未结束，不能公布该年度的年度报告。")
        # What is published is what was submitted, checked and approved: if the records
        # behind it changed since, the figures go back through submission and review.
        computed = report_compute(organization=report.organization, year=report.year).cells
        if cells_to_json(computed) != report.cells:
            raise Invalid("记录在提交后有变化，请退回重新提交。")
        report.published_cells = report.cells

    report = _step(
        report,
        "publish",
        acting_user=acting_user,
        now=now,
        guard=_role(
            lambda r: perms.can_publish(acting_user, r.organization), "您没有公布年度报告的权限。"
        ),
        change=publish_approved_cells,
        published_by=acting_user,
    )
    documents_defer(report)
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
    require(
        perms.can_correct(acting_user, report.organization), "只有审批领导或管理员可以登记更正。"
    )
    if not report.is_published:
        raise Invalid("只有已公布的年度报告需要登记更正。")
    if not (reason or "").strip():
        raise Invalid("请填写更正理由。")
    if report.corrections.filter(recorded_at__isnull=True).exists():
        raise Invalid("该报告已有一项未完成的更正，请先完成。")
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
        at=now,
    )
    return correction


@transaction.atomic
def report_correction_close(
    *, correction: ReportCorrection, acting_user, now: datetime
) -> ReportCorrection:
    """Close: store the cells that changed, update the published report's figures
    (an imported report keeps the figures of its file) and put the corrected prose
    in place — from now on the public page shows it, with the 更正说明.

    No one person publishes alone (review of issue #9): closing needs a 审批领导,
    and not the person who last changed the correction's prose
    (``permissions.correction_close_refusal``, the rule of ``report_approve``)."""
    correction = lock(correction)
    report = _lock(correction.report)
    correction.report = report
    if not correction.is_open:
        raise Invalid("该更正已经完成。")
    refusal = perms.correction_close_refusal(acting_user, correction)
    require(not refusal, refusal)
    prose_editor = report.last_edited_by if correction.prose_changes else None
    if report.is_imported:
        # An imported report's figures are those of its file, not of the platform's
        # records: the correction records its prose changes only; the cells stay.
        correction.changes = {}
    else:
        after = report_compute(organization=report.organization, year=report.year).cells
        correction.changes = _changes(cells_from_json(correction.cells_before), after)
        report.cells = cells_to_json(after)
    for number, (_, after) in correction.prose_changes.items():
        setattr(report, f"section_{int(number)}", after)
    correction.recorded_by = acting_user
    correction.recorded_at = now
    correction.save()
    report.save(update_fields=["cells", *SECTION_FIELDS, "updated_at"])
    audit_record(
        actor=acting_user,
        organization=report.organization,
        verb="report.correct",
        obj=report,
        comment=correction.reason,
        data={
            "changes": correction.changes,
            "prose": sorted(correction.prose_changes, key=int),
            "prose_edited_by": prose_editor.get_username() if prose_editor else None,
        },
        at=now,
    )
    # The kept downloads show the figures and prose as published before: make them
    # again (until then the views make them on the fly: their digest no longer matches).
    documents_defer(report)
    return correction


def correction_texts(correction: ReportCorrection) -> dict[int, str]:
    """The report's prose as the open ``correction`` would leave it: the published
    text with the correction's pending changes (for the edit form)."""
    texts = correction.report.section_texts()
    for number, (_, after) in correction.prose_changes.items():
        texts[int(number)] = after
    return texts


@transaction.atomic
def report_correction_update_prose(
    *,
    correction: ReportCorrection,
    sections: dict[int, str],
    acting_user,
    now: datetime | None = None,
) -> ReportCorrection:
    """Correct the published prose as part of an open correction (e.g. a figure the
    corrected tables no longer support).  The correction keeps, per section, the
    published text and the corrected text; the report itself — and so the public
    page — keeps the published text until another 审批领导 closes the correction
    (:func:`report_correction_close`).  The editor becomes the report's
    ``last_edited_by``.  ``now`` (default: the wall clock) stamps the audit row."""
    now = now or timezone.now()
    correction = lock(correction)
    report = _lock(correction.report)
    require(
        perms.can_correct(acting_user, report.organization), "只有审批领导或管理员可以登记更正。"
    )
    if not correction.is_open:
        raise Invalid("该更正已经完成，不能再修改正文；如需修改请登记新的更正。")
    prose_changes = dict(correction.prose_changes)
    changed = []
    for number, text in sections.items():
        if number not in fmt.SECTION_BY_NUMBER:
            raise Invalid(f"没有第{number}部分。")
        text = (text or "").replace("\r\n", "\n").strip()
        if not text:
            # 条例第五十条: a published report keeps its six sections.
            raise Invalid(f"「{fmt.SECTION_BY_NUMBER[number].title}」不能为空。")
        published = getattr(report, f"section_{number}")
        pending = prose_changes.get(str(number), [published, published])[1]
        if text == pending:
            continue
        if text == published:
            prose_changes.pop(str(number), None)  # edited back to the published text
        else:
            prose_changes[str(number)] = [published, text]
        changed.append(number)
    if changed:
        correction.prose_changes = prose_changes
        correction.save(update_fields=["prose_changes"])
        report.last_edited_by = acting_user
        report.save(update_fields=["last_edited_by", "updated_at"])
        audit_record(
            actor=acting_user,
            organization=report.organization,
            verb="report.correction_prose",
            obj=report,
            comment=correction.reason,
            data={"sections": changed},
            at=now,
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
        require(perms.can_import(acting_user, organization), "您没有导入年度报告的权限。")
    today = timezone.localdate(now)
    if len(data) > int(settings.UPLOAD_MAX_BYTES):
        raise Invalid("文件过大，超过上传上限。")
    try:
        parsed = read_bytes(data, name=filename)
    except ReadError as exc:
        raise Invalid(f"文件无法读取：{exc}") from exc
    year = year or parsed.year
    if not year:
        raise Invalid("无法从文件中识别报告年度，请填写年度。")
    # 条例第四十九条: a report covers a finished year and is published after it.
    if year >= today.year:
        raise Invalid(
            f"{year}年度尚未结束，不能导入该年度的报告（年度报告在次年公布，条例第四十九条）。"
        )
    if year < 2008:
        raise Invalid("《政府信息公开条例》2008年起施行，没有更早年度的年度报告。")
    if parsed.year and parsed.year != year:
        raise Invalid(f"文件是{parsed.year}年度的报告，与所填年度{year}不一致。")
    if not parsed.cells and not parsed.sections:
        raise Invalid("文件中没有识别到年度报告的表格或章节，未导入。")
    when = published_on or date(year + 1, 1, 1)
    if not date(year + 1, 1, 1) <= when <= today:
        raise Invalid(
            f"公布日期应在{year + 1}年1月1日至今天（{today:%Y-%m-%d}）之间，所填为{when:%Y-%m-%d}。"
        )
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise Invalid(f"{organization.name}{year}年度已有年度报告，未导入。")
    name_matches = _names_match(parsed.organization, organization)
    if not name_matches and not name_confirmed:
        found = (
            f"文件中的机关名称为「{parsed.organization}」"
            if parsed.organization
            else "文件中没有识别到机关名称"
        )
        raise Invalid(
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
        at=now,
    )
    return report


@transaction.atomic
def report_confirm_import(*, report: AnnualReport, acting_user, now: datetime) -> AnnualReport:
    """审批领导 confirms an imported report: it becomes public with the date the body
    originally published it.  Never the importer (no one person publishes alone)."""

    def original_date(report: AnnualReport) -> date:
        return report.source_published_on or date(report.year + 1, 1, 1)

    def publish_as_of_the_original(report: AnnualReport) -> None:
        require(
            acting_user.pk not in {report.created_by_id, report.submitted_by_id},
            "不能确认自己导入的年度报告，请由另一位审批领导确认。",
        )
        when = original_date(report)
        report.published_at = timezone.make_aware(datetime.combine(when, datetime.min.time()))

    report = _step(
        report,
        "confirm",
        acting_user=acting_user,
        now=now,
        guard=_role(
            lambda r: perms.can_approve(acting_user, r.organization),
            "只有审批领导可以确认导入的年度报告。",
        ),
        change=publish_as_of_the_original,
        audit_data=lambda r: {"published_on": original_date(r).isoformat()},
        approved_by=acting_user,
        published_by=acting_user,
    )
    documents_defer(report)
    return report


@transaction.atomic
def report_reject_import(
    *, report: AnnualReport, comment: str, acting_user, now: datetime | None = None
) -> None:
    """审批领导 rejects an imported report that waits for confirmation (wrong file,
    wrong body): the import and its stored file are removed, the audit row stays."""
    now = now or timezone.now()
    comment = (comment or "").strip()

    def needs_reason(report: AnnualReport) -> None:
        if not comment:
            raise Invalid("退回导入时请填写理由。")

    removed = _step(
        report,
        "reject",
        acting_user=acting_user,
        now=now,
        guard=_role(
            lambda r: perms.can_approve(acting_user, r.organization),
            "只有审批领导可以退回导入的年度报告。",
        ),
        change=needs_reason,
        comment=comment,
        audit_data=lambda r: {"file": r.source_name, "year": r.year},
    )
    path = removed.source_path
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


# --- the published report's downloads, kept in storage (documents.py) -------------------------------

GENERATE_DOCUMENTS = "reports.generate_documents"


def documents_defer(report: AnnualReport) -> None:
    """Make ``report``'s downloads in the background once the caller's transaction
    commits (never after a rollback): the ``reports.generate_documents`` job."""
    defer(GENERATE_DOCUMENTS, report_id=report.pk)


def report_documents_generate(*, report_id: int, now: datetime | None = None) -> list[str]:
    """Write each download format (``DOCUMENT_FORMATS``) of the published report
    ``report_id`` into default storage under a content-addressed name and record it
    (one :class:`ReportDocument` per format); return the formats written.

    Idempotent: a format whose kept file already has the report's current digest
    (and is still in storage) is left alone, so a second run writes nothing and the
    report keeps one set of files.  A format made from older content is written
    again and its old file removed once the new row is committed.  Safe to retry:
    the report row is locked for the run (a second run waits, then finds the work
    done), the rows change in one transaction, and a file left by a run that failed
    before committing has the name the retry writes, so the retry replaces it
    instead of leaving a copy.  A report that is not (or no longer) published: [].
    """
    now = now or timezone.now()
    written: list[str] = []
    replaced: list[str] = []
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(pk=report_id, status=Status.PUBLISHED)
            .first()
        )
        if report is None:
            return []
        model = report_of(report)
        digest = documents_digest(model)
        kept = {doc.format: doc for doc in ReportDocument.objects.filter(report=report)}
        for to in DOCUMENT_FORMATS:
            doc = kept.get(to) or ReportDocument(report=report, format=to)
            if doc.digest == digest and doc.path and default_storage.exists(doc.path):
                continue
            data = write(model, to)
            name = stored_name(report, digest, to)
            if default_storage.exists(name):
                default_storage.delete(name)  # left by a run that did not commit
            path = default_storage.save(name, ContentFile(data))
            if doc.path and doc.path != path:
                replaced.append(doc.path)
            doc.digest, doc.path, doc.size, doc.generated_at = digest, path, len(data), now
            doc.save()
            written.append(to)

        def remove_replaced() -> None:
            for old in replaced:
                default_storage.delete(old)

        # robust: a file that cannot be removed is logged, the new set stays recorded.
        transaction.on_commit(remove_replaced, robust=True)
    return written


# --- supervision settings ----------------------------------------------------------------------------


@transaction.atomic
def supervision_settings_save(
    *,
    organization: Organization,
    town_month: int,
    town_day: int,
    weights: dict,
    acting_user,
    now: datetime | None = None,
) -> SupervisionSettings:
    now = now or timezone.now()
    require(perms.can_configure_supervision(acting_user, organization), "只有管理员可以修改设置。")
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
        at=now,
    )
    return obj
