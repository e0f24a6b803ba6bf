"""Item bodies as safe HTML, cleaned once per distinct body.

Stored HTML bodies have passed nh3 in the disclosure services; the portal
cleans them again before showing them (defence in depth).  nh3 on a long body
costs milliseconds, so the result is kept in the shared cache under the
body's content hash: an edited body has another hash, nothing to invalidate.
"""

from __future__ import annotations

import hashlib

import nh3
from django.utils.safestring import SafeString, mark_safe

from .pagecache import cache_get, cache_set

TTL = 7 * 24 * 3600


def clean_html(html: str) -> SafeString:
    key = "portal:html:" + hashlib.sha256(html.encode()).hexdigest()
    cleaned = cache_get(key)
    if cleaned is None:
        cleaned = nh3.clean(html)
        cache_set(key, cleaned, TTL)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3
