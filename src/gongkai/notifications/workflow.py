"""Audit verbs of the notifications app (pure: found by gongkai.core.audit_verbs)."""

VERBS: dict[str, str] = {
    "notification_template.save": "修改通知模板",
    "notification_template.reset": "恢复默认通知模板",
    "notification_quiet_hours.save": "修改免打扰时段",
    "notification.retry": "重新发送通知",
}
