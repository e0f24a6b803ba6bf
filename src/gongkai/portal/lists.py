"""Public pages of the 三项清单 and the 失效文件清单, and the 失效 banner of an
item page.  What they show is written in the register or published as a list
revision in ``gongkai.disclosure``; nothing here decides it."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.disclosure import list_selectors as disclosure
from gongkai.disclosure.models import ListKind, NormativeDocument

from . import selectors as sel
from .pagecache import cached_page


def _public_item(doc: NormativeDocument | None):
    """The register row's item when the public may open it, else None."""
    item = doc.item if doc is not None else None
    if item is not None and item.is_public and item.organization.is_active:
        return item
    return None


def validity_notices(normative, today) -> list[dict]:
    """The banners of an item page: one per register row of the item that is
    已废止/已失效/已修订 on ``today``, with the document that replaced it.

    ``normative``: (doc, in force, state) rows as the item view builds them, the
    docs fetched with ``replaced_by__item__organization``."""
    notices = []
    for doc, _in_force, _state in normative:
        state = doc.void_on(today)
        if not state:
            continue
        notices.append(
            {
                "state": state,
                "date": doc.void_date(today),
                "doc": doc,
                "replaced_by": doc.replaced_by,
                "replaced_by_item": _public_item(doc.replaced_by),
            }
        )
    return notices


@require_safe
@cached_page()
def lists_index(request, slug):
    org = sel.public_organization(slug)
    return render(
        request,
        "portal/lists.html",
        {"org": org, "overview": disclosure.list_overview(org), "section": "lists"},
    )


def _kind(kind: str) -> str:
    if kind not in ListKind.values:
        raise Http404("没有这份清单")
    return kind


@require_safe
@cached_page()
def list_page(request, slug, kind, number=None):
    """A list's newest revision (or revision ``number``) and the revision history."""
    org = sel.public_organization(slug)
    kind = _kind(kind)
    revisions = disclosure.list_revisions(org, kind)
    if number is None:
        shown = revisions[0] if revisions else None
    else:
        shown = next((r for r in revisions if r.number == number), None)
        if shown is None:
            raise Http404("没有这一版清单")
    return render(
        request,
        "portal/list.html",
        {
            "org": org,
            "kind": kind,
            "label": ListKind(kind).label,
            "shown": shown,
            "is_current": bool(revisions) and shown is revisions[0],
            "revisions": revisions,
            "kinds": ListKind.choices,
            "section": "lists",
        },
    )


@require_safe
@cached_page()
def void_documents(request, slug):
    """失效文件清单: 已废止 / 已失效 / 已修订 documents of the register, with the
    date and the document that replaced them."""
    org = sel.public_organization(slug)
    today = timezone.localdate()
    rows = [
        {
            "doc": doc,
            "state": doc.void_on(today),
            "date": doc.void_date(today),
            "item": _public_item(doc),
            "replaced_by": doc.replaced_by,
            "replaced_by_item": _public_item(doc.replaced_by),
        }
        for doc in disclosure.void_documents(org, today)
    ]
    return render(
        request, "portal/void_documents.html", {"org": org, "rows": rows, "section": "rules"}
    )
