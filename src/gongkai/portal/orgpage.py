"""A body's own public pages: 机构概况 (条例第二十条第（二）项), the 政务新媒体 QR
images (条例第二十三条), the 公开制度 documents, the printable 申请表
(条例第二十九条), and the dedicated columns 行政事业性收费 (条例第二十条第（八）项)
and 建议提案办理结果 (国办发〔2014〕46号).  Pages are page-cached per body (``cached_page``); the files
are served from default storage, never by a filesystem path."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.bounds import EARLIEST_YEAR, LATEST_YEAR, int_in_range
from gongkai.disclosure.models import ProposalReply
from gongkai.organizations.models import Organization
from gongkai.uploads import download_response, open_stored

from . import selectors as sel
from .applyform import BodyDetails, form_docx, form_pdf
from .pagecache import SITE, body_scope, cached_page, cached_value

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Catalogue columns that fill themselves from the body's 机构概况 instead of
# needing items: the 条例第二十条第（二）项 column of the standard catalogue and
# the usual names of a department's or a custom catalogue's column for it.
PROFILE_COLUMN_NAMES = frozenset(
    {
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
        "机构职能",
        "机构信息",
        "机构概况",
        "机构设置",
        "领导信息",
    }
)


# The 条例第二十条第（八）项 column and the 建议提案 columns (a department's
# catalogue has “建议提案办理”).
FEE_COLUMN_NAMES = frozenset({"行政事业性收费项目及其依据、标准", "行政事业性收费", "收费项目"})
PROPOSAL_COLUMN_NAMES = frozenset(
    {
        "建议提案办理",
        "建议提案办理结果",
        "建议提案",
        "人大代表建议和政协委员提案办理结果",
        "人大代表建议政协委员提案办理结果",
    }
)


def is_profile_column(category) -> bool:
    return category.name.strip() in PROFILE_COLUMN_NAMES


def fee_rows(org: Organization, *, today: dt.date) -> list[tuple]:
    """(fee, abolished) pairs: in force first (条例第二十条第（八）项), then the
    abolished ones.  A fee whose 取消日期 is still ahead is collected until then,
    so it is in force today (the page cache key carries the date)."""
    rows = [
        (f, f.abolished_on is not None and f.abolished_on <= today) for f in org.fee_items.all()
    ]
    return sorted(rows, key=lambda row: (row[1], row[0].order, row[0].name))


def proposal_rows(org: Organization, *, year: int | None = None) -> list:
    rows = org.proposal_replies.select_related("item")
    if year is not None:
        rows = rows.filter(year=year)
    return [(r, r.item if r.item and r.item.is_public else None) for r in rows]


def profile_context(org: Organization) -> dict:
    """What the 机构概况 page and the self-filling catalogue column show."""
    return {
        "functions": [line.strip() for line in org.functions.splitlines() if line.strip()],
        "leaders": list(org.leaders.order_by("order", "pk")),
        "units": list(org.units.filter(is_active=True, is_public=True).order_by("order", "name")),
    }


@require_safe
@cached_page()
def profile(request, slug):
    org = sel.public_organization(slug)
    context = {"org": org, "section": "profile", **profile_context(org)}
    return render(request, "portal/profile.html", context)


def column_context(org: Organization, category, *, today: dt.date) -> dict | None:
    """For a catalogue column that fills itself, what it shows (``kind``: profile,
    fees or proposals); None for an ordinary column (no query)."""
    name = category.name.strip()
    if name in PROFILE_COLUMN_NAMES:
        return {"kind": "profile", **profile_context(org)}
    if name in FEE_COLUMN_NAMES:
        return {"kind": "fees", "fees": fee_rows(org, today=today)}
    if name in PROPOSAL_COLUMN_NAMES:
        return {"kind": "proposals", "replies": proposal_rows(org)}
    return None


@require_safe
@cached_page()
def fees(request, slug):
    org = sel.public_organization(slug)
    fees = fee_rows(org, today=timezone.localdate())
    context = {"org": org, "fees": fees, "section": "catalogue"}
    return render(request, "portal/fees.html", context)


@require_safe
@cached_page()
def proposals(request, slug):
    org = sel.public_organization(slug)
    year = int_in_range(request.GET.get("year"), low=EARLIEST_YEAR, high=LATEST_YEAR)
    years = sorted(set(org.proposal_replies.values_list("year", flat=True)), reverse=True)
    replies = proposal_rows(org, year=year)
    counts = {
        (kind, outcome): sum(1 for r, _ in replies if r.kind == kind and r.outcome == outcome)
        for kind in ProposalReply.Kind.values
        for outcome in ProposalReply.Outcome.values
    }
    summary = [
        (
            kind_label,
            sum(counts[(kind, o)] for o in ProposalReply.Outcome.values),
            [(label, counts[(kind, o)]) for o, label in ProposalReply.Outcome.choices],
        )
        for kind, kind_label in ProposalReply.Kind.choices
    ]
    context = {
        "org": org,
        "replies": replies,
        "years": years,
        "year": year,
        "summary": summary,
        "section": "catalogue",
    }
    return render(request, "portal/proposals.html", context)


def qr_version(qr_path: str) -> str:
    """A short token of the stored QR file: its name is new with every upload."""
    return hashlib.sha256(qr_path.encode()).hexdigest()[:12]


def new_media_rows(org: Organization) -> list[tuple]:
    """(account, QR image URL or "") for the body's home page.  The URL carries
    the QR's version, so a replaced QR code gets a new URL at once."""
    return [
        (
            account,
            reverse("portal:new_media_qr", args=[org.slug, account.pk])
            + f"?v={qr_version(account.qr_path)}"
            if account.qr_path
            else "",
        )
        for account in org.new_media_accounts.all()
    ]


@require_safe
def new_media_qr(request, slug, pk):
    """A 政务新媒体 account's QR code: a PNG the platform wrote itself
    (organizations.profile.reencode_qr), so it may be shown inline."""
    org = sel.public_organization(slug)
    account = org.new_media_accounts.filter(pk=pk).exclude(qr_path="").first()
    if account is None:
        raise Http404("二维码不存在")
    stream, _size = open_stored(account.qr_path)
    try:
        content = stream.read()
    finally:
        stream.close()
    response = HttpResponse(content, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if request.GET.get("v") == qr_version(account.qr_path):
        # This URL names this very file: a new upload gets another one.
        response["Cache-Control"] = "public, max-age=86400"
    else:
        # An old or missing version (an old page, a bookmark): the current QR,
        # which no cache may keep without asking again (a replaced QR code may
        # have been wrong or hijacked).
        response["Cache-Control"] = "no-cache"
    return response


@require_safe
def rule_document(request, slug, pk):
    org = sel.public_organization(slug)
    document = org.rule_documents.filter(pk=pk).first()
    if document is None:
        raise Http404("制度文件不存在")
    try:
        return download_response(document.path, document.original_name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404("制度文件暂时无法下载") from exc


def body_details(org: Organization) -> BodyDetails:
    return BodyDetails(
        name=org.name,
        office_name=org.office_name,
        address=org.office_address,
        postcode=org.office_postcode,
        phone=org.office_phone,
        fax=org.office_fax,
        email=org.office_email,
        hours=org.office_hours,
        website=org.office_website,
    )


FORM_WRITERS = {"docx": (form_docx, DOCX_TYPE), "pdf": (form_pdf, "application/pdf")}


@require_safe
def apply_form(request, slug, fmt):
    """The 申请表 for printing (条例第二十九条).  Built once per version of the
    body's details: any change to the body bumps ``site`` (portal.invalidation),
    so the next download is built from the new details."""
    if fmt not in FORM_WRITERS:
        raise Http404("不支持的格式")
    org = sel.public_organization(slug)
    writer, content_type = FORM_WRITERS[fmt]
    content = cached_value(
        f"applyform:{org.pk}:{fmt}",
        [SITE, body_scope(org.slug)],
        lambda: writer(body_details(org)),
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"{org.slug}-apply-form.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=0"
    return response
