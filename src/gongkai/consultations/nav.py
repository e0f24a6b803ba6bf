"""Back-office navigation entries of the consultations app."""

from gongkai.platform.extensions import NavItem

NAV_ITEMS = [NavItem("consultations:list", "意见征集", order=25)]
