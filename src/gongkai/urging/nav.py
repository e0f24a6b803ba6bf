"""Back-office navigation entries of the 督办 app."""

from gongkai.platform.extensions import NavItem

NAV_ITEMS = [NavItem("urging:inbox", "督办", order=27)]
