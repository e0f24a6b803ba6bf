"""Back-office views of the body's reference data: catalogue, guide, normative
documents register, yearly figures, imports."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.annual.format import t2_keys
from gongkai.core.responses import add_errors, message_errors
from gongkai.platform.decorators import backoffice_view
from gongkai.uploads import UploadRejected, store_upload

from .. import imports, list_selectors, selectors, services
from ..forms import (
    CategoryForm,
    GuideForm,
    ImportDeclineForm,
    ImportUploadForm,
    NormativeDocumentForm,
    YearlyFiguresForm,
)
from ..models import Category, ImportJob, NormativeDocument, YearlyFigures
from ..permissions import (
    APPROVE_ROLES,
    MAINTAIN_ROLES,
    can_confirm_import,
    can_maintain,
)

# --- catalogue -----------------------------------------------------------------


@backoffice_view()
def catalogue(request):
    org = request.organization
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "tree": selectors.catalogue_tree(org),
            "can_maintain": can_maintain(request.user, org),
            "updated_at": list_selectors.catalogue_updated_at(org),
        },
    )


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def catalogue_seed(request):
    created = services.catalogue_seed(organization=request.organization, acting_user=request.user)
    if created:
        messages.success(request, f"已按标准目录添加 {created} 个类目。")
    else:
        messages.info(request, "标准目录的类目都已存在，没有添加新的类目。")
    return redirect("disclosure:catalogue")


@backoffice_view(*MAINTAIN_ROLES)
def category_edit(request, pk: int | None = None):
    org = request.organization
    category = get_object_or_404(Category.objects.filter(organization=org), pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category, organization=org)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.category_save(
                organization=org,
                acting_user=request.user,
                category=Category.objects.get(pk=pk) if pk else None,
                data=data,
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "类目已保存。")
            return redirect("disclosure:catalogue")
    return render(request, "disclosure/category_form.html", {"form": form, "category": category})


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def category_delete(request, pk: int):
    category = get_object_or_404(Category.objects.filter(organization=request.organization), pk=pk)
    try:
        services.category_delete(category=category, acting_user=request.user)
    except ValidationError as exc:
        message_errors(request, exc, joined="；")
    else:
        messages.success(request, "类目已删除。")
    return redirect("disclosure:catalogue")


# --- guide ---------------------------------------------------------------------


@backoffice_view()
def guide(request):
    org = request.organization
    current = selectors.guide_for(org)
    editable = can_maintain(request.user, org)
    form = GuideForm(request.POST or None, instance=current) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("您不能维护本机关的政府信息公开指南。")
        if form.is_valid():
            try:
                services.guide_update(
                    organization=org,
                    acting_user=request.user,
                    text=form.cleaned_data["text"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc, joined="；")
            else:
                messages.success(request, "指南已保存。")
                return redirect("disclosure:guide")
    return render(
        request,
        "disclosure/guide.html",
        {
            "guide": current,
            "form": form,
            "events": selectors.history_for(current) if current else [],
            "updated_this_year": bool(
                current and current.updated_at.year == timezone.localdate().year
            ),
        },
    )


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def guide_generate(request):
    services.guide_generate(
        organization=request.organization, acting_user=request.user, now=timezone.now()
    )
    messages.success(request, "已根据本机关的信息重新生成指南，请检查后按需修改。")
    return redirect("disclosure:guide")


# --- normative documents register ------------------------------------------------


def _year_param(request, default: int) -> int:
    """``?year=`` when it is a plausible year, else ``default``."""
    text = request.GET.get("year", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return default


@backoffice_view()
def register(request):
    org = request.organization
    today = timezone.localdate()
    year = _year_param(request, today.year)
    documents = list(
        NormativeDocument.objects.filter(organization=org).select_related("item", "replaced_by")
    )
    # What the page shows is derived from the dates, never the stored status alone.
    rows = [(d, d.state_on(today)) for d in documents]
    return render(
        request,
        "disclosure/register.html",
        {
            "rows": rows,
            "year": year,
            "counts": {
                "normative": selectors.normative_counts(org, year, "normative"),
                "regulation": selectors.normative_counts(org, year, "regulation"),
            },
            "can_maintain": can_maintain(request.user, org),
        },
    )


@backoffice_view(*MAINTAIN_ROLES)
def register_edit(request, pk: int | None = None):
    org = request.organization
    document = (
        get_object_or_404(NormativeDocument.objects.filter(organization=org), pk=pk) if pk else None
    )
    form = NormativeDocumentForm(request.POST or None, instance=document, organization=org)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.normative_document_save(
                organization=org,
                acting_user=request.user,
                document=NormativeDocument.objects.get(pk=pk) if pk else None,
                data=data,
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "已保存。")
            return redirect("disclosure:register")
    return render(request, "disclosure/register_form.html", {"form": form, "document": document})


# --- yearly figures ----------------------------------------------------------------


@backoffice_view()
def figures(request):
    org = request.organization
    editable = can_maintain(request.user, org)
    initial_year = _year_param(request, timezone.localdate().year - 1)
    existing = YearlyFigures.objects.filter(organization=org, year=initial_year).first()
    initial = {"year": initial_year, "licensing": 0, "penalty": 0, "coercion": 0, "fees": 0}
    if existing:
        initial.update(
            licensing=existing.licensing,
            penalty=existing.penalty,
            coercion=existing.coercion,
            fees=existing.fees,
        )
    form = YearlyFiguresForm(request.POST or None, initial=initial) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("您不能录入本机关的年度数据。")
        if form.is_valid():
            try:
                services.yearly_figures_save(
                    organization=org, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc, joined="；")
            else:
                messages.success(request, f"{form.cleaned_data['year']}年数据已保存。")
                return redirect("disclosure:figures")
    rows = YearlyFigures.objects.filter(organization=org).select_related("entered_by")
    return render(
        request,
        "disclosure/figures.html",
        {
            "form": form,
            "rows": rows,
            "table2": _table2_rows(org, initial_year),
            "table2_year": initial_year,
        },
    )


def _table2_rows(org, year: int) -> list[tuple[str, object]]:
    """Every table-2 key with its value, or None where nothing was entered (a blank)."""
    figures = selectors.table2_figures(org, year)
    return [(key, figures.get(key)) for key in t2_keys()]


# --- imports ---------------------------------------------------------------------------


@contextmanager
def _job_file(job: ImportJob):
    """The stored import file, opened for reading (streamed, never read whole here)."""
    try:
        handle = default_storage.open(job.path, "rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("导入文件已不存在，请重新上传。") from None
    with handle:
        yield handle


def _check(job: ImportJob, user) -> ImportJob:
    with _job_file(job) as handle:
        return imports.import_check(job=job, content=handle, acting_user=user, now=timezone.now())


def _pending_imports(org):
    """Imports of ``org`` that wait for a 审批领导's confirmation (they publish rows)."""
    return [
        job
        for job in ImportJob.objects.filter(
            organization=org, imported_at=None, declined_at=None, publishes__gt=0, error_count=0
        ).select_related("created_by")
        if job.awaits_confirmation
    ]


@backoffice_view(*MAINTAIN_ROLES)
def import_upload(request):
    org = request.organization
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            path = store_upload(file, organization=org, subdir="imports", allowed={"xlsx", "csv"})
        except UploadRejected as exc:
            form.add_error("file", exc)
        else:
            # The trial run happens once, here, with the job in one transaction;
            # the job page only shows its result.
            try:
                now = timezone.now()
                with default_storage.open(path, "rb") as handle, transaction.atomic():
                    job = services.import_job_create(
                        organization=org,
                        kind=form.cleaned_data["kind"],
                        path=path,
                        original_name=file.name,
                        acting_user=request.user,
                        now=now,
                    )
                    job = imports.import_check(
                        job=job, content=handle, acting_user=request.user, now=now
                    )
            except BaseException:
                default_storage.delete(path)  # no job refers to it
                raise
            return redirect("disclosure:import_job", pk=job.pk)
    return render(
        request,
        "disclosure/import_upload.html",
        {
            "form": form,
            "item_columns": imports.ITEM_COLUMNS,
            "catalogue_columns": imports.CATALOGUE_COLUMNS,
            "limits": imports.LIMITS_TEXT,
            "pending": _pending_imports(org),
        },
    )


@backoffice_view(*MAINTAIN_ROLES, *APPROVE_ROLES)
def import_job(request, pk: int):
    """GET: the stored trial run; POST: import everything or nothing (checked
    again), or (``action=decline``) an approver declines an import that publishes."""
    org = request.organization
    job = get_object_or_404(
        ImportJob.objects.filter(organization=org).select_related(
            "created_by", "imported_by", "declined_by"
        ),
        pk=pk,
    )
    if not (can_maintain(request.user, org) or can_confirm_import(request.user, job)):
        raise PermissionDenied("只有审批领导可以查看等待确认的导入。")
    decline_form = ImportDeclineForm(
        request.POST if request.POST.get("action") == "decline" else None
    )
    if request.method == "POST" and job.imported_at is None and job.declined_at is None:
        if request.POST.get("action") == "decline":
            if decline_form.is_valid():
                try:
                    imports.import_decline(
                        job=job,
                        acting_user=request.user,
                        reason=decline_form.cleaned_data["reason"],
                        now=timezone.now(),
                    )
                except ValidationError as exc:
                    message_errors(request, exc, joined="；")
                else:
                    messages.success(request, "已退回，上传人会看到您的理由。")
                    return redirect("disclosure:import_job", pk=job.pk)
        else:
            try:
                with _job_file(job) as handle:
                    report = imports.import_run(
                        job=job,
                        content=handle,
                        file_kind=job.file_kind,
                        acting_user=request.user,
                        now=timezone.now(),
                    )
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("disclosure:import_job", pk=job.pk)
            except ValidationError as exc:
                message_errors(request, exc, joined="；")
                # The records changed since the trial run: store the new findings.
                job = _check(job, job.created_by)
            else:
                messages.success(request, f"已导入 {len(report.rows)} 行。")
                target = "disclosure:item_list" if job.kind == "items" else "disclosure:catalogue"
                return redirect(target)
    if job.report is None and job.imported_at is None:
        job = _check(job, job.created_by)  # a job uploaded before trial runs were stored
    return render(
        request,
        "disclosure/import_job.html",
        {
            "job": job,
            "report": job.report or {"rows": [], "file_errors": []},
            "can_confirm": can_confirm_import(request.user, job),
            "is_uploader": job.created_by_id == request.user.pk,
            "decline_form": decline_form,
        },
    )


@backoffice_view(*MAINTAIN_ROLES)
def import_template(request, kind: str):
    if kind not in ImportJob.Kind.values:
        raise Http404("没有这种模板。")
    response = HttpResponse(
        imports.template_xlsx(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="gongkai-import-{kind}.xlsx"'
    return response
