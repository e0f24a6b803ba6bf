"""Service-hall screen (服务大厅电子屏): notices whose 公示期 is current, full screen.

The page renders the notices server-side (works without JavaScript: a meta
refresh reloads it); ``screen.js`` advances one notice at a time and every few
minutes replaces the list from ``notices.json`` — it replaces DOM nodes and
keeps at most MAX_NOTICES entries, so a screen left on for weeks does not grow.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.disclosure.search_source import item_plain_body

from . import selectors as sel
from .views import _int

MAX_NOTICES = 50
BODY_CHARS = 600
ADVANCE_SECONDS = 15
RELOAD_SECONDS = 300


def _notices(org, today):
    rows = []
    for item in sel.current_notices(org, today)[:MAX_NOTICES]:
        body = item.summary or item_plain_body(item)
        rows.append(
            {
                "id": item.pk,
                "title": item.title,
                "number": item.document_number,
                "body": body[:BODY_CHARS] + ("…" if len(body) > BODY_CHARS else ""),
                "notice_from": item.notice_from.isoformat(),
                "notice_to": item.notice_to.isoformat(),
            }
        )
    return rows


def _settings(request) -> dict:
    advance = min(max(_int(request.GET.get("advance"), ADVANCE_SECONDS), 3), 600)
    return {"advance": advance, "reload": RELOAD_SECONDS}


@require_safe
def screen(request, slug):
    org = sel.public_organization(slug)
    today = timezone.localdate()
    return render(
        request,
        "portal/screen.html",
        {"org": org, "notices": _notices(org, today), "today": today, **_settings(request)},
    )


@require_safe
def screen_data(request, slug):
    org = sel.public_organization(slug)
    today = timezone.localdate()
    response = JsonResponse(
        {"organization": org.name, "today": today.isoformat(), "notices": _notices(org, today)},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response
