"""How other apps put links in the back-office navigation and widgets on the dashboard.

Each ``gongkai.<app>`` may have:

``nav.py`` with ``NAV_ITEMS``: a list of :class:`NavItem` (or plain
``(url_name, label, roles)`` tuples).  ``roles`` empty = every member of the
current body; otherwise the user needs one of them in the current body.
``superuser=True`` shows the entry to platform superusers only (platform-wide
pages such as the holiday calendar).

``dashboard.py`` with ``widgets(request, organization, roles) -> list[dict]``
(``roles``: a frozenset of the user's roles in ``organization``; a provider
should not build — not query for — a widget the user cannot see).  A
widget dict has ``title`` and either ``template`` (+ ``context``) to include,
or ``rows``: a list of ``{"label", "value", "url"}``; optional ``url`` (a
"查看全部" link), ``order`` (int, small first) and ``roles`` (as for nav; still
applied as a safety net).

Both are discovered once per process by importing the module if it exists.
"""

from __future__ import annotations

import functools
import importlib
import logging
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    url_name: str  # namespaced, e.g. "disclosure:item_list"
    label: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    superuser: bool = False


@functools.cache
def app_modules(module: str) -> tuple[ModuleType, ...]:
    """``gongkai.<app>.<module>`` for every installed gongkai app that has one."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        dotted = f"{config.name}.{module}"
        try:
            found.append(importlib.import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:  # a real import error inside the module
                raise
    return tuple(found)


def _as_nav_item(entry) -> NavItem:
    if isinstance(entry, NavItem):
        return entry
    url_name, label, *rest = entry
    roles = frozenset(rest[0]) if rest else frozenset()
    order = rest[1] if len(rest) > 1 else 100
    return NavItem(url_name=url_name, label=label, roles=roles, order=order)


def all_nav_items() -> list[NavItem]:
    items = [_as_nav_item(e) for m in app_modules("nav") for e in getattr(m, "NAV_ITEMS", [])]
    return sorted(items, key=lambda i: i.order)


def nav_for(roles: set[str], current_path: str = "", *, is_superuser: bool = False) -> list[dict]:
    """Navigation entries the holder of ``roles`` may use, with resolved URLs."""
    if not roles:
        return []
    entries = []
    for item in all_nav_items():
        if item.roles and not (item.roles & roles):
            continue
        if item.superuser and not is_superuser:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            logger.warning("back-office nav: cannot resolve %s", item.url_name)
            continue
        active = bool(current_path) and (
            current_path == url or (url != "/backoffice/" and current_path.startswith(url))
        )
        entries.append({"url": url, "label": item.label, "active": active})
    return entries


def dashboard_widgets(request, organization, roles: set[str]) -> list[dict]:
    held = frozenset(roles)
    widgets: list[dict] = []
    for module in app_modules("dashboard"):
        provider = getattr(module, "widgets", None)
        if provider is None:
            continue
        for widget in provider(request, organization, held) or []:
            needed = frozenset(widget.get("roles") or ())
            if needed and not (needed & held):
                continue
            widgets.append(widget)
    return sorted(widgets, key=lambda w: w.get("order", 100))
