"""Sane ranges for dates and numbers that come from outside.

Every date a person types (forms), a file brings (imports) or a stored record
carries is expected between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`.
Outside that range the working-day calendar cannot answer (it stops at the
year 9999, and a 成文日期 of 9999-12-31 put the deadline in year 10000), and
no government record of these bodies can honestly be dated there.

- Forms use :class:`BoundedDateField` (or :func:`bound_date_fields` on a
  ModelForm) and refuse such a date with a Chinese message.
- Code that reads a stored date asks :func:`date_in_range` and shows the value
  as wrong instead of computing with it.
- Query parameters go through :func:`int_in_range`: anything that is not an
  integer within its bounds is ignored (``None``) — a page never computes with
  99999999999999999999999, and the database never sees it.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

# The founding of the People's Republic: no record of these bodies is older.
EARLIEST_DATE = dt.date(1949, 10, 1)
# Far enough for any real 期限 or 有效期, near enough for every computation.
LATEST_DATE = dt.date(2099, 12, 31)
EARLIEST_YEAR = EARLIEST_DATE.year
LATEST_YEAR = LATEST_DATE.year

RANGE_TEXT = f"{EARLIEST_DATE:%Y-%m-%d} 至 {LATEST_DATE:%Y-%m-%d}"
OUT_OF_RANGE = "日期有误"


def date_in_range(value: dt.date | None) -> bool:
    """True for a date (or datetime) inside the sane range; False for None."""
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        value = value.date()
    return EARLIEST_DATE <= value <= LATEST_DATE


def date_message(value: dt.date | None = None, label: str = "日期") -> str:
    shown = f"“{value:%Y-%m-%d}”" if value is not None else ""
    return f"{label}{shown}超出合理范围，应在 {RANGE_TEXT} 之间。"


def validate_date_in_range(value: dt.date | None) -> None:
    """A form/model validator: refuse dates outside the sane range."""
    if value is not None and not date_in_range(value):
        raise ValidationError(date_message(value), code="date_out_of_range")


def _limit_attrs(widget: forms.Widget) -> None:
    # The browser's date picker then offers only sane dates.
    widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
    widget.attrs.setdefault("max", LATEST_DATE.isoformat())


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside :data:`EARLIEST_DATE`–:data:`LATEST_DATE`."""

    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("min", EARLIEST_DATE.isoformat())
        attrs.setdefault("max", LATEST_DATE.isoformat())
        return attrs


def bound_date_fields(form: forms.BaseForm) -> None:
    """Give every date field of ``form`` the range check (for ModelForms, whose
    date fields come from the model)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            if validate_date_in_range not in field.validators:
                field.validators.append(validate_date_in_range)
            _limit_attrs(field.widget)


def int_in_range(raw, *, low: int, high: int) -> int | None:
    """``raw`` (a query-string value) as an int in [low, high], else None.

    Bounded before use: ``int()`` of a 5,000-digit string is slow, and an
    out-of-range number reaches the database as an overflow error.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not text or len(text) > 20:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


__all__ = [
    "EARLIEST_DATE",
    "EARLIEST_YEAR",
    "LATEST_DATE",
    "LATEST_YEAR",
    "OUT_OF_RANGE",
    "RANGE_TEXT",
    "BoundedDateField",
    "bound_date_fields",
    "date_in_range",
    "date_message",
    "int_in_range",
    "validate_date_in_range",
]
