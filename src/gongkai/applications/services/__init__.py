"""Every write to an application goes through a function here.

Shape of each state change: ``@transaction.atomic``, lock the row, replay the
stored events plus the new one through ``clock.replay`` (the one transition
table and the statutory checks; an illegal step raises a Chinese
``ValidationError``), save the event, cache the state and due date, write an
audit row, generate the letter, defer e-mail with ``transaction.on_commit``.

One module per sub-noun; this package re-exports every public name so that
``from gongkai.applications import services`` keeps working:
``_common`` (shared steps), ``intake``, ``clock_events``, ``extensions``,
``fee_notices``, ``closing``, ``letter_templates``, ``refresh``, ``reminders``,
``dispatch`` (统一受理: the county's queue, 分办/签收/退回/转办).
"""

from gongkai.workcal.selectors import calendar, fee_pauses_clock

from .. import clock
from ..numbering import next_letter_number
from ..outcomes import REASONS_REQUIRED_GROUPS, reasons_required_message
from ._common import application_deadline
from .clock_events import (
    application_consult,
    application_receive_correction,
    application_record_consultation_answer,
    application_request_correction,
    application_request_reasons,
    application_set_later_date,
)
from .closing import OUTCOME_LETTER, application_close
from .dispatch import (
    application_dispatch,
    application_receive_unified,
    application_return,
    application_sign,
    application_transfer,
    clock_start_of,
    dispatch_days_of,
    dispatch_deadline,
    intake_settings_save,
)
from .extensions import application_extension_decide, application_extension_request
from .fee_notices import (
    application_record_payment,
    application_send_fee_notice,
    applications_in_month,
)
from .intake import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    application_assign,
    application_receive,
    new_tracking_code,
)
from .letter_templates import (
    letter_regenerate,
    letter_template_reset,
    letter_template_save,
)
from .refresh import DeadlineRefresh, application_refresh_deadlines
from .reminders import reminders_send

__all__ = [
    "OUTCOME_LETTER",
    "REASONS_REQUIRED_GROUPS",
    "TRACKING_ALPHABET",
    "TRACKING_LENGTH",
    "DeadlineRefresh",
    "application_assign",
    "application_close",
    "application_dispatch",
    "application_receive_unified",
    "application_return",
    "application_sign",
    "application_transfer",
    "clock_start_of",
    "dispatch_days_of",
    "dispatch_deadline",
    "intake_settings_save",
    "application_consult",
    "application_deadline",
    "application_extension_decide",
    "application_extension_request",
    "application_receive",
    "application_receive_correction",
    "application_record_consultation_answer",
    "application_record_payment",
    "application_refresh_deadlines",
    "application_request_correction",
    "application_request_reasons",
    "application_send_fee_notice",
    "application_set_later_date",
    "applications_in_month",
    "calendar",
    "clock",
    "fee_pauses_clock",
    "letter_regenerate",
    "letter_template_reset",
    "letter_template_save",
    "new_tracking_code",
    "next_letter_number",
    "reasons_required_message",
    "reminders_send",
]
