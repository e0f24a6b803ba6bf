from gongkai.platform.extensions import NavItem

NAV_ITEMS = [
    NavItem("reports:report_list", "年度报告", order=40),
    NavItem("reports:supervision", "下级报告监督", frozenset({"supervisor"}), order=45),
]
