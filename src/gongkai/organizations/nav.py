"""Back-office navigation entries of the organizations app (see extensions.py)."""

from .extensions import NavItem
from .models import Role

NAV_ITEMS = [
    NavItem("organizations:dashboard", "工作台", order=0),
    NavItem("organizations:organization_list", "机关与人员", order=900),
    NavItem("organizations:office_edit", "本机关设置", frozenset({Role.ADMIN}), order=910),
]
