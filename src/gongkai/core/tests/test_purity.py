"""The workflow tables are pure: an app's ``workflow.py`` and the application
clock import them without bringing Django in."""

from __future__ import annotations

import subprocess
import sys


def test_the_workflow_module_never_imports_django():
    code = (
        "import sys\n"
        "from gongkai.core.workflow import Table, Transition\n"
        "t = Table('x', states={'a': 'A', 'b': 'B'},\n"
        "          transitions=[Transition('go', {'a'}, 'b', verb='x.go', label='前往')])\n"
        "assert t.check('a', 'go').target == 'b'\n"
        "assert t.refusal_for('b', 'go')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, f'django imported: {loaded[:5]}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_the_check_can_fail():
    # The same probe, importing a module that does load Django, must fail: the
    # test above is not vacuous.
    code = (
        "import sys\n"
        "import gongkai.core.errors\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, f'django imported: {loaded[:5]}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "django imported" in result.stderr
