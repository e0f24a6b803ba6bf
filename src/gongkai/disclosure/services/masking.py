"""Review aids: the personal-data scan and masking of an item's body."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai import privacy
from gongkai.audit.services import audit_record

from .. import permissions as perms
from ..models import (
    Item,
)
from ..notices import published_contacts
from ._common import _deny, _lock

# --- review aids --------------------------------------------------------------


def privacy_hits(item: Item) -> list[dict[str, Any]]:
    """Hits of the personal-data scanner in the body text and the attachments' text."""
    rows: list[dict[str, Any]] = []
    sources = [("正文", item.body)]
    sources += [(a.original_name, a.text) for a in item.attachments.all()]
    # The body's own published phone, fax and address are not personal data.
    allow = published_contacts(item.organization)
    for source, text in sources:
        hits = privacy.scan(text or "", allow=allow)
        for hit in hits:
            rows.append(
                {
                    "source": source,
                    "kind": hit.kind,
                    "label": hit.label,
                    "severity": hit.severity,
                    "line": hit.line,
                    "masked": privacy.mask_hit(hit),
                    "excerpt": _masked_excerpt(text, hit, hits),
                }
            )
    return rows


def _masked_excerpt(text: str, hit, hits, width: int = 20) -> str:
    """``width`` characters either side of ``hit``, with every personal-data hit of
    the whole-text scan (``hits``) that reaches into the window masked by its
    own span.  Re-scanning the window would lose what the scan knew from
    outside it — a 银行卡号 column header rows above — and show such a number
    unmasked (review of issue #9, F9).  A hit cut by the window's edge widens
    the window, so no part of a number is shown unmasked either."""
    start = max(0, hit.start - width)
    end = min(len(text), hit.end + width)
    inside = sorted(
        (h for h in hits if h.kind in privacy.PERSONAL_KINDS and h.start < end and h.end > start),
        key=lambda h: (h.start, -h.end),
    )
    for other in inside:
        start, end = min(start, other.start), max(end, other.end)
    pieces: list[str] = []
    pos = start
    for other in inside:
        if other.start < pos:
            continue  # overlaps one already masked
        pieces.append(text[pos : other.start])
        pieces.append(privacy.mask_hit(other))
        pos = other.end
    pieces.append(text[pos:end])
    return "".join(pieces).replace("\n", " ")


@transaction.atomic
def item_mask_personal_data(*, item: Item, acting_user) -> Item:
    """Replace the body with its masked version (the drafter or the reviewer)."""
    item = _lock(item)
    if not perms.can_mask(acting_user, item):
        _deny("当前状态下您不能修改正文。")
    allow = published_contacts(item.organization)
    masked = privacy.mask(item.body, allow=allow)
    hits = len(privacy.scan(item.body, allow=allow))
    if masked == item.body:
        return item
    item.body = masked
    item.save(update_fields=["body", "updated_at"])
    audit_record(
        actor=acting_user,
        organization=item.organization,
        verb="item.mask_personal_data",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        data={"hits": hits},
    )
    return item
