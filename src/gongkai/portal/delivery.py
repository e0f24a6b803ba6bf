"""电子送达 on the portal: the signed, expiring download links of the status page
(gongkai.applications.delivery).  Never cached: every answer is private and
marked ``no-store``; the links appear only after the tracking code + last four
digits check of the status look-up."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.applications import delivery
from gongkai.uploads import download_response

from . import ratelimit
from .apply import too_many

EXPIRED = "链接已过期，请重新查询"
INVALID = "下载链接无效"


def _link_page(request, status: int):
    return render(
        request,
        "portal/delivery_link.html",
        {"title": EXPIRED if status == 410 else INVALID, "expired": status == 410},
        status=status,
    )


# GET only: a HEAD (link checkers, prefetchers) must not count as the applicant's download.
@never_cache
@require_GET
def download(request, token: str):
    verdict = ratelimit.hit("download", request)
    if not verdict.allowed:
        return too_many(request, verdict)
    try:
        target = delivery.read_link_token(token)
        file = delivery.download_resolve(target)
    except delivery.LinkExpired:
        return _link_page(request, 410)
    except delivery.LinkInvalid:
        return _link_page(request, 404)
    # Open the stored file first (Http404 when it is missing): only a file
    # actually handed out is recorded as downloaded, and possibly as served.
    response = download_response(file.path, file.filename)
    try:
        delivery.delivery_record_download(file=file, now=timezone.now())
    except BaseException:
        response.close()
        raise
    return response
