"""Back-office pages of the 三项清单 and of standard catalogues."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.responses import add_errors, message_errors
from gongkai.organizations.models import Organization
from gongkai.platform.decorators import backoffice_view

from .. import list_selectors as selectors
from .. import services
from ..forms import ListEntryForm, NoteForm, StandardForm
from ..models import ListEntry, ListKind, StandardCatalogue, StandardCatalogueVersion
from ..permissions import (
    LIST_PUBLISH_ROLES,
    MAINTAIN_ROLES,
    can_adopt_standard,
    can_maintain,
    can_manage_standards,
    can_publish_list,
    can_see_adoptions,
)


def _kind(kind: str) -> str:
    if kind not in ListKind.values:
        raise Http404("没有这份清单。")
    return kind


# --- 三项清单 -------------------------------------------------------------------------


@backoffice_view()
def lists(request):
    org = request.organization
    return render(request, "disclosure/lists.html", {"overview": selectors.list_overview(org)})


@backoffice_view()
def list_detail(request, kind: str):
    """The list as it stands, the publish form, and every published revision."""
    org = request.organization
    kind = _kind(kind)
    may_publish = can_publish_list(request.user, org)
    form = NoteForm(request.POST or None) if may_publish else None
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied("只有公开办负责人或管理员可以发布清单。")
        if form.is_valid():
            try:
                revision = services.list_publish(
                    organization=org,
                    kind=kind,
                    acting_user=request.user,
                    note=form.cleaned_data["note"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc, joined="；")
            else:
                messages.success(request, f"已发布第{revision.number}版，公开页面已更新。")
                return redirect("disclosure:list_detail", kind=kind)
    entries = (
        None
        if kind == ListKind.PROACTIVE
        else ListEntry.objects.filter(organization=org, kind=kind).select_related("unit")
    )
    return render(
        request,
        "disclosure/list_detail.html",
        {
            "kind": kind,
            "label": ListKind(kind).label,
            "entries": entries,
            "snapshot": services.list_snapshot(org, kind),
            "revisions": selectors.list_revisions(org, kind),
            "form": form,
            "can_maintain": can_maintain(request.user, org),
        },
    )


@backoffice_view(*MAINTAIN_ROLES)
def list_entry_edit(request, kind: str, pk: int | None = None):
    org = request.organization
    kind = _kind(kind)
    if kind == ListKind.PROACTIVE:
        raise Http404("主动公开事项清单由公开目录生成。")
    entry = (
        get_object_or_404(ListEntry.objects.filter(organization=org, kind=kind), pk=pk)
        if pk
        else None
    )
    form = ListEntryForm(request.POST or None, instance=entry, organization=org, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_entry_save(
                organization=org,
                acting_user=request.user,
                entry=ListEntry.objects.get(pk=pk) if pk else None,
                kind=kind,
                data={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "事项已保存；发布新版本后公开页面才会更新。")
            return redirect("disclosure:list_detail", kind=kind)
    return render(
        request,
        "disclosure/list_entry_form.html",
        {"form": form, "entry": entry, "kind": kind, "label": ListKind(kind).label},
    )


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def list_entry_delete(request, kind: str, pk: int):
    org = request.organization
    entry = get_object_or_404(ListEntry.objects.filter(organization=org, kind=_kind(kind)), pk=pk)
    services.list_entry_delete(entry=entry, acting_user=request.user)
    messages.success(request, "事项已删除；发布新版本后公开页面才会更新。")
    return redirect("disclosure:list_detail", kind=kind)


# --- standard catalogues ---------------------------------------------------------------


@backoffice_view()
def standards(request):
    """What the current body publishes (if it supervises) and what it is offered."""
    org = request.organization
    offered = selectors.standards_offered_to(org)
    adopted = selectors.adoptions_of(org)
    offered_rows = [
        (s, s.versions.first(), adopted.get(s.pk), can_adopt_standard(request.user, org, s))
        for s in offered
    ]
    own = StandardCatalogue.objects.filter(publisher=org).prefetch_related("versions")
    return render(
        request,
        "disclosure/standards.html",
        {
            "own": own if can_see_adoptions(request.user, org) else [],
            "offered": offered_rows,
            "can_manage": can_manage_standards(request.user, org),
        },
    )


def _own_standard(request, pk: int) -> StandardCatalogue:
    return get_object_or_404(
        StandardCatalogue.objects.filter(publisher=request.organization), pk=pk
    )


@backoffice_view(*LIST_PUBLISH_ROLES)
def standard_edit(request, pk: int | None = None):
    org: Organization = request.organization
    standard = _own_standard(request, pk) if pk else None
    initial = {}
    if standard is not None:
        initial = {
            "title": standard.title,
            "target_level": standard.target_level,
            "rows": services.standard_rows_text(standard.draft_rows),
        }
    template_level = request.GET.get("template", "")
    if request.method == "GET" and template_level in Organization.Level.values:
        # 以内置模板填入: the built-in catalogue of that level as a starting point.
        initial["rows"] = services.standard_rows_text(services.template_rows(template_level))
        initial.setdefault("target_level", template_level)
    form = StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_save(
                publisher=org,
                acting_user=request.user,
                standard=standard,
                title=form.cleaned_data["title"],
                target_level=form.cleaned_data["target_level"],
                rows=form.cleaned_data["rows"],
            )
        except ValidationError as exc:
            add_errors(form, exc, joined="；")
        else:
            messages.success(request, "草稿已保存；发布新版本后下级机关才能采用。")
            return redirect("disclosure:standard_detail", pk=standard.pk)
    return render(
        request,
        "disclosure/standard_form.html",
        {"form": form, "standard": standard, "levels": Organization.Level.choices},
    )


@backoffice_view()
def standard_detail(request, pk: int):
    """Versions, the publish form, and who has adopted which version."""
    org = request.organization
    standard = _own_standard(request, pk)
    if not can_see_adoptions(request.user, org):
        raise PermissionDenied("您不能查看本机关的标准目录。")
    may_publish = can_manage_standards(request.user, org)
    form = NoteForm(request.POST or None) if may_publish else None
    if form is not None:
        form.fields["note"].label = "版本说明"
        form.fields["note"].help_text = "本版与上一版相比改了什么；下级机关采用时会看到。"
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied("只有公开办负责人或管理员可以发布标准目录。")
        if form.is_valid():
            try:
                version = services.standard_publish(
                    standard=standard,
                    acting_user=request.user,
                    note=form.cleaned_data["note"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc, joined="；")
            else:
                messages.success(request, f"已发布第{version.number}版。")
                return redirect("disclosure:standard_detail", pk=standard.pk)
    versions = list(standard.versions.select_related("published_by"))
    latest = versions[0].number if versions else None
    rows = selectors.standard_adoption_rows(standard)
    return render(
        request,
        "disclosure/standard_detail.html",
        {
            "standard": standard,
            "versions": versions,
            "latest": latest,
            "rows": [(r, r.up_to_date(latest)) for r in rows],
            "adopted_count": sum(1 for r in rows if r.adoption),
            "current_count": sum(1 for r in rows if r.up_to_date(latest)),
            "form": form,
            "draft_rows": standard.draft_rows,
        },
    )


@require_POST
@backoffice_view(*MAINTAIN_ROLES)
def standard_adopt(request, version_pk: int):
    org = request.organization
    version = get_object_or_404(
        StandardCatalogueVersion.objects.select_related("standard__publisher"), pk=version_pk
    )
    if not can_adopt_standard(request.user, org, version.standard):
        raise PermissionDenied("该标准目录不适用于本机关，或您不能维护本机关的公开目录。")
    try:
        adoption = services.standard_adopt(
            organization=org, version=version, acting_user=request.user, now=timezone.now()
        )
    except ValidationError as exc:
        message_errors(request, exc, joined="；")
    else:
        changed = (
            f"已更改：{services.adoption_changes_text(adoption.changes)}（原内容已记入审计日志）；"
            if adoption.changes
            else ""
        )
        messages.success(
            request,
            f"已采用“{version.standard.title}”第{version.number}版：新增 {adoption.created} "
            f"个类目，更新 {adoption.updated} 个类目；{changed}"
            "本机关原有的类目和政府信息均保留。",
        )
    return redirect("disclosure:standards")
