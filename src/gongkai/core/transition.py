"""``transition()``: the one way a record changes state.

Every step of every workflow has the same shape (docs/architecture.md): in one
transaction, re-read the row under a lock, check the state against the declared
table and the actor's permission (in the table's order), change the record,
save it, and append one audit row (who, what, from → to, comment)::

    item = transition(
        item, "submit", table=ITEM, actor=acting_user, now=now, comment=comment,
        guard=lambda item: None if perms.can_submit(acting_user, item)
        else "只有本机关的经办人可以提交保密审查。",
        related=("organization",),
        return_comment="",
    )

Work that follows the step (a search index update, mail, a file removal) stays
in the service, after ``transition()`` returns, inside the service's own
``@transaction.atomic`` (``transaction.on_commit`` for anything outside the
database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from gongkai.audit.services import audit_record

from .errors import Forbidden, WrongState
from .workflow import InvalidTransition, Table, Transition

M = TypeVar("M", bound=models.Model)

Guard = Callable[[Any], "str | None"]
AuditData = Mapping[str, Any] | Callable[[Any], "Mapping[str, Any] | None"] | None


def lock(obj: M, *, related: Iterable[str] = ()) -> M:
    """``obj`` re-read from the database under a row lock (``SELECT … FOR UPDATE``),
    so that two clicks cannot both pass the same check.  ``related`` is passed to
    ``select_related`` — on PostgreSQL the joined rows are locked too."""
    qs = type(obj)._default_manager.select_for_update()
    related = tuple(related)
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=obj.pk)


def _permit(guard: Guard | None, obj: Any) -> None:
    if guard is None:
        return
    refusal = guard(obj)
    if refusal is None:
        return
    if isinstance(refusal, str):
        raise Forbidden(refusal)
    raise TypeError(
        f"a transition guard returns None or a refusal message, not {type(refusal).__name__}"
    )


def _check_state(table: Table, state: str, action: str) -> Transition:
    try:
        return table.check(state, action)
    except InvalidTransition as exc:
        raise WrongState(exc.message, state=exc.state, action=exc.action, code=exc.code) from None


def transition(
    obj: M,
    action: str | Callable[[M], str],
    *,
    table: Table,
    actor,
    now: datetime,
    comment: str = "",
    guard: Guard | None = None,
    change: Callable[[M], None] | None = None,
    audit_data: AuditData = None,
    related: Iterable[str] = (),
    **changes: Any,
) -> M:
    """Take ``action`` on ``obj`` as declared in ``table``; return the changed record.

    In one transaction (a savepoint inside the service's own):

    1. ``obj`` is re-read under a row lock (:func:`lock`, with ``related``).
       ``action`` may be a function of the locked record (approve publishes a
       主动公开 item and only records any other).
    2. ``guard(obj)`` — the permission check, given the locked record — returns
       ``None`` to allow or a Chinese refusal raised as :class:`Forbidden`; it may
       also raise :class:`Forbidden` or :class:`Invalid` itself.  The state check
       raises :class:`WrongState` with the table's sentence.  The guard runs after
       the state check, or before it when ``table.permission_first``.
    3. ``change(obj)`` runs: the checks that come after state and permission
       (a required comment, ``full_clean()``, the report's findings) on the
       record as it still is, and fields computed from it (the next 索引号); it
       may raise.  Then the state field is set to the target (tables with a
       stored state), the transition's ``stamp`` field to ``now``, and every
       ``changes`` field.
    4. ``obj.save()`` and one audit row: the transition's verb, ``comment``,
       from → to, and ``audit_data`` (a dict, or a function of the saved record),
       stamped ``now`` (the record's stamp and its audit row share one clock).
       A transition that ``deletes`` writes the audit row and then deletes ``obj``.

    ``now`` is the time of the step (house rule: no service reads the clock); it
    must be timezone-aware.  An action the table does not have is refused like an
    action the state does not allow: :class:`WrongState` with the table's
    ``unknown`` sentence and code ``"unknown_action"``, at the same point of the
    order (after the guard when ``permission_first``) — the action often comes
    from the request (confirming a report that was not imported), and a user
    must read a sentence, not a 500.  Programming errors stay loud: an action
    that is not a string, or a ``changes`` name the model does not have
    (``TypeError``).  ``Table.get`` (a lookup, not a step) still raises ``KeyError``.
    """
    if not isinstance(now, datetime) or timezone.is_naive(now):
        raise ValueError("transition() needs now: a timezone-aware datetime")
    model = type(obj)
    unknown = [field_name for field_name in changes if not hasattr(model, field_name)]
    if unknown:
        raise TypeError(f"{model.__name__} has no field {unknown[0]!r}")
    with transaction.atomic():
        obj = lock(obj, related=related)
        name = action(obj) if callable(action) else action
        if not isinstance(name, str):
            raise TypeError(f"a transition action is a string, not {type(name).__name__}")
        before = table.state(obj)
        if table.permission_first:
            _permit(guard, obj)
            step = _check_state(table, before, name)
        else:
            step = _check_state(table, before, name)
            _permit(guard, obj)
        if change is not None:
            change(obj)
        after = step.after(before)
        if table.stored_state and after is not None:
            setattr(obj, table.state_field, after)
        if step.stamp:
            setattr(obj, step.stamp, now)
        for field_name, value in changes.items():
            setattr(obj, field_name, value)
        if not step.deletes:
            obj.save()
        data = audit_data(obj) if callable(audit_data) else audit_data
        audit_record(
            actor=actor,
            organization=getattr(obj, "organization", None),
            verb=step.verb,
            obj=obj,
            from_state=before,
            to_state=after or "",
            comment=comment,
            data=dict(data) if data else None,
            at=now,
        )
        if step.deletes:
            obj.delete()
    return obj
