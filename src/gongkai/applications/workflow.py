"""The application's one vocabulary (pure: no Django import).

``CLOCK`` is the reply clock's transition table, declared in :mod:`.clock`
(states with their labels, each event kind with the states it may happen in,
the state after, its audit verb ``application.<kind>`` and its label);
``models.py`` generates ``Status`` and ``EventKind`` from it and the back
office's action lists read it.  ``VERBS`` labels every other audit verb the
application services write (gongkai.core.audit_verbs finds both here).
"""

from __future__ import annotations

from .clock import (
    AWAITING_CORRECTION,
    AWAITING_PAYMENT,
    AWAITING_REASONS,
    CLOCK,
    STATE_CLOSED,
)

__all__ = [
    "CLOCK",
    "EVENT_KINDS",
    "OPEN_STATUSES",
    "VERBS",
    "WAITING_FOR_APPLICANT",
    "event_kind_members",
    "paused_statuses",
]

# Every state but "closed": the application still needs a reply.
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in CLOCK.states if s != STATE_CLOSED)
# The clock waits for the applicant (补正, 缴费, 说明理由).
WAITING_FOR_APPLICANT: tuple[str, ...] = (AWAITING_CORRECTION, AWAITING_PAYMENT, AWAITING_REASONS)


def paused_statuses(fee_pauses: bool) -> tuple[str, ...]:
    """Open states in which the reply clock does not run.

    条例第三十条: a 补正 suspends the period; 国办函〔2020〕109号: notice-to-payment
    time is not counted only when ``fee_pauses`` (``GONGKAI_FEE_PAUSES_CLOCK``).
    Waiting for reasons (条例第三十五条) never stops the clock.
    """
    return (AWAITING_CORRECTION, AWAITING_PAYMENT) if fee_pauses else (AWAITING_CORRECTION,)


# Event kind -> its label, in declaration order (the ``EventKind`` choices).
EVENT_KINDS: dict[str, str] = {t.action: t.label for t in CLOCK.transitions}


def event_kind_members() -> list[tuple[str, tuple[str, str]]]:
    """Members for ``models.TextChoices("EventKind", ...)`` (``EventKind.FEE_PAID == "fee_paid"``)."""
    return [(kind.upper(), (kind, label)) for kind, label in EVENT_KINDS.items()]


# Audit verbs written by the application services besides the clock's
# ``application.<kind>`` (which the table labels).
VERBS: dict[str, str] = {
    "application.receive": "登记申请",  # services.intake (条例第三十一条)
    "application.assign": "分办科室",  # services.intake
    "application.extension_request": "申请延长答复期限",  # 条例第三十三条第二款
    "application.extension_reject": "不批准延长答复期限",  # 条例第三十三条第二款
    "application.deadline_refresh": "按工作日历重算答复期限",  # services.refresh
    "application.deadline_unreplayable": "答复期限无法重新计算",  # services.refresh
    "letter.failed": "文书生成失败",  # services._common (a broken stored template)
    "letter.regenerate": "重新生成文书",  # services.letter_templates
    "letter_template.save": "修改文书模板",  # services.letter_templates
    "letter_template.reset": "恢复默认文书模板",  # services.letter_templates
}
