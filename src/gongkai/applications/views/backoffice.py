"""Back-office pages for applications: parse, check permission, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.annual.format import cell_label
from gongkai.core.responses import add_errors, message_errors
from gongkai.organizations.models import Role
from gongkai.organizations.permissions import has_role, visible_organization_ids
from gongkai.platform.decorators import backoffice_view

from .. import clock, services
from ..forms import (
    ApplicationForm,
    AssignForm,
    CloseForm,
    ConsultForm,
    CorrectionForm,
    DateNoteForm,
    ExtendForm,
    ExtensionDecideForm,
    FeeForm,
    TemplateForm,
    UntilForm,
)
from ..letters import (
    DEFAULTS,
    OUTCOME_GROUP_KIND,
    PLACEHOLDERS,
    UNKNOWN_COURT,
    UNKNOWN_RECONSIDERATION_BODY,
    download_name,
    owed_letters,
)
from ..models import (
    Application,
    ExtensionRequest,
    ExtensionStatus,
    Letter,
    LetterKind,
    LetterTemplate,
    Status,
    UnifiedIntake,
)
from ..permissions import (
    applications_visible_to,
    can_approve_extension,
    can_edit_templates,
    can_handle,
    can_register,
    can_see_personal_data,
    extension_requests_to_decide,
    personal_data_organization_ids,
)
from ..selectors import (
    applications_for_cell,
    similar_groups,
    similar_to,
    worklists,
)
from ..workflow import CLOCK
from .delivery import delivery_context
from .intake import intake_context

TABS = (
    ("overdue", "已超期"),
    ("due_today", "今日到期"),
    ("due_this_week", "本周到期"),
    ("waiting", "等待申请人"),
    ("open", "全部在办"),
    ("closed", CLOCK.state_label(clock.STATE_CLOSED)),
    ("all", "全部"),
)


def _scoped(request):
    """The list's scope: the current body, or (``?scope=all``) every visible body."""
    qs = applications_visible_to(request.user)
    if request.GET.get("scope") == "all":
        return qs, True
    return qs.filter(organization=request.organization), False


@backoffice_view()
def application_list(request):
    today = timezone.localdate()
    qs, all_bodies = _scoped(request)
    lists = worklists(qs, today=today)
    counts = lists.counts()
    tab = request.GET.get("tab") or "open"
    if tab not in dict(TABS):
        tab = "open"
    if tab == "closed":
        rows = qs.filter(status=Status.CLOSED).order_by("-reply_on", "-pk")
    elif tab == "all":
        rows = qs.order_by("-received_on", "-pk")
    else:
        rows = getattr(lists, tab)
    query = (request.GET.get("q") or "").strip()
    personal_ids = personal_data_organization_ids(request.user)
    if query:
        # The applicant's name is personal data: searchable only in the bodies
        # where the user may see it (not across supervised bodies).
        rows = rows.filter(
            Q(tracking_code__icontains=query)
            | Q(applicant_name__icontains=query, organization_id__in=personal_ids)
            | Q(description__icontains=query)
        )
    page = Paginator(rows.select_related("organization", "unit"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "applications/list.html",
        {
            "tabs": [(key, label, counts.get(key)) for key, label in TABS],
            "tab": tab,
            "page_obj": page,
            "query": query,
            "all_bodies": all_bodies,
            "personal_ids": personal_ids,
            "can_see_others": len(visible_organization_ids(request.user)) > 1,
            "can_register": can_register(request.user, request.organization),
            "today": today,
        },
    )


@backoffice_view()
def application_create(request):
    org = request.organization
    if not can_register(request.user, org):
        raise PermissionDenied("您在当前机关没有登记申请的权限。")
    intake = UnifiedIntake.objects.filter(organization=org, is_active=True).first()
    form = ApplicationForm(request.POST or None, organization=org, intake=intake)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.pop("unified", False):
            return _create_unified(request, form, intake, data)
        try:
            application = services.application_receive(
                organization=org,
                acting_user=request.user,
                now=timezone.now(),
                **{k: data[k] for k in data},
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                f"已登记申请，查询码 {application.tracking_code}，答复期限 {application.due_on:%Y-%m-%d}。",
            )
            return redirect(application.get_absolute_url())
    return render(request, "applications/create.html", {"form": form})


def _create_unified(request, form, intake, data):
    """统一受理: register a paper application on the county's platform (待分办)."""
    data.pop("unit", None)
    try:
        application = services.application_receive_unified(
            intake=intake, acting_user=request.user, now=timezone.now(), **data
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return render(request, "applications/create.html", {"form": form})
    messages.success(
        request,
        f"已登记到统一受理平台，查询码 {application.tracking_code}，"
        f"分办期限 {application.dispatch_due_on:%Y-%m-%d}。",
    )
    return redirect("applications:intake")


def _get_visible(request, pk: int) -> Application:
    return get_object_or_404(
        applications_visible_to(request.user).select_related("organization", "unit"), pk=pk
    )


FORM_CLASSES = {
    "correction": CorrectionForm,
    "correction_received": DateNoteForm,
    "consult": ConsultForm,
    "answer": DateNoteForm,
    "extend": ExtendForm,
    "fee": FeeForm,
    "paid": DateNoteForm,
    "reasons": UntilForm,
    "later_date": UntilForm,
    "close": CloseForm,
    "assign": AssignForm,
}
NEEDS_ORGANIZATION = {"assign"}


def _action_forms(application: Application, data=None, which: str | None = None) -> dict:
    """One form per action, each with its action as prefix (unique ids on the page)."""
    today = timezone.localdate()
    forms = {}
    for name, form_class in FORM_CLASSES.items():
        kwargs = {"prefix": name}
        if name in NEEDS_ORGANIZATION:
            kwargs["organization"] = application.organization
        if name == which and data is not None:
            forms[name] = form_class(data, **kwargs)
            continue
        if name == "assign":
            initial = {"unit": application.unit_id}
        elif name == "close":
            initial = {"reply_on": today}
        else:
            initial = {"on": today}
        forms[name] = form_class(initial=initial, **kwargs)
    return forms


# The page's action forms and the clock event each records (workflow.CLOCK);
# which forms a status offers is read from the table (the services enforce the
# law; this only decides which forms the page offers), in this order.
FORM_EVENTS = {
    "answer": (clock.CONSULTATION_ANSWERED,),
    "correction_received": (clock.CORRECTION_RECEIVED,),
    "paid": (clock.FEE_PAID,),
    "later_date": (clock.LATER_DATE_SET,),
    "consult": (clock.THIRD_PARTY_CONSULTED, clock.OTHER_BODY_CONSULTED),
    "extend": (clock.EXTENSION,),
    "fee": (clock.FEE_NOTICE,),
    "reasons": (clock.REASONS_REQUESTED,),
    "close": (clock.CLOSED,),
    "correction": (clock.CORRECTION_REQUESTED,),
}
ACTIONS_BY_STATUS = {
    status: tuple(
        form for form, kinds in FORM_EVENTS.items() if any(CLOCK.can(status, k) for k in kinds)
    )
    for status in CLOCK.states
}
# action -> (section title with its legal basis, button label)
ACTION_TITLES = {
    "correction": ("发出补正通知（条例第三十条）", "发出补正通知"),
    "correction_received": ("登记收到补正材料", "登记收到补正"),
    "consult": ("征求意见（条例第三十二条、第三十四条）", "登记征求意见"),
    "answer": ("登记征求意见答复", "登记答复"),
    "extend": ("延长答复期限（条例第三十三条第二款）", "延长答复期限"),
    "fee": ("发出收费通知（国办函〔2020〕109号）", "发出收费通知"),
    "paid": ("登记缴费", "登记缴费"),
    # 条例第三十五条: the table's labels, the statute's words.
    "reasons": (
        f"{CLOCK.get(clock.REASONS_REQUESTED).label}（条例第三十五条）",
        CLOCK.get(clock.REASONS_REQUESTED).label,
    ),
    "later_date": (
        f"{CLOCK.get(clock.LATER_DATE_SET).label}（条例第三十五条）",
        CLOCK.get(clock.LATER_DATE_SET).label,
    ),
    "close": ("答复办结", "答复办结"),
    "assign": ("指定承办科室", "指定"),
}


def _detail(request, application: Application, forms: dict, status: int = 200, decide_form=None):
    today = timezone.localdate()
    extension_requests = list(
        application.extension_requests.select_related("requested_by", "decided_by")
    )
    pending = next((r for r in extension_requests if r.status == ExtensionStatus.PENDING), None)
    if pending is not None and can_approve_extension(request.user, application.organization):
        decide_form = decide_form or ExtensionDecideForm(
            initial={"on": today, "decision": "approve"}, prefix="decide"
        )
    else:
        decide_form = None
    deadline_problem, date_wrong = "", False
    unstarted = False
    try:
        # Unsigned under the "signed" clock rule (D63): no period runs yet, so
        # there is no due date to show.
        unstarted = not application.is_held and application.due_on is None
        deadline = None if unstarted else services.application_deadline(application)
    except clock.ClockError as exc:
        # A stored history the rules refuse, or a stored date the calendar cannot
        # count from ("日期有误"): show why instead of a due date (the daily
        # refresh flags it for the 公开办负责人).
        deadline, deadline_problem = None, str(exc)
        date_wrong = isinstance(exc, clock.DeadlineDateError)
    handle = can_handle(request.user, application)
    actions = [
        (name, *ACTION_TITLES[name], forms[name])
        for name in ACTIONS_BY_STATUS[application.status]
        # 补正 is offered before any other step; the service checks the 7 days.
        if (name != "correction" or not application.events.exists())
        # One extension request at a time.
        and (name != "extend" or pending is None)
    ]
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "deadline": deadline,
            "deadline_problem": deadline_problem,
            "date_wrong": date_wrong,
            "events": application.events.select_related("actor", "approved_by"),
            "letters": application.letters.order_by("issued_on", "pk"),
            "owed_letters": owed_letters(application),
            "can_edit_templates": can_edit_templates(request.user, application.organization),
            "appeals": application.appeals.all(),
            # 统一受理: nothing is handled before the body signs for it.
            "actions": actions if handle and application.is_held else [],
            "clock_unstarted": unstarted,
            "assign_form": forms["assign"] if handle else None,
            "can_handle": handle,
            "personal": can_see_personal_data(request.user, application),
            "similar": similar_to(application, today=today),
            "extension_requests": extension_requests,
            "pending_extension": pending,
            "decide_form": decide_form,
            "overdue": application.is_overdue(today),
            "today": today,
            **delivery_context(application, handle=handle, today=today),
            **intake_context(application, request.user),
        },
        status=status,
    )


@backoffice_view()
def application_detail(request, pk: int):
    application = _get_visible(request, pk)
    return _detail(request, application, _action_forms(application))


def _run_action(request, application: Application, action: str, data: dict):
    user = request.user
    now = timezone.now()
    if action == "correction":
        services.application_request_correction(
            application=application,
            on=data["on"],
            until=data["until"],
            what=data["what"],
            acting_user=user,
            now=now,
        )
        return "已发出补正通知，已生成补正通知书。"
    if action == "correction_received":
        services.application_receive_correction(
            application=application, on=data["on"], note=data["note"], acting_user=user, now=now
        )
        return "已登记收到补正材料，答复期限重新计算。"
    if action == "consult":
        services.application_consult(
            application=application,
            kind=data["kind"],
            on=data["on"],
            party=data["party"],
            note=data["note"],
            acting_user=user,
            now=now,
        )
        return "已登记征求意见，已生成征求意见函和告知书。"
    if action == "answer":
        services.application_record_consultation_answer(
            application=application, on=data["on"], note=data["note"], acting_user=user, now=now
        )
        return "已登记征求意见答复。"
    if action == "extend":
        # 条例第三十三条第二款: a request; it takes effect when the 公开办负责人 approves.
        extension = services.application_extension_request(
            application=application,
            days=data["days"],
            reason=data["reason"],
            on=data["on"],
            acting_user=user,
            now=now,
        )
        if extension.status == ExtensionStatus.APPROVED:
            return "已延长答复期限，已生成延期答复告知书。"
        return "已提交延期申请，待公开办负责人批准后生效。"
    if action == "fee":
        services.application_send_fee_notice(
            application=application,
            on=data["on"],
            method=data["method"],
            pages=data["pages"],
            acting_user=user,
            now=now,
        )
        return "已发出收费通知，已生成收费通知书。"
    if action == "paid":
        services.application_record_payment(
            application=application, on=data["on"], acting_user=user, now=now
        )
        return "已登记缴费。"
    if action == "reasons":
        services.application_request_reasons(
            application=application,
            on=data["on"],
            until=data["until"],
            note=data["note"],
            acting_user=user,
            now=now,
        )
        return "已要求申请人说明理由。"
    if action == "later_date":
        services.application_set_later_date(
            application=application,
            on=data["on"],
            until=data["until"],
            note=data["note"],
            acting_user=user,
            now=now,
        )
        return "已确定延后的答复期限。"
    if action == "close":
        services.application_close(
            application=application,
            outcome=data["outcome"],
            reply_on=data["reply_on"],
            reasons=data["reasons"],
            # 条例第三十六条第（五）项: the body the letter tells the applicant to apply to.
            responsible_organization=data["responsible_organization"],
            responsible_body=data["responsible_body"],
            responsible_contact=data["responsible_contact"],
            acting_user=user,
            now=now,
        )
        return "已办结，已生成答复告知书。"
    if action == "assign":
        services.application_assign(
            application=application, unit=data["unit"], acting_user=user, now=now
        )
        return "已指定承办科室。"
    raise Http404("未知的操作。")


@require_POST
@backoffice_view()
def application_action(request, pk: int, action: str):
    application = _get_visible(request, pk)
    if action not in ACTION_TITLES:
        raise Http404("未知的操作。")
    if not can_handle(request.user, application):
        raise PermissionDenied("您没有办理该申请的权限（监督岗位只能查看）。")
    forms = _action_forms(application, request.POST, action)
    form = forms[action]
    if not form.is_valid():
        messages.error(request, "提交的内容有误，请检查下方表单。")
        return _detail(request, application, forms, status=400)
    owed_before = _owed_keys(application)
    try:
        text = _run_action(request, application, action, form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        application.refresh_from_db()
        return _detail(request, application, forms, status=400)
    messages.success(request, text)
    _warn_new_owed_letters(request, application, owed_before)
    return redirect(application.get_absolute_url())


def _owed_keys(application: Application) -> set[tuple[int, str]]:
    return {(o.event.pk, o.kind) for o in owed_letters(application)}


def _warn_new_owed_letters(request, application: Application, before: set) -> None:
    """The step is recorded; say which letter a broken template kept back and why."""
    for owed in owed_letters(application):
        if (owed.event.pk, owed.kind) not in before:
            messages.warning(request, f"{owed.label}：{owed.message}")


@require_POST
@backoffice_view()
def letter_regenerate(request, pk: int):
    """Generate a letter a broken template kept back, once the template is fixed."""
    application = _get_visible(request, pk)
    if not can_handle(request.user, application):
        raise PermissionDenied("您没有办理该申请的权限（监督岗位只能查看）。")
    event = get_object_or_404(application.events, pk=request.POST.get("event") or 0)
    try:
        letter = services.letter_regenerate(
            application=application,
            event=event,
            kind=request.POST.get("kind", ""),
            acting_user=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"已生成{letter.title}（{letter.reference}）。")
    return redirect(application.get_absolute_url())


@require_POST
@backoffice_view()
def extension_decide(request, pk: int):
    """The 公开办负责人 approves or rejects a pending extension request."""
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("application"),
        pk=pk,
        application__in=applications_visible_to(request.user),
    )
    application = _get_visible(request, extension.application_id)
    if not can_approve_extension(request.user, application.organization):
        raise PermissionDenied(
            "只有本机关的公开办负责人可以批准延长答复期限（条例第三十三条第二款）。"
        )
    form = ExtensionDecideForm(request.POST, prefix="decide")
    owed_before = _owed_keys(application)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_extension_decide(
                extension_request=extension,
                approve=data["decision"] == "approve",
                on=data["on"],
                comment=data["comment"],
                acting_user=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if data["decision"] == "approve":
                messages.success(request, "已同意延期，答复期限已延长，已生成延期答复告知书。")
            else:
                messages.success(request, "已不同意延期，经办人可在申请页面看到您的意见。")
            _warn_new_owed_letters(request, application, owed_before)
            return redirect(application.get_absolute_url())
    messages.error(request, "提交的内容有误，请检查延期申请下方的表单。")
    application.refresh_from_db()
    return _detail(request, application, _action_forms(application), status=400, decide_form=form)


@backoffice_view(Role.OFFICE_HEAD)
def extension_list(request):
    """待我批准的延期: pending requests of the bodies where the user is 公开办负责人."""
    rows = extension_requests_to_decide(request.user).select_related(
        "application", "application__organization", "requested_by"
    )
    return render(
        request,
        "applications/extension_list.html",
        {"rows": rows, "today": timezone.localdate()},
    )


@backoffice_view()
def letter_download(request, pk: int, letter_pk: int):
    application = _get_visible(request, pk)
    # Letters carry the applicant's name and address: the body's own staff only.
    if not can_see_personal_data(request.user, application):
        raise PermissionDenied("文书含申请人个人信息，仅本机关工作人员可以下载。")
    letter = get_object_or_404(Letter, pk=letter_pk, application=application)
    from gongkai.uploads import download_response

    return download_response(letter.file.name, download_name(letter))


# --- letter templates -------------------------------------------------------------


@backoffice_view(Role.ADMIN, Role.OFFICE_HEAD)
def template_list(request):
    own = {t.kind: t for t in LetterTemplate.objects.filter(organization=request.organization)}
    rows = [
        {
            "kind": kind,
            "label": label,
            "own": own.get(kind),
            "default_title": DEFAULTS[kind].title,
            # A body's own closing letter written before {复议机关} existed may
            # still say only “依法申请行政复议”.
            "names_no_appeal_body": kind in OUTCOME_GROUP_KIND.values()
            and kind in own
            and "{复议机关}" not in own[kind].body,
            # 条例第三十六条第（五）项: the 无法提供 letter names the body to apply to.
            "names_no_other_body": kind == LetterKind.UNABLE
            and kind in own
            and "{另行申请告知}" not in own[kind].body
            and "{负责公开机关}" not in own[kind].body,
        }
        for kind, label in LetterKind.choices
    ]
    org = request.organization
    reconsideration = org.effective_reconsideration_body()
    court = org.court.strip()
    appeal = {
        "reconsideration": reconsideration or UNKNOWN_RECONSIDERATION_BODY,
        "court": court or UNKNOWN_COURT,
        "missing": "、".join(
            label
            for label, value in (("行政复议机关", reconsideration), ("管辖法院", court))
            if not value
        ),
    }
    return render(
        request,
        "applications/template_list.html",
        {
            "rows": rows,
            "appeal": appeal,
            "can_edit_settings": has_role(request.user, org, Role.ADMIN),
        },
    )


@backoffice_view(Role.ADMIN, Role.OFFICE_HEAD)
def template_edit(request, kind: str):
    if kind not in LetterKind.values:
        raise Http404("未知的文书类型。")
    org = request.organization
    own = LetterTemplate.objects.filter(organization=org, kind=kind).first()
    initial = (
        {"title": own.title, "body": own.body}
        if own
        else {"title": DEFAULTS[kind].title, "body": DEFAULTS[kind].body}
    )
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "reset" in request.POST:
            services.letter_template_reset(
                organization=org, kind=kind, acting_user=request.user, now=timezone.now()
            )
            messages.success(request, "已恢复为系统默认模板。")
            return redirect("applications:template_list")
        if form.is_valid():
            try:
                services.letter_template_save(
                    organization=org,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    acting_user=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "模板已保存，此后生成的文书使用新模板。")
                return redirect("applications:template_list")
    return render(
        request,
        "applications/template_edit.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": LetterKind(kind).label,
            "own": own,
            "placeholders": PLACEHOLDERS.items(),
            "can_edit": can_edit_templates(request.user, org),
        },
    )


# --- 条例第四十四条 and table 3 drill-down --------------------------------------------------


@backoffice_view()
def similar_list(request):
    groups = similar_groups(organization=request.organization, today=timezone.localdate())
    return render(request, "applications/similar.html", {"groups": groups})


@backoffice_view()
def cell_list(request):
    """The applications behind a table-3 cell, for the current body (``?year=&key=``)
    or every visible body under it (``&scope=all``, supervisors)."""
    key = request.GET.get("key", "")
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if request.GET.get("scope") == "all":
        ids = visible_organization_ids(request.user)
    else:
        ids = {request.organization.pk}
    try:
        rows = applications_for_cell(organization_ids=ids, year=year, key=key)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("applications:list")
    rows = applications_visible_to(request.user).filter(pk__in=rows.values("pk"))
    return render(
        request,
        "applications/cell.html",
        {
            "rows": rows.select_related("organization"),
            "year": year,
            "key": key,
            "label": cell_label(key),
        },
    )
