"""``{占位符}`` templates an administrator may edit: checked on save, filled safely.

Shared by the letter templates (``gongkai.applications.letters``) and the
notification templates (``gongkai.notifications``); each passes the names it
allows.  Only ``{名称}`` with an allowed name passes: no format spec
(``{申请人:>999999999}`` would allocate a gigabyte), no ``!`` conversion, no
``.`` or ``[`` access, no positional ``{}``.  :func:`fill` never calls
``str.format``: it splices the values in itself and refuses anything but a
plain placeholder, so a template stored before a check existed cannot run code.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping

UNBALANCED = "花括号不成对：占位符应写成 {申请人} 这样的形式；要写花括号本身，请写成 {{ 或 }}"
MAX_FIELDS = 100


class PlaceholderError(ValueError):
    """A template that cannot be filled safely; ``problems`` are Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("".join(self.problems))


def fields(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """``string.Formatter().parse`` of ``text``; ValueError(UNBALANCED) on stray braces."""
    try:
        return list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(UNBALANCED) from exc


def _spelled(name: str | None, spec: str | None, conversion: str | None) -> str:
    """A replacement field as the administrator typed it (for messages)."""
    return (
        "{"
        + (name or "")
        + (f"!{conversion}" if conversion else "")
        + (f":{spec}" if spec else "")
        + "}"
    )


def field_problems(
    text: str, allowed: Collection[str], *, max_fields: int = MAX_FIELDS
) -> tuple[list[str], list[str]]:
    """(problems, plain placeholder names) of one template text."""
    try:
        parsed = fields(text)
    except ValueError as exc:
        return [str(exc)], []
    problems: list[str] = []
    names: list[str] = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        spelled = _spelled(name, spec, conversion)
        if spec or conversion:
            problems.append(
                f"占位符 {spelled} 带有格式说明或转换（“:”“!”之后的部分），"
                f"占位符只能写成 {{{name.split('.')[0].split('[')[0]}}} 这样的形式"
            )
        elif "." in name or "[" in name:
            problems.append(
                f"占位符 {spelled} 不能用“.”或“[]”取属性或下标，只能写成 {{申请人}} 这样的形式"
            )
        elif name not in allowed:
            problems.append(f"未知的占位符 {spelled}")
        else:
            names.append(name)
    if len(names) > max_fields:
        problems.append(f"占位符过多（{len(names)} 个），最多 {max_fields} 个")
    return problems, names


def fill(
    text: str, values: Mapping[str, object], allowed: Collection[str], *, max_length: int
) -> str:
    """``text`` with each ``{名称}`` replaced by its value (missing: empty).

    Raises :class:`PlaceholderError` for anything but plain allowed placeholders
    or an over-long text, instead of running it."""
    problems, _ = field_problems(text, allowed)
    if len(text) > max_length:
        problems.append(f"模板过长（{len(text)} 字），最多 {max_length} 字")
    if problems:
        raise PlaceholderError([p + "。" for p in problems])
    return "".join(
        literal + (str(values.get(name, "")) if name is not None else "")
        for literal, name, _, _ in fields(text)
    )
