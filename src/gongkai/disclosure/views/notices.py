"""The clerk's list of expired 公示 that still show personal data (issue #9)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.platform.decorators import backoffice_view

from .. import notices
from .. import permissions as perms


@backoffice_view()
def expired_notices(request):
    org = request.organization
    now = timezone.now()
    rows = notices.expired_personal_data_notices(organizations=[org], today=timezone.localdate(now))
    return render(
        request,
        "disclosure/expired_notices.html",
        {
            "rows": [
                {
                    "notice": row,
                    "can_mask": row.body_hits
                    and notices.can_mask_expired_notice(request.user, row.item),
                    "can_withdraw": perms.can_withdraw(request.user, row.item),
                }
                for row in rows
            ],
            "settings": notices.notice_settings_for(org),
            "can_configure": notices.can_configure_notices(request.user, org),
        },
    )


@require_POST
@backoffice_view()
def expired_notice_mask(request, pk: int):
    item = get_object_or_404(perms.items_visible_to(request.user), pk=pk)
    try:
        notices.notice_mask_expired(item=item, acting_user=request.user, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已对《{item.title}》中的个人信息打码。")
    return redirect("disclosure:expired_notices")


@require_POST
@backoffice_view()
def notice_settings(request):
    notices.notice_settings_update(
        organization=request.organization,
        acting_user=request.user,
        auto_mask_expired=request.POST.get("auto_mask_expired") == "on",
    )
    messages.success(request, "已保存公示期满的处理方式。")
    return redirect("disclosure:expired_notices")
