"""The audit verbs the workcal app writes, with the label the audit log shows.

Holiday schedules have no states, so this module holds only ``VERBS``; the
audit-verb registry finds it as ``gongkai.<app>.workflow``.  Pure: no Django import.
"""

from __future__ import annotations

VERBS: dict[str, str] = {
    # services.holiday_schedule_save (the verb predates the move out of disclosure)
    "holiday_schedule.save": "录入节假日安排",
}
