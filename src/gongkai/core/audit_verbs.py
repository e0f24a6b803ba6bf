"""Every audit verb with its Chinese label, so no page shows a raw verb.

Each app declares its verbs in a pure ``gongkai.<app>.workflow`` module:

- every module-level :class:`~gongkai.core.workflow.Table` — its transitions'
  verbs and labels, and its state labels (for "from → to");
- ``VERBS``: ``{verb: label}`` for the audited writes that are not transitions
  (``"item.create": "起草"``).

The registry imports those modules the first time it is asked (the installed
apps under ``gongkai``, found through ``django.apps``); an app without one is
skipped, but an import error *inside* a workflow module is raised, never hidden.
Code that is not an app's workflow module plugs in with :func:`register`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.apps import apps

from .workflow import Table

PACKAGE = "gongkai"
MODULE = "workflow"


@dataclass(frozen=True)
class Description:
    """An audit event in words: the verb's label and the states' labels."""

    verb: str
    label: str
    from_state: str
    to_state: str
    from_label: str
    to_label: str

    @property
    def changed(self) -> bool:
        """The event moved the record to another state."""
        return bool(self.to_state) and self.from_state != self.to_state


def workflow_modules() -> Iterator[ModuleType]:
    """``gongkai.<app>.workflow`` of every installed gongkai app that has one."""
    for config in apps.get_app_configs():
        if config.name != PACKAGE and not config.name.startswith(PACKAGE + "."):
            continue
        dotted = f"{config.name}.{MODULE}"
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name == dotted:
                continue  # this app declares no verbs
            raise  # the module exists and imports something missing: a real bug
        yield module


def _declared(module: ModuleType) -> tuple[Mapping[str, str], list[Table]]:
    verbs = getattr(module, "VERBS", {})
    if not isinstance(verbs, Mapping):
        raise TypeError(f"{module.__name__}.VERBS must be a dict of verb -> label")
    tables: list[Table] = []
    for value in vars(module).values():
        if isinstance(value, Table) and all(value is not t for t in tables):
            tables.append(value)
    return verbs, tables


class Registry:
    """Verb → label, and noun → tables (for state labels).  One lives in this
    module; tests build their own with ``discover=False``."""

    def __init__(self, *, discover: bool = True) -> None:
        self._labels: dict[str, str] = {}
        self._tables: dict[str, list[Table]] = {}
        self._pending_discovery = discover
        self._lock = threading.RLock()

    def register(
        self, verbs: Mapping[str, str] | None = None, *, tables: Iterable[Table] = ()
    ) -> None:
        """Add ``{verb: label}`` and the verbs and state labels of ``tables``.

        Registering a verb again with the same label is harmless; with another
        label it is a ``ValueError`` (two apps must not read one verb two ways).
        """
        with self._lock:
            for table in tables:
                known = self._tables.setdefault(table.name, [])
                if all(table is not t for t in known):
                    known.append(table)
                self._add(table.verbs(), f"table {table.name!r}")
            self._add(verbs or {}, "VERBS")

    def _add(self, verbs: Mapping[str, str], source: str) -> None:
        for verb, label in verbs.items():
            if not verb or not label:
                raise ValueError(f"{source}: audit verb {verb!r} needs a label")
            old = self._labels.get(verb)
            if old is not None and old != label:
                raise ValueError(f"audit verb {verb!r} has two labels: {old!r} and {label!r}")
            self._labels[verb] = label

    def discover(self) -> None:
        """Register the declarations of every app's workflow module (once)."""
        with self._lock:
            if not self._pending_discovery:
                return
            for module in workflow_modules():
                verbs, tables = _declared(module)
                self.register(verbs, tables=tables)
            self._pending_discovery = False

    def _ready(self) -> None:
        if self._pending_discovery:
            self.discover()

    def label(self, verb: str) -> str:
        """The verb's Chinese label; an unregistered verb is returned as it is."""
        self._ready()
        return self._labels.get(verb, verb)

    def is_registered(self, verb: str) -> bool:
        self._ready()
        return verb in self._labels

    def verbs(self) -> dict[str, str]:
        """Every registered ``{verb: label}``, sorted by verb."""
        self._ready()
        return dict(sorted(self._labels.items()))

    def tables(self, noun: str) -> tuple[Table, ...]:
        """The tables of ``noun`` (``"report"`` has two: made here, imported)."""
        self._ready()
        return tuple(self._tables.get(noun, ()))

    def state_label(self, verb: str, state: str) -> str:
        """``state``'s label in the table of the verb's noun (``"report.start"`` →
        the report table); unknown states are returned as they are."""
        if not state:
            return ""
        for table in self.tables(verb.split(".", 1)[0]):
            if state in table.states:
                return table.states[state]
        return state

    def describe(self, event: Any) -> Description:
        """An audit event (anything with ``verb``, ``from_state``, ``to_state``) in words."""
        verb = event.verb
        from_state = getattr(event, "from_state", "") or ""
        to_state = getattr(event, "to_state", "") or ""
        return Description(
            verb=verb,
            label=self.label(verb),
            from_state=from_state,
            to_state=to_state,
            from_label=self.state_label(verb, from_state),
            to_label=self.state_label(verb, to_state),
        )


registry = Registry()


def register(verbs: Mapping[str, str] | None = None, *, tables: Iterable[Table] = ()) -> None:
    """Add verbs (and tables) to the platform's registry; see :meth:`Registry.register`."""
    registry.register(verbs, tables=tables)


def label(verb: str) -> str:
    """The Chinese label of an audit verb (the verb itself when none is registered)."""
    return registry.label(verb)


def state_label(verb: str, state: str) -> str:
    return registry.state_label(verb, state)


def describe(event: Any) -> Description:
    """An audit event's verb and states in Chinese (see :class:`Description`)."""
    return registry.describe(event)


def verbs() -> dict[str, str]:
    """Every registered verb with its label."""
    return registry.verbs()
