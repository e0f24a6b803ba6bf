"""Read-only JSON API ``/api/v1/`` (documented at ``/api/`` and in docs/portal.md).

Only published 主动公开 items of active bodies; paginated (``?page=``,
``?page_size=`` up to 100); UTF-8 JSON; CORS-open for GET since all of it is
public information.  Every answer is JSON, errors included
(``{"error": "…"}`` with 400, 404 or 405), never an HTML page.

Text is data: titles, numbers and plain bodies are returned exactly as stored
(a title containing ``<script>`` comes back as that text — the HTML pages show
the same text escaped; a consumer that puts it into HTML must escape it).  An
HTML body (``body_format == "html"``) is returned as the portal page shows it:
passed through nh3 once more.
"""

from __future__ import annotations

import functools

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from gongkai.annual.writers import write
from gongkai.disclosure import selectors as disclosure
from gongkai.disclosure.models import Item

from . import selectors as sel
from .pagecache import cached_page
from .sanitize import clean_html

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Bounds for numbers that reach the database: past them a query is refused
# with 400 instead of overflowing the database's integer (a 500).
MAX_PAGE_NUMBER = 1_000_000
DB_INT_MAX = 2**63 - 1
NOT_FOUND = "未找到"


class BadRequest(Exception):
    """A query parameter the API cannot use; the message (Chinese) goes to the client."""


def _json(request, data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_view(view):
    """GET only; Http404 and BadRequest become JSON answers, not the site's HTML pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _json(request, {"error": "只支持 GET 请求"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _json(request, {"error": NOT_FOUND}, status=404)
        except BadRequest as exc:
            return _json(request, {"error": str(exc)}, status=400)

    return wrapper


def _param(request, name, default, *, low, high=None):
    """An integer query parameter in [low, high]; BadRequest (400) otherwise."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        if len(raw) > 20:  # int() of a 5,000-digit string is slow, and out of range anyway
            raise ValueError
        value = int(raw)
    except ValueError:
        raise BadRequest(f"参数 {name} 应为整数：{raw}") from None
    if value < low or (high is not None and value > high):
        span = f"{low}–{high}" if high is not None else f"不小于 {low}"
        raise BadRequest(f"参数 {name} 超出范围（{span}）：{raw}")
    return value


def _abs(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


def _paginate(request, qs, serialize, fetch=None):
    """``fetch`` turns a page of ``qs`` rows into the objects to serialise
    (used to page over the narrow index rows and then load the items)."""
    size = _param(request, "page_size", DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    number = _param(request, "page", 1, low=1, high=MAX_PAGE_NUMBER)
    paginator = Paginator(qs, size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _json(request, {"error": "页码超出范围", "count": paginator.count}, status=404)

    def link(n):
        params = request.GET.copy()
        params["page"] = n
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return _json(
        request,
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                serialize(request, obj)
                for obj in (fetch(list(page.object_list)) if fetch else page.object_list)
            ],
        },
    )


def _org(request, org):
    return {
        "slug": org.slug,
        "name": org.name,
        "level": org.level,
        "parent": org.parent.slug if org.parent_id and org.parent.is_active else None,
        "url": _abs(request, "portal:org", org.slug),
        "items": _abs(request, "portal:api_items", org.slug),
        "catalogue": _abs(request, "portal:api_catalogue", org.slug),
        "reports": _abs(request, "portal:api_reports", org.slug),
    }


def _item(request, item: Item, *, full=False):
    data = {
        "id": item.pk,
        "organization": item.organization.slug,
        "index_number": item.index_number,
        "title": item.title,
        "document_number": item.document_number,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "category": item.category_id,
        "formed_on": item.formed_on.isoformat(),
        "published_at": item.published_at.isoformat(),
        # 已废止 / 已失效 / 已修订 from the register (docs/disclosure.md), "" otherwise.
        "register_state": getattr(item, "register_state", None) or "",
        "url": _abs(request, "portal:item", item.organization.slug, item.pk),
        "api_url": _abs(request, "portal:api_item", item.pk),
    }
    if full:
        data.update(
            summary=item.summary,
            # Stored HTML has passed nh3 in the services; cleaned again as the page does.
            body=clean_html(item.body) if item.body_format == "html" else item.body,
            body_format=item.body_format,
            interprets=item.interprets_id if sel.public_policy_of(item) else None,
            interpretations=[i.pk for i in sel.public_interpretations(item)],
            notice_from=item.notice_from.isoformat() if item.notice_from else None,
            notice_to=item.notice_to.isoformat() if item.notice_to else None,
            attachments=[
                {
                    "name": a.original_name,
                    "size": a.size,
                    "url": _abs(
                        request, "portal:attachment", item.organization.slug, item.pk, a.pk
                    ),
                }
                for a in item.attachments.all()
            ],
        )
    return data


@cached_page("all")
def docs(request):
    """The API documentation as a portal page (Chinese), with absolute example URLs."""
    return render(
        request,
        "portal/api_docs.html",
        {
            "base": request.build_absolute_uri(reverse("portal:api_index")),
            "example_org": sel.public_organizations().first(),
            "max_page_size": MAX_PAGE_SIZE,
            "default_page_size": DEFAULT_PAGE_SIZE,
        },
    )


@cached_page("all")
@api_view
def index(request):
    return _json(
        request,
        {
            "version": "v1",
            "organizations": _abs(request, "portal:api_organizations"),
            "documentation": _abs(request, "portal:api_docs"),
        },
    )


@api_view
def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404, like the endpoints' own."""
    raise Http404


@cached_page("all")
@api_view
def organizations(request):
    qs = sel.public_organizations().select_related("parent")
    return _paginate(request, qs, _org)


@cached_page()
@api_view
def items(request, slug):
    org = sel.public_organization(slug)
    docs = sel.public_docs(org)
    kind = request.GET.get("kind")
    if kind:
        if kind not in Item.Kind.values:
            return _json(request, {"error": f"未知的类型：{kind}"}, status=400)
        docs = docs.filter(kind=kind)
    category = _param(request, "category", None, low=1, high=DB_INT_MAX)
    if category:
        ids = disclosure.category_ids_below(sel.category_of(org, category))
        docs = docs.filter(category_id__in=ids)
    return _paginate(
        request, docs.values_list("item_id", flat=True), _item, fetch=sel.items_for_docs
    )


@cached_page("all")
@api_view
def item(request, pk):
    obj = sel.with_register_state(sel.public_items()).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return _json(request, _item(request, obj, full=True))


@cached_page()
@api_view
def catalogue(request, slug):
    org = sel.public_organization(slug)
    rows = [
        {
            "id": r.category.pk,
            "parent": r.category.parent_id,
            "code": r.category.code,
            "name": r.category.name,
            "depth": r.depth,
            "applies": r.category.applies,
            "not_applicable_reason": r.category.not_applicable_reason,
            "content_elements": r.category.content_elements,
            "basis": r.category.basis,
            "time_limit": r.category.time_limit,
            "channels": r.category.channels,
            "unit": r.category.unit.name if r.category.unit_id else "",
            "item_count": r.count,
            "items": _abs(request, "portal:api_items", org.slug) + f"?category={r.category.pk}",
        }
        for r in sel.catalogue_rows(org)
    ]
    return _json(request, {"organization": org.slug, "categories": rows})


@cached_page()
@api_view
def reports(request, slug):
    org = sel.public_organization(slug)
    rows = [
        {
            "year": r.year,
            "published_at": r.published_at.isoformat() if r.published_at else None,
            "url": _abs(request, "portal:report", org.slug, r.year),
            "json": _abs(request, "portal:api_report", org.slug, r.year),
            "docx": _abs(request, "portal:report_download", org.slug, r.year, "docx"),
            "xlsx": _abs(request, "portal:report_download", org.slug, r.year, "xlsx"),
        }
        for r in sel.published_reports(org)
    ]
    return _json(request, {"organization": org.slug, "reports": rows})


@cached_page()
@api_view
def report(request, slug, year):
    org = sel.public_organization(slug)
    _, rep = sel.published_report(org, year)
    response = HttpResponse(write(rep, "json"), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
