"""One index rebuild at a time across app servers and workers (issue #13)."""

from __future__ import annotations

import pytest

from gongkai.core import locks
from gongkai.search.indexing import rebuild

pytestmark = pytest.mark.django_db


def test_a_rebuild_while_another_runs_is_refused():
    held = locks.acquire("search.rebuild", timeout=60)
    assert held is not None
    try:
        with pytest.raises(locks.LockBusy, match="正在由另一进程重建"):
            rebuild()
    finally:
        locks.release(held)
    assert rebuild() >= 0
    assert not locks.is_locked("search.rebuild")
