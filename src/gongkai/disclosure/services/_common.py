"""Shared pieces of the disclosure services: the row lock and the refusals."""

from __future__ import annotations

from gongkai.core.errors import Forbidden, WrongState
from gongkai.core.transition import lock

from ..models import Item

S = Item.Status

# A workflow step that the item's current status does not allow (the table's
# sentence, "当前状态为“…”，不能执行此操作。"; ``not_editable`` for edits).
TransitionError = WrongState


def _deny(message: str):
    raise Forbidden(message)


def _lock(item: Item) -> Item:
    """Re-read the item under a row lock so two clicks cannot both pass the check."""
    return lock(item, related=("organization",))
