"""Back-office navigation entries of the appeals app."""

from gongkai.platform.extensions import NavItem

NAV_ITEMS = [NavItem("appeals:list", "复议与诉讼", order=30)]
