"""Declared transition tables: one per stateful noun.  Pure: no Django import.

A :class:`Table` is what an app's ``workflow.py`` declares once and everything
else reads: the states with their Chinese labels (model choices are generated
from it), the actions with the states they may start from, the state they lead
to, the audit verb and its label, the roles that may take them, and the Chinese
sentence that refuses an action the current state does not allow::

    ITEM = Table(
        "item",
        states={"draft": "草稿", "in_review": "保密审查中", ...},
        transitions=[
            Transition("submit", {"draft", "returned"}, "in_review",
                       verb="item.submit", label="提交保密审查", roles={"clerk"}),
            ...
        ],
        refusal="当前状态为“{state}”，不能执行此操作。",
    )

Refusal templates are ``str.format`` templates with four names: ``{state}`` (the
current state's label), ``{short}`` (the action's short label, "不能{short}"),
``{label}`` (its full label) and ``{action}`` (its key).

The four shapes the apps had before this module, and how a table says each:

- disclosure items: state checked before permission (the default);
- annual reports: permission before state (``permission_first=True``); two
  tables chosen by the report's source; rejecting an import removes the row
  (``Transition(..., target=None, deletes=True)``);
- the application clock: some events leave the state as it is
  (``target=None``), a closed application has its own sentence
  (``refusals={"closed": ...}``) and some refusals carry a hint
  (``hints={(state, action): ...}``);
- appeals: the state is derived from the record, not stored
  (``stored_state=False, state_of=...``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

DEFAULT_REFUSAL = "当前状态为“{state}”，不能{short}。"
DEFAULT_UNKNOWN = "未知的操作：{action}"
_TEMPLATE_NAMES = {"state": "", "short": "", "label": "", "action": ""}


class InvalidTransition(ValueError):
    """The current state does not allow the action (or the action is unknown).

    ``message`` is the table's Chinese sentence, shown to the user as it is;
    ``code`` is ``"invalid_transition"`` or ``"unknown_action"``.
    """

    def __init__(self, message: str, *, state: str, action: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.state = state
        self.action = action
        self.code = code


def _strings(values: Iterable[Any], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError(f"{what} must be a collection of states, not the string {values!r}")
    return frozenset(str(v) for v in values)


@dataclass(frozen=True)
class Transition:
    """One action: from any of ``sources`` to ``target``.

    ``target=None`` leaves the state as it is (an extension of the reply
    period), unless ``deletes`` — then the record is removed after the audit
    row is written (an imported report rejected).  ``verb`` is the audit verb
    (``"<table name>.<verb>"``) and ``label`` its Chinese label (the button and
    the audit log read it); ``short`` is the form used in refusals ("不能{short}"),
    the label when not given.  ``roles`` names the roles that may take the
    action (for permission functions and documentation; ``transition()`` leaves
    the actual check to its ``guard``).  ``stamp`` names the field that
    ``transition()`` sets to ``now`` (``"submitted_at"``).
    """

    action: str
    sources: frozenset[str]
    target: str | None
    verb: str
    label: str
    short: str = ""
    roles: frozenset[str] = frozenset()
    stamp: str = ""
    deletes: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", str(self.action))
        object.__setattr__(self, "sources", _strings(self.sources, "sources"))
        object.__setattr__(self, "roles", _strings(self.roles, "roles"))
        if self.target is not None:
            object.__setattr__(self, "target", str(self.target))
        if not self.short:
            object.__setattr__(self, "short", self.label)
        if not self.action or not self.verb or not self.label:
            raise ValueError(f"transition {self.action!r} needs an action, a verb and a label")
        if not self.sources:
            raise ValueError(f"transition {self.action!r} starts from no state")
        if self.deletes and self.target is not None:
            raise ValueError(f"transition {self.action!r} deletes the record: its target is None")

    def after(self, state: str) -> str | None:
        """The state after the action taken from ``state`` (``None``: record removed)."""
        if self.deletes:
            return None
        return state if self.target is None else self.target


@dataclass(frozen=True, eq=False)
class Table:
    """The declared workflow of one noun.  See the module docstring.

    ``name`` is the noun, and every verb of the table starts with ``name + "."``
    (the audit-verb registry finds a verb's state labels by it).  ``states``
    maps each state to its label, in display order.  ``state_field`` is the model
    field holding the state; with ``stored_state=False`` there is none and
    ``state_of(obj)`` derives it.  ``permission_first``: ``transition()`` runs
    the permission guard before the state check (the default is after).
    """

    name: str
    states: Mapping[str, str]
    transitions: Sequence[Transition]
    refusal: str = DEFAULT_REFUSAL
    refusals: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[tuple[str, str], str] = field(default_factory=dict)
    unknown: str = DEFAULT_UNKNOWN
    permission_first: bool = False
    stored_state: bool = True
    state_field: str = "status"
    state_of: Callable[[Any], str] | None = None
    _by_action: Mapping[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        states = self.states.items() if isinstance(self.states, Mapping) else self.states
        labels: dict[str, str] = {}
        for state, label in states:
            if str(state) in labels:
                raise ValueError(f"{self.name}: state {state!r} declared twice")
            labels[str(state)] = str(label)
        if not labels:
            raise ValueError(f"{self.name}: a table needs states")
        object.__setattr__(self, "states", MappingProxyType(labels))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        by_action: dict[str, Transition] = {}
        verbs: set[str] = set()
        for t in self.transitions:
            if t.action in by_action:
                raise ValueError(f"{self.name}: action {t.action!r} declared twice")
            if t.verb in verbs:
                raise ValueError(f"{self.name}: verb {t.verb!r} used twice")
            if not t.verb.startswith(self.name + "."):
                raise ValueError(
                    f"{self.name}: verb {t.verb!r} must start with {self.name + '.'!r}"
                )
            unknown = (t.sources | ({t.target} if t.target else set())) - set(labels)
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown states {sorted(unknown)}")
            by_action[t.action] = t
            verbs.add(t.verb)
        object.__setattr__(self, "_by_action", MappingProxyType(by_action))
        refusals = {str(k): v for k, v in self.refusals.items()}
        hints = {(str(s), str(a)): v for (s, a), v in self.hints.items()}
        if set(refusals) - set(labels):
            raise ValueError(
                f"{self.name}: refusals for unknown states {sorted(set(refusals) - set(labels))}"
            )
        for state, action in hints:
            if state not in labels or action not in by_action:
                raise ValueError(f"{self.name}: hint for unknown ({state!r}, {action!r})")
        object.__setattr__(self, "refusals", MappingProxyType(refusals))
        object.__setattr__(self, "hints", MappingProxyType(hints))
        for template in (self.refusal, self.unknown, *refusals.values()):
            template.format(**_TEMPLATE_NAMES)  # a typo in a placeholder fails here, not in use
        if self.stored_state == (self.state_of is not None):
            raise ValueError(
                f"{self.name}: a stored state is read from {self.state_field!r}; "
                "a derived one (stored_state=False) needs state_of"
            )

    # --- states --------------------------------------------------------------------------

    def choices(self) -> list[tuple[str, str]]:
        """``[(state, label), ...]`` for a model field's ``choices``."""
        return list(self.states.items())

    def members(self) -> list[tuple[str, tuple[str, str]]]:
        """Members for Django's functional ``TextChoices`` API::

        Status = models.TextChoices("Status", ITEM.members())  # Status.DRAFT == "draft"
        """
        return [(state.upper(), (state, label)) for state, label in self.states.items()]

    def state_label(self, state: str) -> str:
        """The state's Chinese label; an unknown value is shown as it is."""
        return self.states.get(state, state)

    def state(self, obj: Any) -> str:
        """The current state of ``obj`` (stored in ``state_field`` or derived by ``state_of``)."""
        if self.state_of is not None:
            return str(self.state_of(obj))
        return str(getattr(obj, self.state_field))

    # --- actions -------------------------------------------------------------------------

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._by_action)

    def get(self, action: str) -> Transition:
        """The declared transition; ``KeyError`` for an action the table does not have."""
        try:
            return self._by_action[action]
        except KeyError:
            raise KeyError(f"table {self.name!r} has no action {action!r}") from None

    def __contains__(self, action: object) -> bool:
        return action in self._by_action

    def allowed(self, state: str) -> tuple[Transition, ...]:
        """The transitions ``state`` allows, in declaration order (the back office's
        buttons, before each app's permission functions filter them)."""
        return tuple(t for t in self.transitions if state in t.sources)

    def can(self, state: str, action: str) -> bool:
        t = self._by_action.get(action)
        return t is not None and state in t.sources

    def refusal_for(self, state: str, action: str) -> str:
        """The Chinese sentence refusing ``action`` in ``state``."""
        t = self._by_action.get(action)
        names = {"state": self.state_label(state), "action": action}
        if t is None:
            return self.unknown.format(**names, short=action, label=action)
        template = self.refusals.get(state, self.refusal)
        message = template.format(**names, short=t.short, label=t.label)
        return message + self.hints.get((state, action), "")

    def check(self, state: str, action: str) -> Transition:
        """The transition for ``action`` from ``state``, or :class:`InvalidTransition`."""
        t = self._by_action.get(action)
        if t is None:
            raise InvalidTransition(
                self.refusal_for(state, action), state=state, action=action, code="unknown_action"
            )
        if state not in t.sources:
            raise InvalidTransition(
                self.refusal_for(state, action),
                state=state,
                action=action,
                code="invalid_transition",
            )
        return t

    def verbs(self) -> dict[str, str]:
        """``{audit verb: label}`` of the table's transitions."""
        return {t.verb: t.label for t in self.transitions}
