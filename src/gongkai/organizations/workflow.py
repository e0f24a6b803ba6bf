"""The audit verbs the organizations app writes, with the label the audit log shows.

Bodies, units, memberships and accounts have no states to move between, so
this module holds only ``VERBS`` (verb → Chinese label); the audit-verb
registry finds it as ``gongkai.<app>.workflow``.  Pure: no Django import.
"""

from __future__ import annotations

VERBS: dict[str, str] = {
    # services.organization_update_office: the 指南 contact details (条例第十二条)
    "organization.update": "修改本机关信息",
    # profile.py: 机构概况, 政务新媒体, 公开制度 (条例第二十条第（二）项、第二十三条)
    "organization.profile_update": "修改机构职能或公开制度",
    "leader.create": "新增领导信息",
    "leader.update": "修改领导信息",
    "leader.delete": "删除领导信息",
    "unit.update": "修改科室公开信息",
    "newmedia.create": "新增政务新媒体账号",
    "newmedia.update": "修改政务新媒体账号",
    "newmedia.delete": "删除政务新媒体账号",
    "ruledoc.create": "上传公开制度文件",
    "ruledoc.delete": "删除公开制度文件",
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
