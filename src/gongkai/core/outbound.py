"""Switch off messages that leave the platform (e-mail, SMS) for a block of code.

The demo loader runs inside :func:`outbound_off`: its made-up applicants and
staff get in-app notices, but nothing is mailed or texted to their invented
addresses even where a real SMTP server or SMS gateway is configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_off: ContextVar[bool] = ContextVar("gongkai_outbound_off", default=False)


@contextmanager
def outbound_off() -> Iterator[None]:
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def outbound_allowed() -> bool:
    return not _off.get()
