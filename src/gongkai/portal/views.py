"""Public pages: parse, read through ``selectors``, render.  No page shows anything
but published 主动公开 items of active bodies, and never applicant data."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from gongkai.annual.writers.html import html_fragment
from gongkai.bounds import EARLIEST_YEAR, LATEST_YEAR, int_in_range
from gongkai.consultations.selectors import consultation_for_item
from gongkai.disclosure import list_selectors as registers
from gongkai.disclosure import selectors as disclosure
from gongkai.disclosure.models import Item
from gongkai.reports.views.downloads import report_file_response
from gongkai.search.selectors import MAX_PAGE
from gongkai.search.selectors import search as run_search
from gongkai.uploads import download_response

from . import orgpage
from . import selectors as sel
from .lists import validity_notices
from .pagecache import SEARCH_TTL, cached_page
from .qr import qr_svg
from .sanitize import clean_html
from .sites import portal_path, public_url

CARE_COOKIE = "care_mode"
CARE_COOKIE_AGE = 365 * 24 * 3600


DB_INT_MAX = 2**63 - 1


def _int(value, default=None, *, low: int = 0, high: int = DB_INT_MAX):
    """A query-string integer within [low, high]; anything else is ignored
    (``default``): /search/?year=99999999999999999999999 is a normal page."""
    number = int_in_range(value, low=low, high=high)
    return default if number is None else number


@require_safe
@cached_page("all")
def home(request):
    orgs = list(sel.public_organizations())
    ids = {o.pk for o in orgs}
    roots = [o for o in orgs if o.parent_id not in ids]
    children: dict[int, list] = {}
    for o in orgs:
        if o.parent_id in ids:
            children.setdefault(o.parent_id, []).append(o)
    tree = [(root, children.get(root.pk, [])) for root in roots]
    latest = sel.items_for_docs(list(sel.public_docs().values_list("item_id", flat=True)[:10]))
    return render(request, "portal/home.html", {"tree": tree, "latest": latest})


@require_safe
@cached_page()
def org_home(request, slug):
    org = sel.public_organization(slug)
    docs = sel.public_docs(org)
    interpretation_ids = docs.filter(kind=Item.Kind.INTERPRETATION).values_list(
        "item_id", flat=True
    )
    context = {
        "org": org,
        "children": sel.public_children(org),
        "latest": sel.items_for_docs(list(docs.values_list("item_id", flat=True)[:10])),
        "interpretations": sel.items_for_docs(list(interpretation_ids[:5])),
        "item_count": sum(sel.published_counts_by_category(org).values()),
        "reports": sel.published_reports(org)[:3],
        "new_media": orgpage.new_media_rows(org),
        "section": "home",
    }
    return render(request, "portal/org_home.html", context)


@require_safe
@cached_page()
def guide(request, slug):
    org = sel.public_organization(slug)
    return render(
        request,
        "portal/guide.html",
        {"org": org, "guide": disclosure.guide_for(org), "section": "guide"},
    )


@require_safe
@cached_page()
def rules(request, slug):
    org = sel.public_organization(slug)
    today = timezone.localdate()
    register = [
        (
            doc,
            doc.in_force_on(today),
            doc.state_on(today),
            doc.item
            if doc.item and doc.item.is_public and doc.item.organization.is_active
            else None,
        )
        for doc in sel.normative_register(org)
    ]
    context = {
        "org": org,
        "register": register,
        "section": "rules",
        # The body's own 公开制度 (organizations.profile; stored after nh3, cleaned again).
        "rules_html": clean_html(org.rules_html) if org.rules_html else "",
        "rule_documents": list(org.rule_documents.all()),
    }
    return render(request, "portal/rules.html", context)


@require_safe
@cached_page()
def catalogue(request, slug):
    org = sel.public_organization(slug)
    counts = sel.published_counts_by_category(org)
    rows = sel.catalogue_rows(org, counts)
    uncategorised = counts.get(None, 0)
    return render(
        request,
        "portal/catalogue.html",
        {
            "org": org,
            "rows": rows,
            "uncategorised": uncategorised,
            "section": "catalogue",
            # 条例第十二条: the catalogue is kept current; its date is shown.
            "updated_at": registers.catalogue_updated_at(org),
        },
    )


@require_safe
@cached_page()
def category(request, slug, pk):
    org = sel.public_organization(slug)
    cat = sel.category_of(org, pk)
    page = sel.paginate_items(sel.docs_in_category(cat), request.GET.get("page"))
    return render(
        request,
        "portal/category.html",
        {
            "org": org,
            "category": cat,
            "path": sel.category_path(cat),
            "page_obj": page,
            "section": "catalogue",
            # A column that fills itself from the body's 机构概况 (orgpage.column_context).
            "column": orgpage.column_context(org, cat, today=timezone.localdate()),
        },
    )


@require_safe
@cached_page()
def item_list(request, slug):
    """All items of the body, optionally of one kind (政策解读 has its own page)."""
    org = sel.public_organization(slug)
    kind = request.GET.get("kind", "")
    docs = sel.public_docs(org)
    if kind in Item.Kind.values:
        docs = docs.filter(kind=kind)
    else:
        kind = ""
    page = sel.paginate_items(docs, request.GET.get("page"))
    return render(
        request,
        "portal/item_list.html",
        {
            "org": org,
            "page_obj": page,
            "kind": kind,
            "kinds": Item.Kind.choices,
            "kind_label": Item.Kind(kind).label if kind else "全部信息",
        },
    )


@require_safe
@cached_page()
def interpretations(request, slug):
    org = sel.public_organization(slug)
    docs = sel.public_docs(org).filter(kind=Item.Kind.INTERPRETATION)
    page = sel.paginate_items(docs, request.GET.get("page"))
    return render(
        request,
        "portal/interpretations.html",
        {"org": org, "page_obj": page, "section": "interpretations"},
    )


def share_text(item: Item, url: str) -> str:
    """One short paragraph for a WeChat group: body, title, 文号, date, link."""
    date = timezone.localdate(item.published_at).strftime("%Y年%m月%d日")
    number = f"（{item.document_number}）" if item.document_number else ""
    return f"【{item.organization.name}】{item.title}{number}，{date}发布。全文：{url}"


@require_safe
@cached_page()
def item_detail(request, slug, pk):
    org = sel.public_organization(slug)
    item = sel.public_item(org, pk)
    # The canonical address (the body's own host when it has one) for QR and sharing.
    url = public_url(request, org.slug, portal_path("portal:item", org.slug, item.pk))
    today = timezone.localdate()
    # What is shown is derived from the dates (NormativeDocument.state_on), never
    # from the stored status alone.
    normative = [
        (doc, doc.in_force_on(today), doc.state_on(today))
        for doc in item.normative_documents.select_related(
            "replaced_by__item__organization"
        ).order_by("-issued_on")
    ]
    context = {
        "org": org,
        "item": item,
        "path": sel.category_path(item.category) if item.category_id else [],
        "attachments": item.attachments.all(),
        "interpretations": sel.public_interpretations(item),
        "policy": sel.public_policy_of(item),
        # 政策解读: sections, 简明问答, 图解, video links (None for other kinds, no query).
        "package": disclosure.interpretation_package(item),
        # The 意见征集 whose 采纳情况 names this item as the final decision (or None).
        "consultation": consultation_for_item(item),
        "normative": normative,
        # 已废止/已失效/已修订 banners, set in the register (portal.lists).
        "validity": validity_notices(normative, today),
        "qr": qr_svg(url, title=f"{item.title} 的网址二维码"),
        "share_text": share_text(item, url),
        "url": url,
        "section": "catalogue",
        # Stored bodies have passed nh3 in the services; cleaned again here (defence in
        # depth), once per distinct body (sanitize.clean_html caches by content hash).
        "body_html": clean_html(item.body) if item.body_format == Item.BodyFormat.HTML else "",
    }
    return render(request, "portal/item_detail.html", context)


@require_safe
def attachment(request, slug, pk, attachment_pk):
    org = sel.public_organization(slug)
    item = sel.public_item(org, pk)
    att = item.attachments.filter(pk=attachment_pk).first()
    if att is None:
        raise Http404("附件不存在")
    try:
        return download_response(att.path, att.original_name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404("附件文件暂时无法下载") from exc


@require_safe
def figure(request, slug, pk, figure_pk):
    """A 图解 image of a public 政策解读 (shown inline by ``<img>``)."""
    org = sel.public_organization(slug)
    item = sel.public_item(org, pk)
    fig = item.figures.filter(pk=figure_pk).first()
    if fig is None:
        raise Http404("图片不存在")
    try:
        return download_response(fig.path, fig.original_name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404("图片暂时无法显示") from exc


# --- annual reports -------------------------------------------------------------------

REPORT_FORMATS = ("docx", "xlsx", "json")  # the portal offers these downloads


def graphic_url(slug: str, year: int) -> str | None:
    """The reports app's public 图解 page of a report, when that app is mounted."""
    try:
        return reverse("reports_public:graphic", args=[slug, year])
    except NoReverseMatch:
        return None


@require_safe
@cached_page()
def report_list(request, slug):
    org = sel.public_organization(slug)
    reports = [(r, graphic_url(org.slug, r.year)) for r in sel.published_reports(org)]
    return render(
        request,
        "portal/report_list.html",
        {"org": org, "reports": reports, "section": "reports"},
    )


@require_safe
@cached_page()
def report_detail(request, slug, year):
    org = sel.public_organization(slug)
    row, report = sel.published_report(org, year)
    # Closed corrections only: an open one is still being made.
    corrections = list(row.corrections.filter(recorded_at__isnull=False))
    return render(
        request,
        "portal/report_detail.html",
        {
            "org": org,
            "row": row,
            "year": year,
            # The writer escapes every label and value itself (gongkai.annual.writers.html).
            "fragment": html_fragment(report),
            "corrections": corrections,
            "corrected_figures": any(c.changes for c in corrections),
            "graphic_url": graphic_url(org.slug, year),
            "section": "reports",
        },
    )


@require_safe
def report_download(request, slug, year, fmt):
    if fmt not in REPORT_FORMATS:
        raise Http404("不支持的格式")
    org = sel.public_organization(slug)
    row, report = sel.published_report(org, year)
    return report_file_response(report, fmt, stem=f"{org.slug}-{year}-annual-report", published=row)


# --- search ----------------------------------------------------------------------------


@require_safe
@cached_page("all", ttl=SEARCH_TTL)
def search(request):
    q = request.GET.get("q", "").strip()
    orgs = list(sel.public_organizations())
    org = next((o for o in orgs if o.slug == request.GET.get("org")), None)
    year = _int(request.GET.get("year"), low=EARLIEST_YEAR, high=LATEST_YEAR)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Item.Kind.values else ""
    cat = None
    category_id = _int(request.GET.get("category"), low=1)
    if org is not None and category_id:
        cat = org.disclosure_categories.filter(pk=category_id).first()
    order = "time" if request.GET.get("order") == "time" else "relevance"
    date_from, date_to = _day(request.GET.get("from")), _day(request.GET.get("to"))
    date_error = (
        "日期应写成“年-月-日”，如 2024-03-01；无法识别的日期未作为条件。"
        if None in (date_from, date_to)
        else ""
    )
    results = None
    if q:
        results = run_search(
            q,
            org=org,
            category=cat,
            year=year,
            kind=kind or None,
            page=_int(request.GET.get("page"), 1, low=1, high=MAX_PAGE),
            order=order,
            date_from=date_from or None,
            date_to=date_to or None,
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "results": results,
            "orgs": orgs,
            "org": org,
            "selected_org": org,
            "year": year,
            "years": sel.years_with_items(),
            "kind": kind,
            "kinds": Item.Kind.choices,
            "category": cat,
            "categories": org.disclosure_categories.order_by("order", "code") if org else [],
            "query_string": params.urlencode(),
            "order": order,
            "date_from": date_from or "",
            "date_to": date_to or "",
            "date_error": date_error,
        },
    )


def _day(value):
    """A ``YYYY-MM-DD`` query-string date: the date, "" when absent, None when unreadable."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


# --- care mode --------------------------------------------------------------------------


# No CSRF token: the toggle only sets the caller's own display preference (a
# forged request could at worst enlarge someone's text), and a token on the
# button, which is on every public page, would set a CSRF cookie and
# "Vary: Cookie" on all of them and keep them out of every cache.  It stays a
# POST form (a link could be followed by crawlers and prefetchers); ``next`` is
# checked against open redirects.
@csrf_exempt
@require_POST
def care_toggle(request):
    """关怀模式: a cookie read by the server, so the class is in the first HTML (no flash)."""
    on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if on:
        response.set_cookie(CARE_COOKIE, "1", max_age=CARE_COOKIE_AGE, samesite="Lax")
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response
