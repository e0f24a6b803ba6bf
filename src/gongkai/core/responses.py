"""Turning a service's ``ValidationError`` (``Invalid``) into what the user reads.

The only two flatteners: :func:`add_errors` puts the messages on a form,
:func:`message_errors` into flash messages.  By default each message stands on
its own; ``joined=`` makes one message of them all, as some pages have always
shown them (disclosure: ``joined="；"``, annual reports: ``joined=""``).

``Forbidden`` needs nothing here: it is a ``PermissionDenied``, answered with 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of ``exc`` in order, field-keyed ones included (``exc.messages``)."""
    return list(exc.messages)


def add_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    joined: str | None = None,
    fields: bool = False,
) -> None:
    """Show ``exc`` on a validated ``form``.

    - default: each message is one error at the top of the form;
    - ``joined="；"``: one error, the messages joined by the separator;
    - ``fields=True``: a message keyed by a field the form has goes under that
      field; the rest go to the top (each, or joined).
    """
    rest: list[str] = []
    if fields and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            if name != NON_FIELD_ERRORS and name in form.fields:
                for message in errors:
                    form.add_error(name, message)
            else:
                rest.extend(errors)
    else:
        rest = error_messages(exc)
    if not rest:
        return
    if joined is not None:
        form.add_error(None, joined.join(rest))
        return
    for message in rest:
        form.add_error(None, message)


def message_errors(
    request: HttpRequest, exc: ValidationError, *, joined: str | None = None
) -> None:
    """Show ``exc`` as error flash messages: one per message, or one ``joined``."""
    found = error_messages(exc)
    if not found:
        return
    if joined is not None:
        messages.error(request, joined.join(found))
        return
    for message in found:
        messages.error(request, message)
