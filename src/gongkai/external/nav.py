from gongkai.platform.extensions import NavItem

NAV_ITEMS = [
    # The supervising body's list of bodies outside the platform (issue #12).
    NavItem("external:body_list", "平台外机关", frozenset({"supervisor", "admin"}), order=46),
]
