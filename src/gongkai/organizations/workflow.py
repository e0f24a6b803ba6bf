"""The audit verbs the organizations app writes, with the label the audit log shows.

Bodies, units, memberships and accounts have no states to move between, so
this module holds only ``VERBS`` (verb → Chinese label); the audit-verb
registry finds it as ``gongkai.<app>.workflow``.  Pure: no Django import.
"""

from __future__ import annotations

VERBS: dict[str, str] = {
    # services.organization_update_office: the 指南 contact details (条例第十二条)
    "organization.update": "修改本机关信息",
    # services.unit_create / unit_set_active
    "unit.create": "新增科室",
    "unit.activate": "启用科室",
    "unit.deactivate": "停用科室",
    # services.membership_grant / membership_revoke (also read by selectors.self_grants)
    "membership.grant": "授予岗位",
    "membership.revoke": "撤销岗位",
    # services.user_create_with_role, account_require_password_change, user_password_change
    "user.create": "新建账号",
    "user.password_reset": "管理员设置密码",
    "user.password_change": "修改密码",
    # services.login_lockout_record, called by backends.ThrottledModelBackend
    "login.lockout": "登录失败次数过多被锁定",
}
