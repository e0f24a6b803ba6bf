"""The cache lock (issue #13): of several contenders exactly one holds it; an
expired lock can be taken; a holder whose lock expired never releases the next
holder's.  Every test runs on LocMem and on the real Redis."""

from __future__ import annotations

import threading
import time

import pytest

from gongkai.core import locks
from gongkai.tests.helpers import fresh_caches


def test_of_eight_threads_only_one_runs_the_work(any_cache):
    start = threading.Barrier(8)
    everyone_tried = threading.Barrier(8)
    ran: list[int] = []
    busy: list[int] = []

    def worker(n: int) -> None:
        start.wait()
        with locks.lock("contended", timeout=30) as held:
            if held:
                ran.append(n)
            else:
                busy.append(n)
            everyone_tried.wait()  # the holder keeps the lock until all have tried

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(ran) == 1 and len(busy) == 7
    assert not locks.is_locked("contended")  # released at the end of the block
    with locks.lock("contended", timeout=30) as held:
        assert held


def test_a_second_process_sees_the_lock(any_cache):
    first = locks.acquire("rebuild", timeout=30)
    assert first is not None
    fresh_caches()  # another server: its own cache object and connection
    if any_cache is not None:  # Redis: the other server sees it
        assert locks.acquire("rebuild", timeout=30) is None
        assert locks.is_locked("rebuild")
    fresh_caches()
    assert locks.release(first)


def test_an_expired_lock_can_be_taken(any_cache):
    first = locks.acquire("short", timeout=1)
    assert first is not None
    assert locks.acquire("short", timeout=1) is None
    time.sleep(1.2)
    second = locks.acquire("short", timeout=30)
    assert second is not None and second.token != first.token
    assert locks.release(second)


def test_a_stale_token_does_not_release_the_next_holders_lock(any_cache):
    first = locks.acquire("job", timeout=1)
    time.sleep(1.2)  # the first holder overran its timeout
    second = locks.acquire("job", timeout=30)
    assert second is not None
    assert locks.release(first) is False
    assert locks.is_locked("job")
    assert locks.acquire("job", timeout=30) is None
    assert locks.release(second) is True
    assert not locks.is_locked("job")


def test_lock_or_busy_raises_with_the_message(any_cache):
    with locks.lock_or_busy("export", timeout=30, busy_message="正在生成，请稍后再试。"):
        with pytest.raises(locks.LockBusy, match="正在生成"):
            with locks.lock_or_busy("export", timeout=30, busy_message="正在生成，请稍后再试。"):
                pass
    assert not locks.is_locked("export")


def test_the_lock_is_released_when_the_work_fails(any_cache):
    with pytest.raises(RuntimeError):
        with locks.lock("failing", timeout=30):
            raise RuntimeError("boom")
    assert not locks.is_locked("failing")


def test_timeout_must_be_positive(any_cache):
    with pytest.raises(ValueError):
        locks.acquire("x", timeout=0)
