"""Back-office navigation entries of the inquiries app."""

from gongkai.platform.extensions import NavItem

NAV_ITEMS = [NavItem("inquiries:list", "政民互动", order=25)]
