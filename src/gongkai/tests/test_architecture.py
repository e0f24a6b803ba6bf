"""Architecture rules (issue #10), read from the source with ``ast``.

1. The top-level packages of ``src/gongkai`` import each other without cycles.
   Every import statement counts: module level, inside functions and classes,
   absolute and relative.  Tests, migrations and conftest files are left out.
2. No file guards an import of the project's own modules with ``except
   ImportError`` (or ``ModuleNotFoundError``, ``Exception``, a bare ``except``):
   such a guard can only hide a real bug.  Plug-in discovery by dotted name
   (``importlib.import_module`` that re-raises unless the missing module is the
   one looked for) is not an import statement and is not affected.
3. Every edge goes down the layers of docs/architecture.md (``LAYERS``); a new
   top-level package must be given a layer before it can import anything.
4. Every audit verb the production code can write has a Chinese label in the
   registry (``gongkai.core.audit_verbs``), so no page shows a raw verb.  This
   one check imports the modules that declare verbs (it needs Django).
5. No test skips itself with ``pytest.importorskip`` on a project module: a
   module of ours that fails to import is a failure, not a skip.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # src/gongkai
PACKAGE = "gongkai"
SKIP_DIRS = {"tests", "tests_pure", "migrations", "__pycache__"}
GUARDS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}

# Work in progress on issue #10 may only remove entries; all three are empty when it is done.
ALLOWED_CYCLES: set[frozenset[str]] = set()
ALLOWED_GUARD_FILES: set[str] = set()
ALLOWED_UPWARD: set[tuple[str, str]] = set()

# docs/architecture.md: a package may import only packages of a lower layer.
LAYERS = {
    "spreadsheets": 0, "fees": 0, "bounds": 0, "uploads": 0, "workdays": 0, "officedoc": 0,
    "annual": 1, "privacy": 1,
    "audit": 2, "cli": 2,
    "core": 3, "jobs": 3,
    "organizations": 4,
    "demo": 5,
    "platform": 6,
    "workcal": 7, "search": 7, "notifications": 7,
    "disclosure": 8,
    "applications": 9,
    "appeals": 10, "external": 10, "inquiries": 10, "consultations": 10,
    "urging": 11,
    "reports": 12,
    "portal": 13,
    "config": 14,
}  # fmt: skip


@dataclass(frozen=True)
class Edge:
    source: str  # top-level package or module of src/gongkai
    target: str
    where: str  # "disclosure/services.py:120"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _production(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return not (
        SKIP_DIRS & set(rel.parts[:-1]) or rel.name == "conftest.py" or rel.name.startswith("test_")
    )


def _sources(*, production_only: bool) -> list[Path]:
    paths = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)
    return [p for p in paths if _production(p)] if production_only else paths


def imported(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    """The dotted names one import statement loads, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    parts = _module(path).split(".")
    if path.name != "__init__.py":
        parts.pop()  # a module's relative imports start from its package
    parts = parts[: len(parts) - (node.level - 1)]
    if node.module:
        return [".".join([*parts, node.module])]
    return [".".join([*parts, alias.name]) for alias in node.names]  # from . import x


def _top(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if parts[0] == PACKAGE and len(parts) > 1 else None


def _statements(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return tree, [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def package_edges() -> list[Edge]:
    edges = []
    for path in _sources(production_only=True):
        source = _top(_module(path))
        if source is None:
            continue
        for node in _statements(path)[1]:
            for name in imported(node, path):
                target = _top(name)
                if target is not None and target != source:
                    edges.append(
                        Edge(source, target, f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
                    )
    return edges


def cycles(edges: list[Edge]) -> list[frozenset[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        graph[e.source].add(e.target)
        graph[e.target]  # noqa: B018 - every package is a vertex
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = {stack.pop()}
            while v not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _explain(component: frozenset[str], edges: list[Edge]) -> str:
    inside = sorted(
        (e.source, e.target, e.where) for e in edges if {e.source, e.target} <= component
    )
    return " ⇄ ".join(sorted(component)) + "".join(f"\n    {s} -> {t}  {w}" for s, t, w in inside)


def guarded_imports() -> list[tuple[str, int]]:
    found = []
    for path in _sources(production_only=False):
        tree, _ = _statements(path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try | ast.TryStar):
                continue
            caught = set()
            for handler in node.handlers:
                if handler.type is None:
                    caught.add("BaseException")
                    continue
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                caught |= {getattr(t, "id", getattr(t, "attr", "")) for t in types}
            if not caught & GUARDS:
                continue
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, ast.Import | ast.ImportFrom) and any(
                        n == PACKAGE or n.startswith(PACKAGE + ".") for n in imported(inner, path)
                    ):
                        found.append((path.relative_to(ROOT).as_posix(), inner.lineno))
    return found


def test_top_level_packages_import_each_other_without_cycles():
    edges = package_edges()
    assert edges, f"no imports found under {ROOT}"
    bad = [c for c in cycles(edges) if not any(c <= allowed for allowed in ALLOWED_CYCLES)]
    assert not bad, "package cycles (tests and migrations aside):\n" + "\n".join(
        _explain(c, edges) for c in bad
    )


def test_no_except_importerror_around_the_projects_own_imports():
    bad = [f"{f}:{line}" for f, line in guarded_imports() if f not in ALLOWED_GUARD_FILES]
    assert not bad, "gongkai imports guarded by except ImportError:\n" + "\n".join(bad)


def test_packages_import_only_lower_layers():
    edges = package_edges()
    unknown = sorted({p for e in edges for p in (e.source, e.target)} - set(LAYERS))
    assert not unknown, f"give these packages a layer in LAYERS and docs/architecture.md: {unknown}"
    upward = [
        e
        for e in edges
        if LAYERS[e.source] <= LAYERS[e.target] and (e.source, e.target) not in ALLOWED_UPWARD
    ]
    assert not upward, "imports against the layers:\n" + "\n".join(
        f"    {e.source}({LAYERS[e.source]}) -> {e.target}({LAYERS[e.target]})  {e.where}"
        for e in sorted(upward, key=lambda e: e.where)
    )


def test_the_checks_see_function_level_and_relative_imports():
    node = ast.parse("def f():\n    from ..search import indexing\n").body[0].body[0]
    assert imported(node, ROOT / "disclosure" / "services.py") == ["gongkai.search"]
    assert imported(node, ROOT / "disclosure" / "services" / "__init__.py") == [
        "gongkai.disclosure.search"
    ]
    assert cycles([Edge("a", "b", "x:1"), Edge("b", "c", "y:2"), Edge("c", "a", "z:3")]) == [
        frozenset("abc")
    ]


# --- audit verbs -----------------------------------------------------------------------------

# Verbs built with an f-string: the template (each ``{…}`` written ``{}``) and the model field
# whose choices are every value the placeholder can take.  An f-string verb not listed here
# must at least belong to a family of registered verbs (see _verb_pattern).
FORMATTED_VERBS = {
    "application.{}": ("applications.ClockEvent", "kind"),
    "import.{}": ("disclosure.ImportJob", "kind"),
    "import.{}.decline": ("disclosure.ImportJob", "kind"),
}
# Files whose audit_record() takes its verb from a declared Table (checked below).
VERB_FROM_TABLE = {"core/transition.py"}


def _template(node: ast.JoinedStr) -> str:
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


def audit_verbs_written() -> tuple[set[str], set[str], list[str]]:
    """``(literal verbs, f-string templates, verbs of another shape)`` of every
    ``audit_record(...)`` call in production code."""
    literals: set[str] = set()
    templates: set[str] = set()
    other: list[str] = []
    for path in _sources(production_only=True):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(_statements(path)[0]):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "id", getattr(node.func, "attr", None)) != "audit_record":
                continue
            verb = next((k.value for k in node.keywords if k.arg == "verb"), None)
            # "unit.activate" if is_active else "unit.deactivate": both branches
            branches = [verb]
            while isinstance(branches[-1], ast.IfExp):
                branches[-1:] = [branches[-1].body, branches[-1].orelse]
            if all(
                isinstance(b, ast.JoinedStr)
                or (isinstance(b, ast.Constant) and isinstance(b.value, str))
                for b in branches
            ):
                literals |= {b.value for b in branches if isinstance(b, ast.Constant)}
                templates |= {_template(b) for b in branches if isinstance(b, ast.JoinedStr)}
            elif rel not in VERB_FROM_TABLE:
                shown = ast.unparse(verb) if verb is not None else "no verb= keyword"
                other.append(f"{rel}:{node.lineno}  {shown}")
    return literals, templates, other


def _declares_verbs(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and "Table" in (
            getattr(node.func, "id", None),
            getattr(node.func, "attr", None),
        ):
            return True
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == "VERBS" for t in targets):
                return True
    return False


def declared_verbs() -> dict[str, str]:
    """``{verb: module}`` of every module-level ``Table`` and ``VERBS`` of production code,
    wherever it is declared (the registry itself only reads ``<app>.workflow``)."""
    from gongkai.core.workflow import Table

    found: dict[str, str] = {}
    for path in _sources(production_only=True):
        if path.relative_to(ROOT).parts[0] == "core" or not _declares_verbs(_statements(path)[0]):
            continue
        module = import_module(_module(path))
        for value in vars(module).values():
            if isinstance(value, Table):
                found.update(dict.fromkeys(value.verbs(), module.__name__))
        verbs = getattr(module, "VERBS", None)
        if isinstance(verbs, dict):
            found.update(dict.fromkeys(verbs, module.__name__))
    return found


def _verb_pattern(template: str):
    import re

    return re.compile("[^.]+".join(re.escape(piece) for piece in template.split("{}")) + "$")


def unlabelled(verbs, templates, label, registered) -> list[str]:
    """Verbs (and f-string templates) that ``label`` returns as they are."""
    from django.apps import apps

    bad = sorted(f"{v}  (declared in {where})" for v, where in verbs.items() if label(v) == v)
    for template in sorted(templates):
        if template in FORMATTED_VERBS:
            model, field_name = FORMATTED_VERBS[template]
            values = [v for v, _ in apps.get_model(model)._meta.get_field(field_name).choices]
            assert values, f"{model}.{field_name} has no choices to fill {template!r}"
            bad += [f"{v}  (from {template!r})" for v in
                    (template.format(value) for value in values) if label(v) == v]  # fmt: skip
        elif not any(_verb_pattern(template).match(v) for v in registered):
            bad.append(f"{template}  (an f-string verb of no registered family)")
    return bad


def test_every_audit_verb_has_a_label():
    from gongkai.core import audit_verbs

    literals, templates, other = audit_verbs_written()
    assert literals and templates, "no audit_record(verb=...) calls found"
    assert not other, (
        "audit_record() with a verb that is neither a literal nor an f-string "
        "(write the verb out, or teach this test where it comes from):\n" + "\n".join(other)
    )
    verbs = {v: "audit_record()" for v in literals} | declared_verbs()
    bad = unlabelled(verbs, templates, audit_verbs.label, audit_verbs.verbs())
    assert not bad, (
        "audit verbs without a Chinese label (declare them in the app's workflow.py: "
        "a Table or VERBS):\n" + "\n".join(bad)
    )


def test_the_verb_check_fails_on_an_unlabelled_verb():
    from gongkai.core import audit_verbs

    registered = audit_verbs.verbs()
    label = audit_verbs.label
    assert unlabelled({"report.fly_to_the_moon": "x"}, set(), label, registered) == [
        "report.fly_to_the_moon  (declared in x)"
    ]
    assert unlabelled({}, {"nosuchfamily.{}"}, label, registered) == [
        "nosuchfamily.{}  (an f-string verb of no registered family)"
    ]
    assert unlabelled({}, {"report.{}"}, label, registered) == []
    assert unlabelled({}, {"import.{}"}, lambda v: v, registered) == [
        "import.items  (from 'import.{}')",
        "import.catalogue  (from 'import.{}')",
    ]
    node = ast.parse('audit_record(verb=f"application.{new.kind}")').body[0].value
    assert _template(node.keywords[0].value) == "application.{}"
    literals, templates, other = audit_verbs_written()
    assert {"unit.activate", "unit.deactivate", "report.start"} <= literals  # IfExp, literal
    assert "application.{}" in templates and not other


# --- tests that skip instead of failing ------------------------------------------------------


def importorskips_of_the_project() -> list[str]:
    found = []
    for path in _sources(production_only=False):
        if _production(path):
            continue
        for node in ast.walk(_statements(path)[0]):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "importorskip"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).split(".")[0] == PACKAGE
            ):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def test_no_test_skips_when_a_module_of_the_project_fails_to_import():
    bad = importorskips_of_the_project()
    assert not bad, (
        "pytest.importorskip() of a gongkai module turns an import error into a skip; "
        "import it plainly:\n" + "\n".join(bad)
    )
