"""Back-office navigation entries (see gongkai/platform/extensions.py).

One top-level entry; the disclosure pages share a tab bar of their own
(templates/disclosure/_tabs.html) so the main navigation stays short.
"""

from gongkai.platform.extensions import NavItem

NAV_ITEMS = [
    NavItem("disclosure:item_list", "主动公开", order=10),
]
