"""The one pair of domain errors every service raises, and how views meet them.

- :class:`Forbidden`: the acting user may not do this.  It is Django's
  ``PermissionDenied``, so a view need not catch it: Django answers 403 and the
  403 page shows the Chinese message.  It is also Python's ``PermissionError``,
  which the application, report and appeal services raised before issue #10 —
  code and tests that catch either keep working while the apps move over.
- :class:`Invalid`: the request is refused on its content or on the record's
  state.  It is a ``ValidationError``: views put it on the form or in a flash
  message with :mod:`gongkai.core.responses`.  :class:`WrongState` is the
  refusal of a transition that the current state does not allow.

Because ``Forbidden`` is also an ``OSError``, an ``except OSError`` written around
file handling would catch it: keep service calls out of such blocks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class Forbidden(PermissionDenied, PermissionError):
    """The acting user may not do this; ``str(exc)`` is the Chinese reason."""

    def __init__(self, message: str = "") -> None:
        # One argument only: OSError reads two or more as (errno, strerror, ...).
        super().__init__(message)


class Invalid(ValidationError):
    """Refused on the content of the request or the state of the record."""


class WrongState(Invalid):
    """The record's current state does not allow the action (the table's sentence)."""

    def __init__(
        self, message: str, *, state: str = "", action: str = "", code: str = "invalid_transition"
    ) -> None:
        super().__init__(message, code=code)
        self.state = state
        self.action = action


def require(condition: object, message: str) -> None:
    """Raise :class:`Forbidden` with ``message`` unless ``condition`` holds::

    require(perms.can_approve(user, report.organization), "只有审批领导可以审批年度报告。")
    """
    if not condition:
        raise Forbidden(message)
