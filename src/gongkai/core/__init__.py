"""The one shape of a state change, shared by every app (issue #10).

- :mod:`.workflow` (pure, no Django): a declared transition table per stateful
  noun — states with their Chinese labels, actions with sources, target, audit
  verb, label and roles — from which model choices, back-office action lists
  and refusal messages are generated;
- :mod:`.errors`: the one pair of domain errors, ``Forbidden`` (a
  ``PermissionDenied``: Django answers 403) and ``Invalid`` (a
  ``ValidationError``);
- :mod:`.transition`: ``transition()``, which locks the row, checks state and
  permission in the table's order, changes, saves and audits;
- :mod:`.responses`: the only helpers that turn an ``Invalid`` into form errors
  or flash messages;
- :mod:`.audit_verbs`: every audit verb with its Chinese label, registered by
  each app's ``workflow.py``.

This ``__init__`` imports nothing, so ``gongkai.core.workflow`` stays Django-free.
"""
