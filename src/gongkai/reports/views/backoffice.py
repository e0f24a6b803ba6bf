"""Back-office views of a body's annual reports: parse, check permission, call one
service, render or redirect."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.annual import format as fmt
from gongkai.annual.model import ERROR
from gongkai.annual.rules import TEXT_VS_TABLE
from gongkai.audit.selectors import events_for
from gongkai.core.audit_verbs import describe
from gongkai.core.responses import add_errors, message_errors
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import download_response

from .. import permissions as perms
from .. import services
from ..forms import CorrectionOpenForm, ImportForm, ImportRejectForm, ProseForm, ReturnForm
from ..models import AnnualReport, Status
from ..selectors import findings_by_cell, records_for_cell, report_findings
from ..tables import build_tables
from ..workflow import table_for
from .downloads import DOWNLOAD_FORMATS, report_file_response


def _history(report: AnnualReport) -> list:
    """The audit rows, for people: real names, the verbs' and states' Chinese labels
    (``core.audit_verbs``: ``workflow.py`` declares them)."""
    events = list(events_for(report))
    for e in events:
        described = describe(e)
        e.verb_label = described.label
        if e.actor is not None:
            e.actor_name = e.actor.get_full_name() or e.actor.get_username()
        else:
            e.actor_name = e.actor_repr or "系统"
        e.from_label = described.from_label
        e.to_label = described.to_label
    return events


@dataclass(frozen=True)
class StepButton:
    """One step of the report's workflow as the detail page offers it: a button
    (``confirm``: the question asked first) or, for a step that needs a comment,
    a folded form under ``summary``."""

    action: str
    label: str
    confirm: str = ""
    summary: str = ""
    form: forms.Form | None = None


# What the page adds to a step's label (workflow.py): the question before a step
# that makes the report public, the fold and form of a step that needs a comment.
STEP_PAGE = {
    "confirm": {"confirm": "确认后报告将以原公布日期在门户网站上公开，确定吗？"},
    "publish": {"confirm": "公布后年度数据将被锁定，确定公布吗？"},
    "return": {"summary": "退回经办人", "form": ReturnForm},
    "reject": {"summary": "退回导入（删除该导入记录，可重新导入）", "form": ImportRejectForm},
}


def _steps(user, report: AnnualReport) -> list[StepButton]:
    """The steps the report's state allows (its source's table, in declared order)
    that ``user`` may take."""
    steps = []
    for step in table_for(report.source).allowed(report.status):
        if not perms.may(user, report, step.action):
            continue
        page = STEP_PAGE.get(step.action, {})
        form = page.get("form")
        steps.append(
            StepButton(
                action=step.action,
                label=step.label,
                confirm=page.get("confirm", ""),
                summary=page.get("summary", ""),
                form=form() if form else None,
            )
        )
    return steps


def _post_only(view):
    """A button's URL opened with GET (a bookmark, a reload, a pasted link): instead of a
    blank 405, back to the page that has the button, with a message."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            messages.info(request, "该操作须通过页面上的按钮提交，已返回年度报告页面。")
            if "year" in kwargs:
                return redirect("reports:report_detail", year=kwargs["year"])
            return redirect("reports:report_list")
        return view(request, *args, **kwargs)

    return wrapper


def _report(request, year: int) -> AnnualReport:
    report = (
        AnnualReport.objects.filter(organization=request.organization, year=year)
        .select_related("organization")
        .first()
    )
    if report is None:
        raise Http404("没有该年度的年度报告。")
    return report


@backoffice_view()
def report_list(request):
    org = request.organization
    today = timezone.localdate()
    reports = list(AnnualReport.objects.filter(organization=org).order_by("-year"))
    have = {r.year for r in reports}
    startable = [y for y in (today.year - 1, today.year) if y not in have]
    return render(
        request,
        "reports/list.html",
        {
            "reports": reports,
            "startable": startable if perms.can_edit(request.user, org) else [],
            "can_import": perms.can_import(request.user, org),
            "can_supervise": perms.can_supervise(request.user, org),
        },
    )


@backoffice_view()
@_post_only
def report_start(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "请选择年度。")
        return redirect("reports:report_list")
    now = timezone.now()
    try:
        services.report_start(
            organization=request.organization,
            year=year,
            acting_user=request.user,
            today=timezone.localdate(now),
            now=now,
        )
    except ValidationError as exc:
        message_errors(request, exc, joined="")
        return redirect("reports:report_list")
    messages.success(request, f"已根据本机关的记录生成{year}年度报告草稿，请修改正文。")
    return redirect("reports:report_detail", year=year)


@backoffice_view()
def report_detail(request, year: int):
    report = _report(request, year)
    org = report.organization
    today = timezone.localdate()
    model, findings = report_findings(report, today=today)
    by_cell = findings_by_cell(findings)
    errors = [f for f in findings if f.severity == ERROR]
    if request.GET.get("check"):
        if findings:
            messages.warning(
                request,
                f"检查完成：{len(errors)}个错误，{len(findings) - len(errors)}个警告，见下方「检查结果」。",
            )
        else:
            messages.success(request, "检查完成：未发现问题。")
    user = request.user
    sections = [(s, getattr(report, f"section_{s.number}")) for s in fmt.SECTIONS]
    corrections = list(report.corrections.select_related("opened_by", "recorded_by"))
    # After a correction changed the figures, the prose may still quote the old ones.
    prose_mismatch = [f for f in findings if f.code == TEXT_VS_TABLE]
    corrected_figures = any(c.changes for c in corrections)
    allowed = {step.action for step in table_for(report.source).allowed(report.status)}
    pending_import = report.is_imported and "confirm" in allowed
    # Separation of duties: the approver is never the one who submitted the report,
    # last changed its prose or imported it.
    approver_is_author = perms.can_approve(user, org) and perms.is_author(user, report)
    steps = _steps(user, report)
    open_correction = next((c for c in corrections if c.is_open), None)
    # Closing a correction publishes it: a 审批领导 other than its last prose editor.
    # Those who take part see why they cannot, instead of the button.
    close_refusal = ""
    if open_correction is not None:
        open_correction.report = report
        close_refusal = perms.correction_close_refusal(user, open_correction)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "tables": build_tables(model.cells, by_cell),
            "findings": findings,
            "errors": errors,
            "sections": sections,
            "live": not report.cells and not report.is_imported,
            "corrections": corrections,
            "open_correction": open_correction,
            "can_close_correction": open_correction is not None and not close_refusal,
            "correction_close_refusal": close_refusal
            if perms.can_correct(user, org) or perms.can_approve(user, org)
            else "",
            "prose_warning": report.is_published and corrected_figures and bool(prose_mismatch),
            "prose_mismatch": prose_mismatch,
            "history": _history(report),
            "can_edit": report.is_editable and perms.can_edit(user, org),
            # The author-approver is told why the approve / confirm button is missing.
            "approver_is_author": approver_is_author and bool({"approve", "confirm"} & allowed),
            "buttons": [s for s in steps if s.form is None],
            "form_steps": [s for s in steps if s.form is not None],
            "pending_import": pending_import,
            "can_correct": report.is_published and perms.can_correct(user, org),
            "correction_form": CorrectionOpenForm(),
            "formats": DOWNLOAD_FORMATS,
        },
    )


@backoffice_view()
def report_edit(request, year: int):
    report = _report(request, year)
    if not perms.can_edit(request.user, report.organization):
        raise PermissionDenied("您没有编写年度报告的权限。")
    if not report.is_editable:
        messages.error(request, "只有草稿状态的报告可以修改正文。")
        return redirect("reports:report_detail", year=year)
    if request.method == "POST":
        form = ProseForm(request.POST)
        if form.is_valid():
            try:
                services.report_update_prose(
                    report=report,
                    sections=form.sections(),
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "正文已保存。")
                return redirect("reports:report_detail", year=year)
    else:
        form = ProseForm(initial={f"section_{n}": t for n, t in report.section_texts().items()})
    return render(request, "reports/edit.html", {"report": report, "form": form})


@backoffice_view()
@_post_only
def report_regenerate(request, year: int):
    report = _report(request, year)
    try:
        services.report_regenerate(report=report, acting_user=request.user, now=timezone.now())
    except ValidationError as exc:
        message_errors(request, exc, joined="")
    else:
        messages.success(request, "已根据最新记录重新生成正文草稿。")
    return redirect("reports:report_detail", year=year)


@backoffice_view()
@_post_only
def report_action(request, year: int, action: str):
    report = _report(request, year)
    now = timezone.now()
    try:
        if action == "submit":
            services.report_submit(report=report, acting_user=request.user, now=now)
            done = "已提交审核。"
        elif action == "approve":
            services.report_approve(report=report, acting_user=request.user, now=now)
            done = "已审批。"
        elif action == "confirm":
            services.report_confirm_import(report=report, acting_user=request.user, now=now)
            done = "已确认导入的报告，报告已在门户网站上公开。"
        elif action == "reject":
            form = ImportRejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, "退回导入时请填写理由。")
                return redirect("reports:report_detail", year=year)
            services.report_reject_import(
                report=report,
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
                now=now,
            )
            messages.success(request, f"已退回{year}年度导入的报告，导入记录已删除，可重新导入。")
            return redirect("reports:report_list")
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, "退回时请填写退回意见。")
                return redirect("reports:report_detail", year=year)
            services.report_return(
                report=report,
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
                now=now,
            )
            done = "已退回经办人修改。"
        elif action == "publish":
            services.report_publish(report=report, acting_user=request.user, now=now)
            done = "已公布，报告已在门户网站上公开。"
        else:
            raise Http404("未知操作。")
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("reports:report_detail", year=year)


@backoffice_view()
@_post_only
def correction_open(request, year: int):
    report = _report(request, year)
    form = CorrectionOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写更正理由。")
        return redirect("reports:report_detail", year=year)
    try:
        services.report_correction_open(
            report=report,
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        message_errors(request, exc, joined="")
    else:
        messages.success(
            request, f"已登记更正：现在可以修改{year}年度的记录，改完后请点「完成更正」。"
        )
    return redirect("reports:report_detail", year=year)


@backoffice_view()
@_post_only
def correction_close(request, year: int, pk: int):
    report = _report(request, year)
    correction = report.corrections.filter(pk=pk).first()
    if correction is None:
        raise Http404("没有该更正记录。")
    try:
        done = services.report_correction_close(
            correction=correction, acting_user=request.user, now=timezone.now()
        )
    except ValidationError as exc:
        message_errors(request, exc, joined="")
    else:
        messages.success(request, f"更正已完成，{len(done.changes)}个单元格有变化。")
    return redirect("reports:report_detail", year=year)


@backoffice_view()
def correction_prose(request, year: int, pk: int):
    """Edit the published prose as part of the open correction ``pk``."""
    report = _report(request, year)
    correction = report.corrections.filter(pk=pk).first()
    if correction is None:
        raise Http404("没有该更正记录。")
    if not perms.can_correct(request.user, report.organization):
        raise PermissionDenied("只有审批领导或管理员可以登记更正。")
    if not correction.is_open:
        messages.error(request, "该更正已经完成，不能再修改正文；如需修改请登记新的更正。")
        return redirect("reports:report_detail", year=year)
    if request.method == "POST":
        form = ProseForm(request.POST)
        if form.is_valid():
            try:
                services.report_correction_update_prose(
                    correction=correction,
                    sections=form.sections(),
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    "正文的更正已保存。另一位审批领导完成更正后，更正的正文才在门户网站公开，"
                    "并在更正说明中列出原文。",
                )
                return redirect("reports:report_detail", year=year)
    else:
        correction.report = report
        texts = services.correction_texts(correction)
        form = ProseForm(initial={f"section_{n}": t for n, t in texts.items()})
    return render(
        request,
        "reports/edit.html",
        {"report": report, "form": form, "correction": correction},
    )


@backoffice_view()
def cell_records(request, year: int, key: str):
    report = _report(request, year)
    try:
        records = records_for_cell(organization=report.organization, year=year, key=key)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return render(request, "reports/cell.html", {"report": report, "records": records})


@backoffice_view()
def report_download(request, year: int, to: str):
    if to not in DOWNLOAD_FORMATS:
        raise Http404("不支持的格式。")
    report = _report(request, year)
    model, findings = report_findings(report, today=timezone.localdate())
    return report_file_response(
        model,
        to,
        stem=f"{report.organization.slug}-{year}",
        findings=findings,
        published=report if report.status == Status.PUBLISHED else None,
    )


@backoffice_view()
def source_download(request, year: int):
    report = _report(request, year)
    if not report.source_path:
        raise Http404("该报告没有原始文件。")
    return download_response(report.source_path, report.source_name or "report")


@backoffice_view()
def report_import(request):
    org = request.organization
    if not perms.can_import(request.user, org):
        raise PermissionDenied("您没有导入年度报告的权限。")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.report_import(
                    organization=org,
                    year=form.cleaned_data["year"],
                    data=upload.read(),
                    filename=upload.name,
                    acting_user=request.user,
                    now=timezone.now(),
                    published_on=form.cleaned_data["published_on"],
                    name_confirmed=form.cleaned_data["name_confirmed"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已导入{report.year}年度报告，审批领导确认后才在门户网站上公开。",
                )
                return redirect("reports:report_detail", year=report.year)
    else:
        form = ImportForm()
    return render(request, "reports/import.html", {"form": form})
